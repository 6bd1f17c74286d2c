import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatsByCategory, StatsTotal, StatsTrend, StatsWeekdayHour } from '@lagesbild/domain'
import { jsonOf, testServer, type TestServer } from '../../../test/support.ts'
import { createRng } from '../demo/prng.ts'
import { insertReports } from './fixtures.ts'
import { GRID_ROWS, baseCell } from './grid.ts'

let s: TestServer
let cookie: string
const at = (iso: string) => Date.parse(iso)

beforeAll(async () => {
  s = await testServer()
  const reporter = await s.signIn('vakt', ['reporter'])
  cookie = (await s.signIn('ana', ['analyst'], 'Kommunen')).cookie
  insertReports(s, reporter, [
    // Spring forward, Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST; local hour 2 does not exist.
    { occurredAt: at('2026-03-28T23:30:00Z'), category: 'drugs' },    // 00:30 CET on the 29th (a Sunday), not the 28th
    { occurredAt: at('2026-03-29T00:59:59Z'), category: 'drugs' },    // 01:59:59 CET
    { occurredAt: at('2026-03-29T01:00:00Z'), category: 'drugs' },    // 03:00 CEST
    // Fall back, Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET; local hour 2 happens twice.
    { occurredAt: at('2026-10-24T22:30:00Z'), category: 'arson' },    // 00:30 CEST on the 25th
    { occurredAt: at('2026-10-25T00:30:00Z'), category: 'arson' },    // 02:30 CEST
    { occurredAt: at('2026-10-25T01:30:00Z'), category: 'arson' },    // 02:30 CET
    { occurredAt: at('2026-10-25T02:30:00Z'), category: 'arson' },    // 03:30 CET
    // ISO week 53 of 2026 runs Monday 28 December 2026 to Sunday 3 January 2027.
    { occurredAt: at('2026-12-27T22:59:00Z'), category: 'event' },    // Sunday 27th 23:59: 2026-W52
    { occurredAt: at('2026-12-27T23:00:00Z'), category: 'event' },    // Monday 28th 00:00: 2026-W53
    { occurredAt: at('2026-12-31T23:30:00Z'), category: 'event' },    // Friday 1 January 2027 00:30: still 2026-W53
    { occurredAt: at('2027-01-03T22:59:00Z'), category: 'event' },    // Sunday 3rd 23:59: 2026-W53
    { occurredAt: at('2027-01-03T23:00:00Z'), category: 'event' },    // Monday 4th 00:00: 2027-W01
    { occurredAt: at('2026-12-31T12:00:00Z'), category: 'event', status: 'rejected' }, // not counted
  ])
})
afterAll(() => s.close())

async function get<T>(path: string): Promise<T> {
  const res = await s.request('GET', path, { cookie })
  expect(res.status, path).toBe(200)
  return jsonOf<T>(res)
}

describe('summer time', () => {
  it('puts the spring-forward night in the right local hours and day', async () => {
    const m = await get<StatsWeekdayHour>('/api/stats/weekday-hour?category=drugs')
    expect(m.counts[6]!.slice(0, 5)).toEqual([1, 1, 0, 1, 0]) // Sunday 00, 01, (no 02), 03
    expect(m.total).toBe(3)
    expect((await get<StatsTotal>('/api/stats/total?from=2026-03-29&to=2026-03-29&category=drugs')).total).toBe(3)
    expect((await get<StatsTotal>('/api/stats/total?to=2026-03-28&category=drugs')).total).toBe(0)
  })

  it('counts both 02:30s of the fall-back night in hour 2 of Sunday 25 October', async () => {
    const m = await get<StatsWeekdayHour>('/api/stats/weekday-hour?category=arson&from=2026-10-25&to=2026-10-25')
    expect(m.counts[6]!.slice(0, 4)).toEqual([1, 0, 2, 1])
    expect((await get<StatsTotal>('/api/stats/total?category=arson&hourFrom=2&hourTo=2')).total).toBe(2)
    expect((await get<StatsTotal>('/api/stats/total?category=arson&weekday=6')).total).toBe(0)
  })
})

