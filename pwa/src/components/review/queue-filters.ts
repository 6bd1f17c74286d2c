import type { QueueStatus } from '@lagesbild/domain'

/** The queue's filters as the form holds them: empty text means "any". */
export interface QueueFilters {
  status: QueueStatus
  org: string
  category: string
  from: string
  to: string
  place: string
  q: string
}

export const defaultFilters = (): QueueFilters => ({ status: 'waiting', org: '', category: '', from: '', to: '', place: '', q: '' })

export function isFiltered(filters: QueueFilters): boolean {
  const empty = defaultFilters()
  return (Object.keys(empty) as Array<keyof QueueFilters>).some(k => filters[k] !== empty[k])
}

/** The query for GET /api/reports: only the filters that are set. */
export function queueQuery(filters: QueueFilters, limit: number): Record<string, string | number | undefined> {
  const set = (v: string) => (v.trim() ? v.trim() : undefined)
  return {
    status: filters.status, org: set(filters.org), category: set(filters.category), from: set(filters.from),
    to: set(filters.to), place: set(filters.place), q: set(filters.q), limit,
  }
}
