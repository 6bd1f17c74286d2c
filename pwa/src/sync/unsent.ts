import type { OutboxEntry } from '@/db/types'

/**
 * What waits in an outbox, counted as the user thinks of it: reports, and the EST loop's action marks and
 * visits. The status line used to count every item as a report, so one unsent visit read "1 rapport".
 */
export interface Unsent { reports: number; actions: number; visits: number }

export const NOTHING_UNSENT: Unsent = Object.freeze({ reports: 0, actions: 0, visits: 0 })

/** A report's op, not one of the EST loop's (an action mark or a visit, pwa/src/sync/loop-ops.ts). */
export const isReportEntry = (e: Pick<OutboxEntry, 'kind'>): boolean => e.kind !== 'action' && e.kind !== 'visit'

/** Counts things, not ops: a report's queued edits, or an action's later marks, are one thing to send. */
export function countUnsent(entries: readonly Pick<OutboxEntry, 'kind' | 'reportId'>[]): Unsent {
  const reports = new Set<string>()
  const actions = new Set<string>()
  const visits = new Set<string>()
  for (const e of entries) (isReportEntry(e) ? reports : e.kind === 'visit' ? visits : actions).add(e.reportId)
  return { reports: reports.size, actions: actions.size, visits: visits.size }
}

export const unsentTotal = (u: Unsent): number => u.reports + u.actions + u.visits

/** vue-i18n's `t` with a plural choice (the composer's own overload). */
type Translate = (key: string, named: Record<string, unknown>, plural: number) => string

const KINDS = ['reports', 'actions', 'visits'] as const

/**
 * "2 rapporter, 1 åtgärd och 1 besök": the kinds that wait, each with its own plural (sync.unsentParts),
 * joined as the language joins a list. Empty when nothing waits; the caller words that case itself.
 */
export function unsentPhrase(u: Unsent, t: Translate, locale: string): string {
  const parts = KINDS.filter(k => u[k] > 0).map(k => t(`sync.unsentParts.${k}`, { n: u[k] }, u[k]))
  // Intl only when there is a list to join: its first use on a page costs 70–100 ms on a slow phone, and the
  // home screen asks on its first render (bench/cold-start.bench.ts).
  if (parts.length < 2) return parts[0] ?? ''
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(parts)
}
