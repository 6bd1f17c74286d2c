import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_PLACES, distanceM, localParts, type Followup, type StatsChange, type StatsWeekdayHour } from '@lagesbild/domain'
import { PASSWORD, jsonOf, snapshot, testServer, type TestServer } from '../../../test/support.ts'
import { insertReports } from '../stats/fixtures.ts'
import { DemoRefusedError, runDemo } from './run.ts'

const NOW = Date.parse('2026-11-25T13:00:00Z') // a Wednesday
const TZ = 'Europe/Stockholm'

let s: TestServer
beforeEach(async () => { s = await testServer() })
afterEach(() => s.close())

describe('runDemo refuses a database with real data', () => {
  it('refuses when there is a report, and changes nothing', async () => {
    const reporter = await s.signIn('vakt', ['reporter'])
    insertReports(s, reporter, [{ occurredAt: NOW - 3_600_000 }])
    const before = snapshot(s.db)
    await expect(runDemo(s.db, { timeZone: TZ, now: NOW })).rejects.toThrow(DemoRefusedError)
    await expect(runDemo(s.db, { timeZone: TZ, now: NOW })).rejects.toThrow(/1 reports, 1 users besides the first admin/)
    expect(snapshot(s.db)).toEqual(before)
  })

  it('refuses when there is a user besides the first admin', async () => {
    await s.signIn('anna', ['analyst'])
    await expect(runDemo(s.db, { timeZone: TZ, now: NOW })).rejects.toThrow(/empty database/)
  })
})

