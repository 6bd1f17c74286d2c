import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEMO_PLACES, distanceM, isoWeekMonday, isoWeekOf, localParts,
  type StatsByCategory, type StatsByOrganisation, type StatsByPlace, type StatsChange, type StatsGrid, type StatsHotspots,
  type StatsPoints, type StatsReportPage, type StatsTotal, type StatsTrend, type StatsWeekdayHour, type WeeklyStats,
} from '@lagesbild/domain'
import { jsonOf, testServer, type TestServer } from '../../../test/support.ts'
import { createRng, type Rng } from '../demo/prng.ts'
import { FIXTURE_CATEGORIES, TZ, randomFixture, type Fixture, type FixtureRow } from './fixtures.ts'

// The tests' own reading of the filter, written from DESIGN.md and the schema's comment, not from filter.ts.
interface F {
  from?: string; to?: string; week?: string; category?: string[]; org?: number[]; weekday?: number[]
  hourFrom?: number; hourTo?: number; bbox?: [number, number, number, number]; place?: number; radius?: number
}

function matches(r: FixtureRow, f: F, { dates = true } = {}): boolean {
  const l = r.local
  if (dates && f.from && l.date < f.from) return false
  if (dates && f.to && l.date > f.to) return false
  if (dates && f.week && l.isoWeek !== f.week) return false
  if (f.category && !f.category.includes(r.category)) return false
  if (f.org && !f.org.includes(r.organisationId)) return false
  if (f.weekday && !f.weekday.includes(l.weekday)) return false
  const { hourFrom: a, hourTo: b } = f
  if (a !== undefined && b !== undefined && (a <= b ? l.hour < a || l.hour > b : l.hour < a && l.hour > b)) return false
  if (a !== undefined && b === undefined && l.hour < a) return false
  if (b !== undefined && a === undefined && l.hour > b) return false
  if (f.bbox && (r.lon < f.bbox[0] || r.lon > f.bbox[2] || r.lat < f.bbox[1] || r.lat > f.bbox[3])) return false
  if (f.place !== undefined) {
    const p = DEMO_PLACES.find(x => x.id === f.place)!
    if (f.radius === undefined ? r.placeId !== f.place : distanceM(p, r) > f.radius) return false
  }
  return true
}

function query(f: F, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(f)) {
    if (k === 'bbox') p.append(k, (v as number[]).join(','))
    else for (const x of [v].flat()) p.append(k, String(x))
  }
  for (const [k, v] of Object.entries(extra)) p.append(k, String(v))
  return p.toString()
}

function countBy<K>(rows: FixtureRow[], key: (r: FixtureRow) => K): Map<K, number> {
  const m = new Map<K, number>()
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1)
  return m
}

const weekOf = (date: string) => { const [y, m, d] = date.split('-').map(Number) as [number, number, number]; return isoWeekOf(y, m, d).isoWeek }
const shiftDays = (date: string, n: number) => new Date(Date.parse(date + 'T12:00:00Z') + n * 86_400_000).toISOString().slice(0, 10)
const weeksBack = (end: string, n: number) => Array.from({ length: n }, (_, i) => weekOf(shiftDays(isoWeekMonday(end), -7 * (n - 1 - i))))

// Grid cells by the definition in the schema: 50 m base cells (latitude on R = 6,371,008.8 m; longitude at 58° N), k × k per cell.
const DLAT = 50 / (Math.PI / 180 * 6_371_008.8)
const DLON = DLAT / Math.cos(58 * Math.PI / 180)
const cellKey = (r: FixtureRow, cellM: number) => {
  const k = cellM / 50
  return `${Math.floor(Math.trunc((r.lon + 180) / DLON) / k)}:${Math.floor(Math.trunc((r.lat + 90) / DLAT) / k)}`
}

const WEEKS = ['2026-W13', '2026-W43', '2026-W47', '2026-W48', '2026-W52', '2026-W53', '2027-W01', '2026-W20']

/**
 * A thin or degenerate bbox through a place: a strip ~37,000 grid columns wide and one row high (one cell range
 * per column, more than SQLite would bind as parameters), a tall one-column strip, a line, or a single point.
 */
function thinBbox(rng: Rng): [number, number, number, number] {
  const p = rng.pick(DEMO_PLACES.slice(0, 12))
  const roll = rng()
  if (roll < 0.4) return [p.lon - 16, p.lat - 0.0001, p.lon + 16, p.lat + 0.0001]
  if (roll < 0.6) return [p.lon - 0.0002, p.lat - 4, p.lon + 0.0002, p.lat + 4]
  if (roll < 0.8) return [p.lon - 16, p.lat, p.lon + 16, p.lat]
  return [p.lon, p.lat, p.lon, p.lat]
}

