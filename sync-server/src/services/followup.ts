import {
  binomialTestTwoSided, binomialUpperTail, insideShape, isoWeekMonday, localParts, poissonInterval, shapeBounds,
  type FollowupHotSpot, type Followup, type HotSpotShape, type StatsFilter,
} from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cellRanges, cellRangesSql, type Area } from './stats/area.ts'
import { COUNTED, statsQuery } from './stats/filter.ts'
import { weekOfDate, weekRange, weeksEndingWith } from './stats/weeks.ts'
import { decisionOf, placeMap, prioritiesFor, shapeOf } from './priorities.ts'
import { visitCounts } from './visits.ts'

const BASELINE_WEEKS = 8
const AFTER_WEEKS = 2
const ALPHA = 0.05

/** Counted incidents per local date in [first, last], optionally of some categories: the city, from the summary's own query. */
function cityPerWeek(db: Db, category: string[] | undefined, first: string, last: string): Map<string, number> {
  const f: StatsFilter = category ? { category } : {}
  const q = statsQuery(db, f, 'date', { dates: false, extraDates: [first, last] })
  const perWeek = new Map<string, number>()
  for (const r of db.prepare(`SELECT local_date AS date, ${q.count} AS n FROM ${q.from} WHERE ${q.where} GROUP BY local_date`).all(...q.params) as Array<{ date: string; n: number }>) {
    const week = weekOfDate(r.date)
    perWeek.set(week, (perWeek.get(week) ?? 0) + r.n)
  }
  return perWeek
}

/**
 * Counted incidents inside a shape per ISO week. The grid cells that touch the shape's bounding area pick the
 * candidate rows through the stats_grid index; each candidate is then tested against the shape itself.
 */
function insidePerWeek(db: Db, shape: HotSpotShape, category: string[] | undefined, first: string, last: string): Map<string, number> {
  const area: Area = shape.type === 'Circle'
    ? { circle: { lon: shape.coordinates[0], lat: shape.coordinates[1], radius: shape.radiusM } }
    : { bbox: shapeBounds(shape) }
  const [minLon, minLat, maxLon, maxLat] = shapeBounds(shape)
  const cats = category ? ` AND category IN (${category.map(() => '?').join(', ')})` : ''
  const filters = `${COUNTED} AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND local_date BETWEEN ? AND ?${cats}`
  const params = [minLon, maxLon, minLat, maxLat, first, last, ...(category ?? [])]
  const cells = cellRanges(area)
  const ranges = cells ? [...cells.inside, ...cells.edge] : null
  const rows = ranges === null
    ? db.prepare(`SELECT lon, lat, local_date AS date FROM reports INDEXED BY stats_date WHERE ${filters}`).all(...params)
    : ranges.length === 0 ? []
      : db.prepare(`SELECT lon, lat, local_date AS date FROM ${cellRangesSql(ranges).sql} CROSS JOIN reports INDEXED BY stats_grid
                    WHERE grid_cell BETWEEN cells.column1 AND cells.column2 AND ${filters}`).all(...cellRangesSql(ranges).params, ...params)
  const perWeek = new Map<string, number>()
  for (const r of rows as Array<{ lon: number; lat: number; date: string }>) {
    if (!insideShape(shape, r)) continue
    const week = weekOfDate(r.date)
    perWeek.set(week, (perWeek.get(week) ?? 0) + 1)
  }
  return perWeek
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)

/**
 * The follow-up of a week's decision (DESIGN "Follow-up"): per hot-spot, counted incidents inside it per week from
 * W−8 to W+2 (stopping at the current week, which is `partial`), the rest of the city in the same weeks, the
 * baseline (mean of the complete weeks W−8 … W−1), visits in W, the action's state, and an honest assessment.
 */