describe('ISO week 53 and the turn of the year', () => {
  it('filters 2026-W53 from Monday 28 December to Sunday 3 January', async () => {
    expect((await get<StatsTotal>('/api/stats/total?week=2026-W53')).total).toBe(3)
    expect((await get<StatsTotal>('/api/stats/total?week=2026-W52&category=event')).total).toBe(1)
    expect((await get<StatsTotal>('/api/stats/total?week=2027-W01')).total).toBe(1)
    expect((await get<StatsTotal>('/api/stats/total?from=2026-12-31&to=2027-01-01')).total).toBe(1)
    expect((await get<StatsTotal>('/api/stats/total?from=2027-01-01&to=2027-01-03&weekday=5')).total).toBe(1)
  })

  it('runs the trend across the year end through week 53', async () => {
    const t = await get<StatsTrend>('/api/stats/trend?week=2027-W01&weeks=3&category=event')
    expect(t.weeks).toEqual([
      { isoWeek: '2026-W52', monday: '2026-12-21', count: 1 },
      { isoWeek: '2026-W53', monday: '2026-12-28', count: 3 },
      { isoWeek: '2027-W01', monday: '2027-01-04', count: 1 },
    ])
    const byTo = await get<StatsTrend>('/api/stats/trend?to=2027-01-02&weeks=2')
    expect(byTo.endWeek).toBe('2026-W53')
  })

  it('refuses a week 53 in a year without one, naming the field', async () => {
    const res = await s.request('GET', '/api/stats/total?week=2027-W53', { cookie })
    expect(res.status).toBe(400)
    expect((await jsonOf(res)).error).toMatchObject({ code: 'invalid_request', field: 'week' })
  })

  it('counts only approved reports that are not merged duplicates', async () => {
    const cats = await get<StatsByCategory>('/api/stats/categories')
    expect(cats.total).toBe(12)
    const [primary, duplicate] = s.db.prepare(`SELECT id FROM reports WHERE category = 'arson' ORDER BY occurred_at`).pluck().all() as string[]
    s.db.prepare('UPDATE reports SET duplicate_of = ? WHERE id = ?').run(primary, duplicate)
    expect((await get<StatsTotal>('/api/stats/total?category=arson')).total).toBe(3)
    s.db.prepare('UPDATE reports SET duplicate_of = NULL WHERE id = ?').run(duplicate)
  })
})

describe('the grid', () => {
  it('computes the same base cell in the database (migration 003) as grid.ts does', () => {
    // The generated column's own expression, as SQLite stored it, evaluated over many positions.
    const table = s.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'reports'`).pluck().get() as string
    const expr = /grid_cell INTEGER GENERATED ALWAYS AS \(([\s\S]+?)\) VIRTUAL/.exec(table)![1]!
    s.db.exec(`CREATE TEMP TABLE cells (lon REAL, lat REAL, cell INTEGER AS (${expr}))`)
    const rng = createRng(3)
    const insert = s.db.prepare('INSERT INTO cells (lon, lat) VALUES (?, ?)')
    for (let i = 0; i < 5000; i++) insert.run(11 + rng() * 13, 55 + rng() * 14)
    const cellOf = (lon: number, lat: number) => { const [x, y] = baseCell(lon, lat); return x * GRID_ROWS + y }
    const rows = s.db.prepare('SELECT lon, lat, cell FROM cells').all() as Array<{ lon: number; lat: number; cell: number }>
    expect(rows.length).toBe(5000)
    for (const r of rows) expect(r.cell).toBe(cellOf(r.lon, r.lat))
    const stored = s.db.prepare('SELECT lon, lat, grid_cell FROM reports').all() as Array<{ lon: number; lat: number; grid_cell: number }>
    for (const r of stored) expect(r.grid_cell).toBe(cellOf(r.lon, r.lat))
  })
})