describe('a demo year', () => {
  it('fills an empty database with a realistic year and accounts for every role', async () => {
    const text = await runDemo(s.db, { timeZone: TZ, now: NOW, password: PASSWORD })
    expect(text).toContain(`Password: ${PASSWORD}`)
    for (const username of ['granskare', 'analytiker', 'demoadmin', 'vakt1', 'polis2', 'trafik3']) expect(text).toContain(username.replace(/\d$/, ''))

    const reports = s.db.prepare('SELECT * FROM reports').all() as Array<Record<string, number | string | null>>
    expect(reports.length).toBeGreaterThan(5500)
    const statuses = new Set(reports.map(r => r.status))
    for (const st of ['approved', 'submitted', 'rejected', 'needs_info']) expect(statuses).toContain(st)
    expect(new Set(reports.map(r => r.category)).size).toBe(14)
    expect(new Set(reports.map(r => r.organisation_id)).size).toBe(5)
    const first = localParts(Math.min(...reports.map(r => r.occurred_at as number)), TZ).date
    expect(first >= '2025-11-25' && first <= '2025-11-28').toBe(true)
    expect(Math.max(...reports.map(r => r.occurred_at as number))).toBeLessThanOrEqual(NOW)

    const byId = new Map(reports.map(r => [r.id, r]))
    const duplicates = reports.filter(r => r.duplicate_of !== null)
    expect(duplicates.length).toBeGreaterThan(50)
    for (const d of duplicates) {
      const primary = byId.get(d.duplicate_of)!
      expect(primary.status).toBe('approved')
      expect(primary.duplicate_of).toBeNull()
      expect(d.organisation_id).not.toBe(primary.organisation_id)
      expect(d.category).toBe(primary.category)
    }
    for (const r of reports.slice(0, 500)) {
      const local = localParts(r.occurred_at as number, TZ)
      expect([r.local_date, r.local_weekday, r.local_hour, r.iso_week]).toEqual([local.date, local.weekday, local.hour, local.isoWeek])
      expect(Date.parse(r.occurred_at_text as string)).toBe(r.occurred_at)
      const place = DEMO_PLACES.find(p => p.id === r.place_id)
      // within 100 m of its place; a merged duplicate within 40 m of its primary
      if (place) expect(distanceM(place, { lat: r.lat as number, lon: r.lon as number })).toBeLessThan(r.duplicate_of ? 141 : 101)
    }
    expect(s.db.prepare('SELECT count(*) FROM revisions').pluck().get()).toBeGreaterThan(reports.length)

    // The accounts sign in with the printed password, set up their second factor, and see the summary.
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'analytiker', password: PASSWORD } })
    expect(res.status).toBe(200)
    expect(await jsonOf(res)).toMatchObject({ mustEnrolSecondFactor: true })
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    await s.enrolTotp('analytiker', cookie)

    // Weekend nights are busier than weekday nights, per night.
    const m = await jsonOf<StatsWeekdayHour>(await s.request('GET', '/api/stats/weekday-hour', { cookie }))
    const night = (d: number) => [22, 23].reduce((x, h) => x + m.counts[d - 1]![h]!, 0) + [0, 1, 2].reduce((x, h) => x + m.counts[d % 7]![h]!, 0)
    expect(Math.min(night(5), night(6))).toBeGreaterThan(1.3 * Math.max(night(1), night(2), night(3)))

    // Summer gatherings, autumn fires.
    const month = (category: string, months: string[]) => s.db.prepare(`SELECT count(*) FROM reports WHERE category = ? AND substr(local_date, 6, 2) IN (${months.map(() => '?').join(',')})`).pluck().get(category, ...months) as number
    expect(month('gathering', ['06', '07', '08'])).toBeGreaterThan(2.5 * month('gathering', ['01', '02', '03']))
    expect(month('arson', ['10', '11'])).toBeGreaterThan(1.5 * month('arson', ['05', '06']))

    // The emerging hot-spots rise in the last complete week against the six before it.
    const change = await jsonOf<StatsChange>(await s.request('GET', '/api/stats/change?week=2026-W47', { cookie }))
    const rising = change.rows.filter(r => r.trend === 'rising').map(r => `${r.category}@${r.placeName}`)
    expect(rising).toContain('drugs@Söder, Södergatan')
    expect(rising).toContain('arson@Drottninghög')
    expect(rising.length).toBeLessThan(8)

    // The EST loop: a decision for every week of the year, with areas, marked actions and recent visits only.
    const decisions = s.db.prepare('SELECT iso_week, hot_spots, version FROM weekly_priorities ORDER BY iso_week').all() as Array<{ iso_week: string; hot_spots: string; version: number }>
    expect(decisions.length).toBeGreaterThan(48)
    expect(decisions.some(d => d.version > 1)).toBe(true)
    expect(s.db.prepare('SELECT count(*) FROM priority_versions WHERE late = 1').pluck().get()).toBe(1)
    const spots = decisions.flatMap(d => JSON.parse(d.hot_spots) as Array<{ placeId?: number; geometry?: unknown }>)
    expect(spots.some(h => h.geometry)).toBe(true)
    const areaIds = s.db.prepare(`SELECT id FROM places WHERE json_extract(geometry, '$.type') = 'Polygon'`).pluck().all() as number[]
    expect(areaIds.length).toBe(3)
    expect(spots.some(h => h.placeId !== undefined && areaIds.includes(h.placeId))).toBe(true)
    const statuses2 = s.db.prepare('SELECT DISTINCT status FROM hot_spot_actions').pluck().all()
    expect(statuses2).toEqual(expect.arrayContaining(['done', 'not_done']))
    const visitTimes = s.db.prepare('SELECT min(at_hour) AS first, max(at_hour) AS last, count(*) AS n FROM visits').get() as { first: number; last: number; n: number }
    expect(visitTimes.n).toBeGreaterThan(200)
    expect(visitTimes.first).toBeGreaterThan(NOW - 186 * 86_400_000)
    expect(visitTimes.last).toBeLessThanOrEqual(NOW)

    // The follow-up of the last complete week's decision is full.
    const followup = await jsonOf<Followup>(await s.request('GET', '/api/followup?week=2026-W47', { cookie }))
    expect(followup.hotSpots.length).toBeGreaterThan(1)
    expect(followup.hotSpots.reduce((n, h) => n + h.visits, 0)).toBeGreaterThan(0)
    expect(followup.hotSpots.map(h => h.weeks[0]!.isoWeek)).toEqual(followup.hotSpots.map(() => '2026-W39'))
    expect(followup.hotSpots.filter(h => h.weeks.reduce((n, w) => n + w.count, 0) > 10).length).toBeGreaterThan(1)
  })

  it('makes the same data from the same seed, and the benchmark shape on request', async () => {
    await runDemo(s.db, { timeZone: TZ, now: NOW, seed: 5, reports: 800, benchmark: true })
    const rows = s.db.prepare('SELECT id, category, occurred_at, lat, lon, status, duplicate_of FROM reports ORDER BY id').all() as Array<{ status: string; duplicate_of: string | null }>
    expect(rows.length).toBe(800)
    expect(rows.every(r => r.status === 'approved' && r.duplicate_of === null)).toBe(true)
    const again = await testServer()
    try {
      await runDemo(again.db, { timeZone: TZ, now: NOW, seed: 5, reports: 800, benchmark: true })
      expect(again.db.prepare('SELECT id, category, occurred_at, lat, lon, status, duplicate_of FROM reports ORDER BY id').all()).toEqual(rows)
    } finally {
      again.close()
    }
  })
})