export function followup(db: Db, week: string, category: string[] | undefined, timeZone: string, now: number): Followup {
  const decision = decisionOf(db, week)
  const head = { week, category: category ?? null }
  if (!decision) return { ...head, decided: false, hotSpots: [] }
  const currentWeek = localParts(now, timeZone).isoWeek
  const all = weeksEndingWith(weekAfter(week, AFTER_WEEKS), BASELINE_WEEKS + 1 + AFTER_WEEKS)
  const weeks = all.filter(w => w <= currentWeek)
  const places = placeMap(db)
  const priority = prioritiesFor(db, week, timeZone, now, places)!
  const visits = visitCounts(db, week)
  const first = weeks.length ? isoWeekMonday(weeks[0]!) : isoWeekMonday(week)
  const last = weeks.length ? weekRange(weeks.at(-1)!)[1] : weekRange(week)[1]
  const city = weeks.length ? cityPerWeek(db, category, first, last) : new Map<string, number>()

  const hotSpots = decision.spots.map((spot, index): FollowupHotSpot => {
    const shape = shapeOf(spot, places)
    const inside = shape && weeks.length ? insidePerWeek(db, shape, category, first, last) : new Map<string, number>()
    const rows = weeks.map(w => {
      const count = inside.get(w) ?? 0
      const [low, high] = poissonInterval(count)
      return { isoWeek: w, count, restOfCity: (city.get(w) ?? 0) - count, partial: w === currentWeek, low: round(low), high: round(high) }
    })
    const complete = rows.filter(r => !r.partial)
    const before = complete.filter(r => r.isoWeek < week)
    const after = complete.filter(r => r.isoWeek >= week)
    const b = sum(before.map(r => r.count))
    const [bLow, bHigh] = poissonInterval(b)
    const n = Math.max(1, before.length)
    const state = priority.hotSpots[index]!
    const byOrg = visits.get(index) ?? []
    return {
      index,
      ...(spot.placeId !== undefined ? { placeId: spot.placeId } : {}),
      ...(state.radiusM !== undefined ? { radiusM: state.radiusM } : {}),
      ...(spot.geometry ? { geometry: spot.geometry } : {}),
      ...(spot.label !== undefined ? { label: spot.label } : {}),
      name: spot.placeId !== undefined ? places.get(spot.placeId)?.name ?? null : spot.label ?? null,
      ...(spot.responsibleOrgId !== undefined ? { responsibleOrgId: spot.responsibleOrgId } : {}),
      action: spot.action,
      actionStatus: state.actionStatus,
      ...(state.actionComment ? { actionComment: state.actionComment } : {}),
      visits: sum(byOrg.map(o => o.visits)),
      visitsByOrganisation: byOrg,
      baseline: round(b / n),
      baselineLow: round(bLow / n),
      baselineHigh: round(bHigh / n),
      weeks: rows,
      assessment: assess(week, before, after),
    }
  })
  return { ...head, decided: true, hotSpots }
}

function weekAfter(week: string, k: number): string {
  const monday = isoWeekMonday(week)
  return weekOfDate(new Date(Date.parse(monday + 'T00:00:00Z') + k * 7 * 86_400_000).toISOString().slice(0, 10))
}

type Row = { isoWeek: string; count: number; restOfCity: number }

/**
 * Did incidents inside the hot-spot change from the baseline weeks to the weeks after, more than in the rest of
 * the city? Given the hot-spot's total over both periods, its count after is binomial with the share the rest of
 * the city had after (so a city-wide change is not taken for an effect); the exact two-sided test decides.
 */
export function assess(week: string, before: Row[], after: Row[]) {
  const observed = sum(after.map(r => r.count))
  const b = sum(before.map(r => r.count))
  const restBefore = sum(before.map(r => r.restOfCity)), restAfter = sum(after.map(r => r.restOfCity))
  const share = restBefore > 0 && restAfter > 0
    ? restAfter / (restAfter + restBefore)
    : after.length / Math.max(1, after.length + before.length)
  const expected = before.length ? (b * share) / (1 - share) : 0
  const peakBefore = peak(before, weekAfter(week, -1))
  if (!after.length || !before.length) return { weeks: after.map(r => r.isoWeek), observed, expected: round(expected), pValue: null, verdict: 'not_yet' as const, peakBefore }
  const pValue = binomialTestTwoSided(observed, observed + b, share)
  const verdict = pValue < ALPHA ? (observed > expected ? 'higher' as const : 'lower' as const) : 'no_change_shown' as const
  return { weeks: after.map(r => r.isoWeek), observed, expected: round(expected), pValue: round(pValue, 4), verdict, peakBefore }
}

/** The last baseline week (W−1, what the meeting looked at) stands well above the weeks before it (one-sided exact test, 5 %). */
function peak(before: Row[], lastWeek: string): boolean {
  if (before.length < 3 || before.at(-1)!.isoWeek !== lastWeek) return false
  const lastCount = before.at(-1)!.count
  const total = sum(before.map(r => r.count))
  return lastCount > 0 && binomialUpperTail(lastCount, total, 1 / before.length) < ALPHA
}
