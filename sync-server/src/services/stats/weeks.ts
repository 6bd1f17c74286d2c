import { isoWeekMonday, isoWeekOf, localParts, type StatsFilter } from '@lagesbild/domain'

// ISO weeks and local dates as the summary's periods use them; dates are YYYY-MM-DD strings in the municipality's zone.

/** Monday and Sunday (YYYY-MM-DD) of an ISO week. */
export function weekRange(isoWeek: string): [string, string] {
  const monday = isoWeekMonday(isoWeek)
  return [monday, addDays(monday, 6)]
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10)
}

export function weekOfDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return isoWeekOf(y, m, d).isoWeek
}

/** The week a period ends in: the filter's week, else the week of `to`, else the current local week. */
export function endWeekOf(f: StatsFilter, now: number, timeZone: string): string {
  if (f.week) return f.week
  if (f.to) return weekOfDate(f.to)
  return localParts(now, timeZone).isoWeek
}

/** The `count` ISO weeks ending with `last`, oldest first. */
export function weeksEndingWith(last: string, count: number): string[] {
  const monday = isoWeekMonday(last)
  return Array.from({ length: count }, (_, i) => weekOfDate(addDays(monday, -7 * (count - 1 - i))))
}