function randomFilter(rng: Rng, orgIds: number[]): F {
  const f: F = {}
  if (rng() < 0.35) {
    const a = shiftDays('2026-01-01', rng.int(400)), b = shiftDays(a, rng.int(120))
    if (rng() < 0.8) f.from = a
    if (rng() < 0.8) f.to = b
  }
  if (rng() < 0.3) f.week = rng.pick(WEEKS)
  if (rng() < 0.3) f.category = [...new Set([rng.pick(FIXTURE_CATEGORIES), rng.pick(FIXTURE_CATEGORIES)])]
  if (rng() < 0.25) f.org = [...new Set([rng.pick(orgIds), rng.pick(orgIds)])]
  if (rng() < 0.25) f.weekday = [...new Set([1 + rng.int(7), 1 + rng.int(7), 1 + rng.int(7)])]
  if (rng() < 0.35) {
    const roll = rng()
    if (roll < 0.7) { f.hourFrom = rng.int(24); f.hourTo = rng.int(24) } else if (roll < 0.85) f.hourFrom = rng.int(24)
    else f.hourTo = rng.int(24)
  }
  if (rng() < 0.2) {
    const p = rng.pick(DEMO_PLACES.slice(0, 12)), w = 0.002 + rng() * 0.01
    f.bbox = [p.lon - w, p.lat - w / 2, p.lon + w, p.lat + w / 2]
  } else if (rng() < 0.1) f.bbox = thinBbox(rng)
  if (rng() < 0.2) {
    f.place = rng.pick(DEMO_PLACES.slice(0, 12)).id
    if (rng() < 0.5) f.radius = 100 + rng.int(900)
  }
  return f
}

let s: TestServer
let fx: Fixture
let analyst: string
let reviewer: string
beforeAll(async () => {
  s = await testServer()
  fx = await randomFixture(s, 7, 450)
  analyst = (await s.signIn('ana', ['analyst'], 'Kommunen')).cookie
  reviewer = (await s.signIn('rev', ['reviewer'], 'Kommunen')).cookie
})
afterAll(() => s.close())

async function get<T>(path: string, cookie = analyst): Promise<T> {
  const res = await s.request('GET', path, { cookie })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return jsonOf<T>(res)
}

/** An area (bbox, circle or both) without a time: counted from whole grid cells plus the rows on the area's edge. */
function randomAreaFilter(rng: Rng, orgIds: number[]): F {
  const f: F = {}
  const p = rng.pick(DEMO_PLACES.slice(0, 12))
  if (rng() < 0.7) {
    const w = 0.001 + rng() * 0.02
    f.bbox = rng() < 0.25 ? thinBbox(rng) : [p.lon - w * rng(), p.lat - w * rng() / 2, p.lon + w * rng(), p.lat + w * rng() / 2]
  }
  if (!f.bbox || rng() < 0.4) { f.place = rng.pick(DEMO_PLACES.slice(0, 12)).id; f.radius = 50 + rng.int(1500) }
  if (rng() < 0.3) f.category = [rng.pick(FIXTURE_CATEGORIES)]
  if (rng() < 0.2) f.org = [rng.pick(orgIds)]
  return f
}

