import { isoWeekMonday, isoWeekOf } from '@lagesbild/domain'

/** The ISO week `delta` weeks from `week` (2026-W48, -1 → 2026-W47; crosses years and week 53). */
export function shiftWeek(week: string, delta: number): string {
  const monday = Date.parse(`${isoWeekMonday(week)}T00:00:00Z`) + delta * 7 * 86_400_000
  const d = new Date(monday)
  return isoWeekOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()).isoWeek
}

export const weekNumber = (week: string) => Number(week.slice(6))
export const weekYear = (week: string) => Number(week.slice(0, 4))

/** Share of the largest value, for the bars drawn in HTML (they print sharp at any size). */
export function barWidth(value: number, max: number): string {
  return `${max > 0 ? Math.round((value / max) * 1000) / 10 : 0}%`
}
