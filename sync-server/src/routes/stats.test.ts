import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseStatsFilter, statsFilterToQuery, statsFilterToSearchParams } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { insertReports } from '../services/stats/fixtures.ts'

const ENDPOINTS = ['total', 'categories', 'organisations', 'trend', 'weekday-hour', 'places', 'grid', 'hotspots', 'change', 'reports', 'points', 'weekly']
  .map(e => `/api/stats/${e}`).concat(['/api/export/reports.csv', '/api/export/reports.geojson'])

let s: TestServer
const cookies: Record<string, string> = {}
beforeAll(async () => {
  s = await testServer()
  for (const role of ['analyst', 'reviewer', 'admin', 'reporter'] as const) cookies[role] = (await s.signIn(`u-${role}`, [role], 'Kommunen')).cookie
  const reporter = await s.signIn('vakt', ['reporter'])
  insertReports(s, reporter, [{ occurredAt: Date.parse('2026-11-20T20:00:00Z') }, { occurredAt: Date.parse('2026-11-21T21:00:00Z'), category: 'drugs' }])
})
afterAll(() => s.close())

describe('who may see the summary', () => {
  it.each(ENDPOINTS)('%s: analyst, reviewer and admin 200; reporter 403; signed out 401', async path => {
    for (const role of ['analyst', 'reviewer', 'admin']) {
      const res = await s.request('GET', path, { cookie: cookies[role]! })
      expect(res.status, role).toBe(200)
      await res.arrayBuffer() // an export holds its slot until it has been read
    }
    const before = snapshot(s.db)
    expect((await s.request('GET', path, { cookie: cookies.reporter! })).status).toBe(403)
    expect((await s.request('GET', path)).status).toBe(401)
    expect(snapshot(s.db)).toEqual(before)
  })
})

describe('a bad filter answers 400 naming the field and changes nothing', () => {
  const cases: Array<[string, string]> = [
    ['/api/stats/total?from=2026-13-01', 'from'],
    ['/api/stats/total?from=2026-02-30', 'from'],
    ['/api/stats/total?from=2026-11-09&to=2026-11-02', 'to'],
    ['/api/stats/total?week=2026-W54', 'week'],
    ['/api/stats/total?week=2026-48', 'week'],
    ['/api/stats/categories?category=Drugs', 'category'],
    ['/api/stats/total?org=0', 'org'],
    ['/api/stats/total?org=kommunen', 'org'],
    ['/api/stats/weekday-hour?weekday=8', 'weekday'],
    ['/api/stats/total?hourFrom=24', 'hourFrom'],
    ['/api/stats/total?hourTo=-1', 'hourTo'],
    ['/api/stats/total?hourFrom=', 'hourFrom'],
    ['/api/stats/total?hourFrom=1&hourFrom=2', 'hourFrom'],
    ['/api/stats/grid?bbox=12.6,56.0,12.8', 'bbox'],
    ['/api/stats/grid?bbox=12.8,56.0,12.6,56.1', 'bbox'],
    ['/api/stats/places?place=abc', 'place'],
    ['/api/stats/places?place=999', 'place'],
    ['/api/stats/total?radius=500', 'radius'],
    ['/api/stats/total?place=1&radius=0', 'radius'],
    ['/api/stats/trend?weeks=0', 'weeks'],
    ['/api/stats/grid?cell=300', 'cell'],
    ['/api/stats/hotspots?limit=51', 'limit'],
    ['/api/stats/change?baseline=3', 'baseline'],
    ['/api/stats/reports?pageSize=500', 'pageSize'],
    ['/api/stats/points?limit=0', 'limit'],
    ['/api/stats/weekly?week=2026-W48&from=2026-11-01', 'from'],
    ['/api/export/reports.csv?weekday=0', 'weekday'],
    ['/api/export/reports.geojson?crs=EPSG:3857', 'crs'],
  ]
  it.each(cases)('%s → 400 naming %s', async (path, field) => {
    const before = snapshot(s.db)
    const res = await s.request('GET', path, { cookie: cookies.analyst! })
    expect(res.status).toBe(400)
    const body = await jsonOf(res)
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.field?.split('.')[0]).toBe(field)
    expect(body.error.message).toContain(field)
    expect(snapshot(s.db)).toEqual(before)
  })
})

describe('the shared filter', () => {
  it('reads repeated keys as alternatives and writes back what it read', () => {
    const q = 'from=2026-11-02&to=2026-11-08&category=drugs&category=gathering&org=3&weekday=6&weekday=7&hourFrom=22&hourTo=4&bbox=12.6%2C56%2C12.8%2C56.1&place=1&radius=500'
    const parsed = parseStatsFilter(new URLSearchParams(q))
    expect(parsed.success).toBe(true)
    expect(parsed.data).toEqual({ from: '2026-11-02', to: '2026-11-08', category: ['drugs', 'gathering'], org: [3], weekday: [6, 7], hourFrom: 22, hourTo: 4, bbox: [12.6, 56, 12.8, 56.1], place: 1, radius: 500 })
    expect(statsFilterToSearchParams(parsed.data!).toString()).toBe(q)
    // A router query object (vue-router's shape) reads the same.
    expect(parseStatsFilter(statsFilterToQuery(parsed.data!)).data).toEqual(parsed.data)
  })

  it('filters the same through the API: repeated values are alternatives, keys combine with AND', async () => {
    const get = async (q: string) => (await jsonOf<{ total: number }>(await s.request('GET', `/api/stats/total?${q}`, { cookie: cookies.analyst! }))).total
    expect(await get('')).toBe(2)
    expect(await get('category=drugs&category=gathering')).toBe(2)
    expect(await get('category=drugs')).toBe(1)
    // 2026-11-21T21:00Z is 22:00 on Saturday the 21st in Stockholm
    expect(await get('category=drugs&from=2026-11-22')).toBe(0)
    expect(await get('category=drugs&to=2026-11-21&weekday=6')).toBe(1)
    expect(await get('hourFrom=21&hourTo=21')).toBe(1)
    expect(await get('hourFrom=22&hourTo=2')).toBe(1)
  })
})
