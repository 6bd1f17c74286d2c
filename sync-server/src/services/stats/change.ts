import { CHANGE_RULE, changeTrend, isoWeekMonday, localParts, type ChangeRow, type StatsChange, type StatsFilter } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { statsQuery, type Sql } from './filter.ts'
import { weekRange, weeksEndingWith } from './weeks.ts'

export interface ChangePeriod {
  week: string
  baselineWeeks: string[]
  /** while `week` is running: count every week only up to this local weekday and hour */
  upTo: { weekday: number; hour: number } | null
}

export function changePeriod(week: string, baseline: number, now: number, timeZone: string): ChangePeriod {
  const weeks = weeksEndingWith(week, baseline + 1)
  const today = localParts(now, timeZone)
  return { week, baselineWeeks: weeks.slice(0, -1), upTo: today.isoWeek === week ? { weekday: today.weekday, hour: today.hour } : null }
}

/** Counts per category × place, split into the week itself (cur = 1) and its baseline weeks (cur = 0). */
export function changeSql(db: Db, f: StatsFilter, p: ChangePeriod): Sql {
  const q = statsQuery(db, f, 'place', { dates: false, extraDates: [isoWeekMonday(p.baselineWeeks[0] ?? p.week), weekRange(p.week)[1]], readsHour: p.upTo !== null })
  const cut = p.upTo ? ' AND (local_weekday < ? OR (local_weekday = ? AND local_hour <= ?))' : ''
  return {
    sql: `SELECT category, place_id AS placeId, local_date >= ? AS cur, ${q.count} AS count FROM ${q.from} WHERE ${q.where}${cut}
          GROUP BY category, place_id, local_date >= ? HAVING count > 0`,
    params: [isoWeekMonday(p.week), ...q.params, ...(p.upTo ? [p.upTo.weekday, p.upTo.weekday, p.upTo.hour] : []), isoWeekMonday(p.week)],
  }
}

/**
 * Each category × place in the week against its own baseline: the mean of the weeks before. CHANGE_RULE
 * (packages/domain) decides rising and falling; rising rows come first, the largest increase first.
 */
export function change(db: Db, f: StatsFilter, p: ChangePeriod): StatsChange {
  const q = changeSql(db, f, p)
  const cells = new Map<string, { category: string; placeId: number | null; current: number; baselineTotal: number }>()
  for (const r of db.prepare(q.sql).all(...q.params) as Array<{ category: string; placeId: number | null; cur: number; count: number }>) {
    const placeId = r.placeId || null // a rollup writes "no place" as 0
    const key = `${r.category}|${placeId}`
    const cell = cells.get(key) ?? { category: r.category, placeId, current: 0, baselineTotal: 0 }
    if (r.cur) cell.current += r.count
    else cell.baselineTotal += r.count
    cells.set(key, cell)
  }
  const names = new Map((db.prepare('SELECT id, name FROM places').all() as Array<{ id: number; name: string }>).map(pl => [pl.id, pl.name]))
  const order = { rising: 0, steady: 1, falling: 2 }
  const rows: ChangeRow[] = [...cells.values()].map(c => {
    const baselineMean = c.baselineTotal / p.baselineWeeks.length
    return {
      ...c,
      placeName: c.placeId === null ? null : names.get(c.placeId) ?? null,
      baselineMean: round(baselineMean),
      delta: round(c.current - baselineMean),
      ratio: baselineMean > 0 ? round(c.current / baselineMean) : null,
      trend: changeTrend(c.current, baselineMean),
    }
  })
  rows.sort((a, b) => order[a.trend] - order[b.trend] || (a.trend === 'falling' ? a.delta - b.delta : b.delta - a.delta) || b.current - a.current
    || a.category.localeCompare(b.category) || (a.placeId ?? 0) - (b.placeId ?? 0))
  return { week: p.week, baselineWeeks: p.baselineWeeks, upTo: p.upTo, rule: { ...CHANGE_RULE }, rows }
}

const round = (n: number) => Math.round(n * 100) / 100
