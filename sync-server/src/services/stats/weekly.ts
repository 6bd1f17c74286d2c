import { localParts, type StatsFilter, type WeeklyStats } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { change, changePeriod } from './change.ts'
import { byCategory, byOrganisation } from './counts.ts'
import { addDays, weekOfDate, weekRange, weeksEndingWith } from './weeks.ts'
import { hotspots } from './places.ts'
import { trend, weekdayHour } from './time.ts'

export const WEEKLY_BASELINE_WEEKS = 6

/** The last complete ISO week in the zone: the week the meeting looks back on. */
export function lastCompleteWeek(now: number, timeZone: string): string {
  return weekOfDate(addDays(localParts(now, timeZone).date, -7))
}

/** The weekly report for one ISO week: the filter's other fields narrow it (a category, an organisation, an area). */
export function weekly(db: Db, filter: StatsFilter, week: string, cellM: number, now: number, timeZone: string): WeeklyStats {
  const { week: _week, from: _from, to: _to, ...f } = filter
  const inWeek = { ...f, week }
  const [monday, sunday] = weekRange(week)
  const baseline = weeksEndingWith(week, WEEKLY_BASELINE_WEEKS + 1).slice(0, -1)
  const history = trend(db, f, week, 12)
  const baselineTotals = trend(db, f, week, WEEKLY_BASELINE_WEEKS + 1).weeks.slice(0, -1)
  const baselineByCategory = byCategory(db, { ...f, from: weekRange(baseline[0]!)[0], to: weekRange(baseline.at(-1)!)[1] })
  const current = byCategory(db, inWeek)
  const categories = new Set([...current.rows, ...baselineByCategory.rows].map(r => r.category))
  const mean = (n: number) => Math.round(n / WEEKLY_BASELINE_WEEKS * 100) / 100
  return {
    week, monday, sunday,
    total: current.total,
    trend: history.weeks,
    baselineMean: mean(baselineTotals.reduce((s, w) => s + w.count, 0)),
    byCategory: [...categories].map(category => ({
      category,
      count: current.rows.find(r => r.category === category)?.count ?? 0,
      baselineMean: mean(baselineByCategory.rows.find(r => r.category === category)?.count ?? 0),
    })).sort((a, b) => b.count - a.count || b.baselineMean - a.baselineMean || a.category.localeCompare(b.category)),
    byOrganisation: byOrganisation(db, inWeek).rows,
    hotspots: hotspots(db, inWeek, cellM, 10),
    changes: change(db, f, changePeriod(week, WEEKLY_BASELINE_WEEKS, now, timeZone)).rows.filter(r => r.trend !== 'steady'),
    weekdayHour: weekdayHour(db, inWeek),
  }
}