describe('every aggregate equals an independent computation over the same rows', () => {
  const rng = createRng(20261125)
  const cases = Array.from({ length: 80 }, (_, i) => i)

  it.each(cases)('random filter combination %i', async i => {
    const f = i % 4 === 3 ? randomAreaFilter(rng, fx.orgs.map(o => o.id)) : randomFilter(rng, fx.orgs.map(o => o.id))
    const q = query(f)
    const rows = fx.counted.filter(r => matches(r, f))

    expect((await get<StatsTotal>(`/api/stats/total?${q}`)).total, q).toBe(rows.length)

    const cats = await get<StatsByCategory>(`/api/stats/categories?${q}`)
    expect(new Map(cats.rows.map(r => [r.category, r.count])), q).toEqual(countBy(rows, r => r.category))
    expect(cats.rows.map(r => r.count)).toEqual(cats.rows.map(r => r.count).sort((a, b) => b - a))

    const orgs = await get<StatsByOrganisation>(`/api/stats/organisations?${q}`)
    expect(new Map(orgs.rows.map(r => [r.organisationId, r.count])), q).toEqual(countBy(rows, r => r.organisationId))
    for (const o of orgs.rows) expect(o.name).toBe(fx.orgs.find(x => x.id === o.organisationId)!.name)

    const wdh = await get<StatsWeekdayHour>(`/api/stats/weekday-hour?${q}`)
    const matrix = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
    for (const r of rows) matrix[r.local.weekday - 1]![r.local.hour]!++
    expect(wdh.counts, q).toEqual(matrix)

    const places = await get<StatsByPlace>(`/api/stats/places?${q}`)
    const byPlace = countBy(rows, r => r.placeId)
    expect(places.unplaced, q).toBe(byPlace.get(null) ?? 0)
    byPlace.delete(null)
    expect(new Map(places.rows.map(r => [r.placeId, r.count])), q).toEqual(byPlace)

    const cellM = rng.pick([100, 250, 500, 1000])
    const cells = await get<StatsGrid>(`/api/stats/grid?${query(f, { cell: cellM })}`)
    expect(new Map(cells.cells.map(c => [c.key, c.count])), q).toEqual(countBy(rows, r => cellKey(r, cellM)))
    for (const c of cells.cells) {
      const inside = rows.find(r => cellKey(r, cellM) === c.key)!
      expect(inside.lon).toBeGreaterThanOrEqual(c.bounds[0] - 1e-6)
      expect(inside.lon).toBeLessThanOrEqual(c.bounds[2] + 1e-6)
      expect(inside.lat).toBeGreaterThanOrEqual(c.bounds[1] - 1e-6)
      expect(inside.lat).toBeLessThanOrEqual(c.bounds[3] + 1e-6)
    }

    const hot = await get<StatsHotspots>(`/api/stats/hotspots?${query(f, { limit: 3 })}`)
    expect(hot.places.map(p => p.count)).toEqual([...byPlace.values()].sort((a, b) => b - a).slice(0, 3))
    for (const p of hot.places) expect(p.count).toBe(byPlace.get(p.placeId))
    expect(hot.cells.map(c => c.count)).toEqual([...countBy(rows, r => cellKey(r, 250)).values()].sort((a, b) => b - a).slice(0, 3))

    // The trend and the change take their period from the filter's end; their own rows ignore from/to/week.
    const now = Date.now()
    const endWeek = f.week ?? (f.to ? weekOf(f.to) : localParts(now, TZ).isoWeek)
    const undated = fx.counted.filter(r => matches(r, f, { dates: false }))
    const weeks = rng.pick([1, 4, 12, 52])
    const trend = await get<StatsTrend>(`/api/stats/trend?${query(f, { weeks })}`)
    const perWeek = countBy(undated, r => r.local.isoWeek)
    expect(trend.weeks.map(w => [w.isoWeek, w.count]), q).toEqual(weeksBack(endWeek, weeks).map(w => [w, perWeek.get(w) ?? 0]))
    expect(trend.weeks.every(w => w.monday === isoWeekMonday(w.isoWeek))).toBe(true)

    const baseline = 4 + rng.int(5)
    const changed = await get<StatsChange>(`/api/stats/change?${query(f, { baseline })}`)
    const today = localParts(now, TZ)
    const upTo = today.isoWeek === endWeek ? { weekday: today.weekday, hour: today.hour } : null
    const baseWeeks = weeksBack(endWeek, baseline + 1).slice(0, -1)
    expect(changed.baselineWeeks).toEqual(baseWeeks)
    expect(changed.upTo).toEqual(upTo)
    const soFar = (r: FixtureRow) => !upTo || r.local.weekday < upTo.weekday || (r.local.weekday === upTo.weekday && r.local.hour <= upTo.hour)
    const expected = new Map<string, { current: number; baselineTotal: number }>()
    for (const r of undated.filter(soFar)) {
      const isCurrent = r.local.isoWeek === endWeek
      if (!isCurrent && !baseWeeks.includes(r.local.isoWeek)) continue
      const e = expected.get(`${r.category}|${r.placeId}`) ?? { current: 0, baselineTotal: 0 }
      if (isCurrent) e.current++
      else e.baselineTotal++
      expected.set(`${r.category}|${r.placeId}`, e)
    }
    expect(new Map(changed.rows.map(r => [`${r.category}|${r.placeId}`, { current: r.current, baselineTotal: r.baselineTotal }])), q).toEqual(expected)
    for (const r of changed.rows) {
      const mean = r.baselineTotal / baseline
      const rising = r.current >= 3 && r.current >= 2 * mean
      const falling = !rising && mean >= 3 && r.current <= 0.5 * mean
      expect(r.trend).toBe(rising ? 'rising' : falling ? 'falling' : 'steady')
    }
    const rank = { rising: 0, steady: 1, falling: 2 }
    expect(changed.rows.map(r => rank[r.trend])).toEqual(changed.rows.map(r => rank[r.trend]).sort())

    const pageSize = 1 + rng.int(30), page = 1 + rng.int(3)
    const listed = await get<StatsReportPage>(`/api/stats/reports?${query(f, { page, pageSize })}`)
    const newest = [...rows].sort((a, b) => b.local.date.localeCompare(a.local.date) || b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1))
    expect(listed.total).toBe(rows.length)
    expect(listed.rows.map(r => r.id), q).toEqual(newest.slice((page - 1) * pageSize, page * pageSize).map(r => r.id))
    for (const r of listed.rows) expect(r.description).toBeUndefined()

    const limit = rng.pick([5, 1000])
    const pts = await get<StatsPoints>(`/api/stats/points?${query(f, { limit })}`)
    expect(pts.total).toBe(rows.length)
    expect(pts.truncated).toBe(rows.length > limit)
    expect(pts.points.length).toBe(Math.min(limit, rows.length))
    const byId = new Map(rows.map(r => [r.id, r]))
    for (const [lon, lat, category, id] of pts.points) expect(byId.get(id)).toMatchObject({ lon, lat, category })
    if (pts.truncated) { // newest days first
      const returned = new Set(pts.points.map(p => p[3]))
      const oldestShown = Math.min(...pts.points.map(p => Date.parse(byId.get(p[3])!.local.date)))
      for (const r of rows) if (!returned.has(r.id)) expect(Date.parse(r.local.date)).toBeLessThanOrEqual(oldestShown)
    }
  })
})

