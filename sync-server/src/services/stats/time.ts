import { isoWeekMonday, type StatsFilter, type StatsTrend, type StatsWeekdayHour } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { statsQuery, type Sql } from './filter.ts'
import { weekOfDate, weekRange, weeksEndingWith } from './weeks.ts'

/** Counts per local day over `weeks` ISO weeks ending with `endWeek`; the filter's own dates are left out (they chose the end). */
export function trendSql(db: Db, f: StatsFilter, endWeek: string, weeks: number): Sql {
  const first = isoWeekMonday(weeksEndingWith(endWeek, weeks)[0]!)
  const q = statsQuery(db, f, 'date', { dates: false, extraDates: [first, weekRange(endWeek)[1]] })
  return { sql: `SELECT local_date AS date, ${q.count} AS count FROM ${q.from} WHERE ${q.where} GROUP BY local_date`, params: q.params }
}

/** Counts per ISO week, zero-filled: grouped by day (the index delivers days in order) and folded into weeks. */
export function trend(db: Db, f: StatsFilter, endWeek: string, weeks: number): StatsTrend {
  const q = trendSql(db, f, endWeek, weeks)
  const list = weeksEndingWith(endWeek, weeks)
  const perWeek = new Map(list.map(week => [week, 0]))
  for (const d of db.prepare(q.sql).all(...q.params) as Array<{ date: string; count: number }>) {
    const week = weekOfDate(d.date)
    perWeek.set(week, (perWeek.get(week) ?? 0) + d.count)
  }
  return { endWeek, weeks: list.map(week => ({ isoWeek: week, monday: isoWeekMonday(week), count: perWeek.get(week) ?? 0 })) }
}

export function weekdayHourSql(db: Db, f: StatsFilter): Sql {
  const q = statsQuery(db, f, 'weekday_hour')
  return { sql: `SELECT local_weekday AS d, local_hour AS h, ${q.count} AS count FROM ${q.from} WHERE ${q.where} GROUP BY local_weekday, local_hour`, params: q.params }
}

export function weekdayHour(db: Db, f: StatsFilter): StatsWeekdayHour {
  const q = weekdayHourSql(db, f)
  const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
  let total = 0
  for (const r of db.prepare(q.sql).all(...q.params) as Array<{ d: number; h: number; count: number }>) {
    counts[r.d - 1]![r.h] = r.count
    total += r.count
  }
  return { total, counts }
}