describe('a bbox 40,000 grid columns wide and one row high', () => {
  it('answers total, hot-spots, trend and weekday × hour correctly, with any filter beside it', async () => {
    const p = DEMO_PLACES[0]!
    // Just under 40,000 base cells (10 × 10 km in 50 m cells, the most the cell plan takes), all in one row.
    const halfWidth = 19_990 * 0.0008485446976775395
    const row = Math.trunc((p.lat + 90) / 0.000449660181862269)
    const [south, north] = [(row + 0.2) * 0.000449660181862269 - 90, (row + 0.8) * 0.000449660181862269 - 90]
    for (const extra of [{}, { category: ['drugs'] }, { org: [fx.orgs[0]!.id] }, { from: '2026-03-01', to: '2026-09-30' }] as F[]) {
      const f: F = { bbox: [p.lon - halfWidth, south, p.lon + halfWidth, north], ...extra }
      const q = query(f)
      const rows = fx.counted.filter(r => matches(r, f))
      expect((await get<StatsTotal>(`/api/stats/total?${q}`)).total, q).toBe(rows.length)
      const hot = await get<StatsHotspots>(`/api/stats/hotspots?${q}`)
      expect(hot.cells.reduce((n, c) => n + c.count, 0), q).toBeLessThanOrEqual(rows.length)
      const wdh = await get<StatsWeekdayHour>(`/api/stats/weekday-hour?${q}`)
      expect(wdh.total, q).toBe(rows.length)
      const trend = await get<StatsTrend>(`/api/stats/trend?${q}&week=2027-W05&weeks=60`)
      expect(trend.weeks.reduce((n, w) => n + w.count, 0), q).toBe(fx.counted.filter(r => matches(r, f, { dates: false }) && r.local.date <= '2027-02-07').length)
    }
  })
})

describe('the weekly report', () => {
  it.each([['2026-W48', ''], ['2026-W53', 'category=gathering&category=drugs'], ['2027-W01', 'hourFrom=20&hourTo=4']])('%s %s', async (week, extra) => {
    const report = await get<WeeklyStats>(`/api/stats/weekly?week=${week}&${extra}`)
    const f: F = Object.fromEntries(new URLSearchParams(extra).entries())
    if (extra.includes('category')) f.category = ['gathering', 'drugs']
    if (extra.includes('hourFrom')) { f.hourFrom = 20; f.hourTo = 4 }
    const rows = fx.counted.filter(r => matches(r, { ...f, week }))
    expect(report.total).toBe(rows.length)
    expect(report.monday).toBe(isoWeekMonday(week))
    expect(report.trend.map(w => w.isoWeek)).toEqual(weeksBack(week, 12))
    const undated = fx.counted.filter(r => matches(r, f, { dates: false }))
    const baseWeeks = weeksBack(week, 7).slice(0, -1)
    const base = undated.filter(r => baseWeeks.includes(r.local.isoWeek))
    expect(report.baselineMean).toBeCloseTo(base.length / 6, 2)
    const cats = countBy(rows, r => r.category), baseCats = countBy(base, r => r.category)
    for (const c of report.byCategory) {
      expect(c.count).toBe(cats.get(c.category) ?? 0)
      expect(c.baselineMean).toBeCloseTo((baseCats.get(c.category) ?? 0) / 6, 2)
    }
    expect(new Map(report.byOrganisation.map(o => [o.organisationId, o.count]))).toEqual(countBy(rows, r => r.organisationId))
    expect(report.weekdayHour.total).toBe(rows.length)
    expect(report.changes.every(c => c.trend !== 'steady')).toBe(true)
  })

  it('shows descriptions in the table to reviewers only', async () => {
    const page = await get<StatsReportPage>('/api/stats/reports?pageSize=5', reviewer)
    expect(page.rows.length).toBe(5)
    for (const r of page.rows) expect(r.description).toBe(fx.rows.find(x => x.id === r.id)!.description)
  })
})
