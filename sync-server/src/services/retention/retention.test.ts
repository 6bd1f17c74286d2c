import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { uuidv7, type RetentionRun } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../../test/support.ts'
import { amendOp, createOp, newDraft, pullPage, pushApplied } from '../../../test/sync-ops.ts'
import { main } from '../../cli/main.ts'
import { randomFixture, type Fixture } from '../stats/fixtures.ts'
import { baseCell, roundToGrid } from '../stats/grid.ts'
import { setSetting } from '../settings.ts'
import { monthsBefore } from '../visits.ts'
import { runRetention } from './run.ts'
import { visitsStep } from './visits.ts'
import type { RetentionStep } from './steps.ts'

// The fixture's reports run from January 2026 into 2027; with this clock and 12 months, those before
// 15 June 2026 are past retention.
const FAKE_NOW = Date.parse('2027-06-15T10:00:00Z')
const CUTOFF = Date.parse('2026-06-15T10:00:00Z')

let s: TestServer
let fx: Fixture
let analyst: string
let admin: { cookie: string; userId: number }
let reviewerCookie: string

beforeAll(async () => {
  s = await testServer()
  fx = await randomFixture(s, 7, 400)
  analyst = (await s.signIn('ana', ['analyst'], 'Kommunen')).cookie
  reviewerCookie = (await s.signIn('rev', ['reviewer'], 'Kommunen')).cookie
  admin = await s.signIn('boss', ['admin'], 'Kommunen')
  // Free text everywhere retention must reach: review notes, people involved, revisions and amendments.
  s.db.prepare(`UPDATE reports SET review_note = 'Ring Anna 070-123 45 67', people_involved = 3 WHERE status = 'approved'`).run()
  for (const r of fx.rows.slice(0, 40)) {
    s.db.prepare(`INSERT INTO revisions (report_id, version, author_id, at, kind, changes) VALUES (?, 2, ?, ?, 'review', ?)`)
      .run(r.id, admin.userId, r.occurredAt, JSON.stringify({ description: { from: 'Anna Svensson, 811218-9876', to: r.description }, location: { from: { lat: r.lat + 0.0001, lon: r.lon, accuracyM: 5, source: 'gps' }, to: { lat: r.lat, lon: r.lon, source: 'gps' } }, peopleInvolved: { from: 2, to: 3 } }))
    s.db.prepare(`INSERT INTO pending_amendments (report_id, author_id, at, base_version, changes) VALUES (?, ?, ?, 1, ?)`)
      .run(r.id, admin.userId, r.occurredAt, JSON.stringify({ description: { from: r.description, to: 'Anna Svensson, 811218-9876' } }))
  }
}, 120_000)
afterAll(() => s.close())

const FILTERS = ['', 'category=drugs&category=arson', 'week=2026-W10', 'from=2026-01-01&to=2026-12-31&hourFrom=20&hourTo=3',
  'weekday=6&weekday=7', 'place=2', 'org=1', 'from=2026-03-01&to=2026-06-30&category=gathering']
// Every aggregate that does not depend on positions finer than the 250 m grid (a bbox, a radius and the 100 m grid do).
const AGGREGATES = ['total', 'categories', 'organisations', 'places', 'trend', 'weekday-hour', 'grid?cell=250', 'grid?cell=500', 'grid?cell=1000',
  'hotspots?cell=250', 'hotspots?cell=1000', 'change']

async function everyAggregate(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const a of AGGREGATES) {
    for (const f of FILTERS) {
      const path = `/api/stats/${a}${a.includes('?') ? '&' : '?'}${f}`
      const res = await s.request('GET', path, { cookie: analyst })
      expect(res.status, path).toBe(200)
      out[path] = await res.json()
    }
  }
  return out
}

describe('retention', () => {
  it('rounds a position to the centre of its 250 m cell, which stays in the same cell of the coarser grids', () => {
    for (const [lon, lat] of [[12.6937, 56.0459], [12.70001, 56.04999], [18.0686, 59.3293]] as const) {
      const r = roundToGrid(lon, lat)
      for (const k of [5, 10, 20]) {
        const [x, y] = baseCell(lon, lat), [rx, ry] = baseCell(r.lon, r.lat)
        expect([Math.floor(rx / k), Math.floor(ry / k)]).toEqual([Math.floor(x / k), Math.floor(y / k)])
      }
      expect(roundToGrid(r.lon, r.lat)).toEqual(r)
    }
  })

  it('a dry run counts what it would remove and changes nothing but the audit log', () => {
    const { audit_events: _a, ...before } = snapshot(s.db)
    const run = runRetention(s.db, { now: FAKE_NOW, dryRun: true, by: { actorId: null, via: 'cli' } })
    const due = fx.rows.filter(r => r.occurredAt < CUTOFF).length
    expect(due).toBeGreaterThan(50)
    expect(run.steps[0]).toMatchObject({ step: 'reports', rows: due, cutoff: new Date(CUTOFF).toISOString() })
    const { audit_events: _b, ...after } = snapshot(s.db)
    expect(after).toEqual(before)
    expect(s.db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'retention_dry_run'`).pluck().get()).toBe(1)
  })

  it('removes free text, people and exact positions before the cutoff, keeping every aggregate the summary shows', async () => {
    const before = await everyAggregate()
    const run = runRetention(s.db, { now: FAKE_NOW, dryRun: false, by: { actorId: null, via: 'schedule' } })
    const old = fx.rows.filter(r => r.occurredAt < CUTOFF)
    expect(run.steps[0]!.rows).toBe(old.length)
    expect(await everyAggregate()).toEqual(before)

    const rows = s.db.prepare('SELECT id, occurred_at, description, review_note, people_involved, accuracy_m, lat, lon, retained_at FROM reports').all() as
      Array<{ id: string; occurred_at: number; description: string; review_note: string | null; people_involved: number | null; accuracy_m: number | null; lat: number; lon: number; retained_at: number | null }>
    for (const r of rows) {
      const orig = fx.rows.find(x => x.id === r.id)!
      if (r.occurred_at < CUTOFF) {
        expect(r).toMatchObject({ description: '', review_note: null, people_involved: null, accuracy_m: null, retained_at: FAKE_NOW, ...roundToGrid(orig.lon, orig.lat) })
      } else {
        expect(r).toMatchObject({ description: orig.description, lat: orig.lat, lon: orig.lon, retained_at: null })
      }
    }
    const oldIds = new Set(old.map(r => r.id))
    const history = (s.db.prepare('SELECT report_id, changes FROM revisions UNION ALL SELECT report_id, changes FROM pending_amendments').all() as Array<{ report_id: string; changes: string }>)
    const oldHistory = history.filter(h => oldIds.has(h.report_id)).map(h => h.changes).join('\n')
    const newHistory = history.filter(h => !oldIds.has(h.report_id)).map(h => h.changes).join('\n')
    expect(oldHistory).not.toContain('811218-9876')
    expect(oldHistory).not.toContain('accuracyM')
    expect(newHistory).toContain('811218-9876')
    const audit = s.db.prepare(`SELECT detail FROM audit_events WHERE action = 'retention_run'`).pluck().all() as string[]
    expect(audit.map(a => JSON.parse(a) as unknown)).toEqual([{ via: 'schedule', steps: { reports: expect.objectContaining({ reports: old.length }), visits: expect.objectContaining({ visits: 0 }) } }])
    expect(audit.join()).not.toContain('811218')

    // A second run finds nothing more to do.
    expect(runRetention(s.db, { now: FAKE_NOW, dryRun: false, by: { actorId: null, via: 'schedule' } }).steps[0]!.rows).toBe(0)
  })

  it('runs every step in the list in order, so another kind of data can get its own period', () => {
    const seen: string[] = []
    const extra: RetentionStep = { name: 'visits', run: (_db, ctx) => { seen.push(`visits ${ctx.dryRun}`); return { cutoff: ctx.now, rows: 2, detail: { visits: 2 } } } }
    const run = runRetention(s.db, { now: FAKE_NOW, dryRun: true, by: { actorId: null, via: 'cli' }, steps: [extra] })
    expect(seen).toEqual(['visits true'])
    expect(run.steps).toEqual([{ step: 'visits', cutoff: new Date(FAKE_NOW).toISOString(), rows: 2, detail: { visits: 2 } }])
  })

  it('phones pull only their own reports within the retention period', async () => {
    const guard = await s.signIn('vakt-ret', ['reporter'])
    const now = Date.now()
    const recent = newDraft({}, now)
    const old = newDraft({ id: uuidv7(now - 400 * 86_400_000), occurredAt: new Date(now - 400 * 86_400_000).toISOString() }, now)
    await pushApplied(s, guard.cookie, [createOp(recent), createOp(old)])
    const ids = (await pullPage(s, guard.cookie, 0, 1000)).changes.map(r => r.id)
    expect(ids).toEqual([recent.id])
    // Even when it changes later (an amendment), the old report stays off the phone.
    await pushApplied(s, guard.cookie, [amendOp({ ...old, description: 'Mer text' }, 1)])
    expect((await pullPage(s, guard.cookie, 0, 1000)).changes.map(r => r.id)).toEqual([recent.id])
  })

  it('tells the phone the cutoff on every pull page, following the retention setting', async () => {
    const guard = await s.signIn('vakt-cutoff', ['reporter'])
    const now = Date.now()
    const day = 86_400_000
    const reports = [20, 80, 100, 200].map(days => newDraft({ id: uuidv7(now - days * day), occurredAt: new Date(now - days * day).toISOString() }, now))
    await pushApplied(s, guard.cookie, reports.map(createOp))
    /** Every page of a first pull, one report a page, with the instants the pull happened between. */
    async function pullAll() {
      const from = s.clock.now()
      const pages = [await pullPage(s, guard.cookie, 0, 1)]
      while (pages.at(-1)!.hasMore) pages.push(await pullPage(s, guard.cookie, pages.at(-1)!.nextCursor, 1))
      return { pages, from, to: s.clock.now() }
    }
    try {
      // The setting as the admin route writes it (the route and its audit are tested below).
      for (const [months, kept] of [[12, 4], [3, 2]] as const) {
        setSetting(s.db, 'retention.months', String(months), admin.userId, Date.now())
        const { pages, from, to } = await pullAll()
        expect(pages).toHaveLength(kept) // several pages, each of which must carry the cutoff
        for (const page of pages) {
          const keepFrom = Date.parse(page.keepFrom)
          // Down to the whole hour (services/pull.ts), so every page and a repeated request carry the same value.
          expect(keepFrom % 3_600_000).toBe(0)
          expect(keepFrom).toBeGreaterThan(monthsBefore(from, months) - 3_600_000)
          expect(keepFrom).toBeLessThanOrEqual(monthsBefore(to, months))
        }
        // What the pull sends and the cutoff it names agree: the reports sent are those on or after it.
        const sent = pages.flatMap(p => p.changes)
        expect(sent).toHaveLength(kept)
        expect(sent.every(r => Date.parse(r.occurredAt) >= Date.parse(pages[0]!.keepFrom))).toBe(true)
      }
    } finally {
      setSetting(s.db, 'retention.months', '12', admin.userId, Date.now())
    }
  })

  it('tells the phone the visits\' own cutoff on every pull page, following retention.visitMonths and no other setting', async () => {
    const guard = await s.signIn('vakt-besok', ['reporter'])
    const now = Date.now()
    await pushApplied(s, guard.cookie, [10, 20].map(days => createOp(newDraft({ id: uuidv7(now - days * 86_400_000), occurredAt: new Date(now - days * 86_400_000).toISOString() }, now))))
    // The setting as an operator writes it (there is no admin route for it; README "The EST loop").
    const setVisitMonths = (months: number | null) => months === null
      ? s.db.prepare(`DELETE FROM settings WHERE key = 'retention.visitMonths'`).run()
      : s.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('retention.visitMonths', ?, 0) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(months))
    try {
      // Unset: 6 months, while reports keep their 12. Then a longer and a shorter period; reports' setting moves alone.
      for (const [visitMonths, reportMonths] of [[null, 12], [9, 12], [2, 3]] as const) {
        setVisitMonths(visitMonths)
        setSetting(s.db, 'retention.months', String(reportMonths), admin.userId, Date.now())
        const from = s.clock.now()
        const pages = [await pullPage(s, guard.cookie, 0, 1)]
        while (pages.at(-1)!.hasMore) pages.push(await pullPage(s, guard.cookie, pages.at(-1)!.nextCursor, 1))
        const to = s.clock.now()
        expect(pages).toHaveLength(2)
        const months = visitMonths ?? 6
        for (const page of pages) {
          const keepVisitsFrom = Date.parse(page.keepVisitsFrom)
          expect(keepVisitsFrom % 3_600_000).toBe(0)
          expect(keepVisitsFrom).toBeGreaterThan(monthsBefore(from, months) - 3_600_000)
          expect(keepVisitsFrom).toBeLessThanOrEqual(monthsBefore(to, months))
          expect(Date.parse(page.keepFrom)).toBeLessThanOrEqual(monthsBefore(to, reportMonths))
        }
        // The phone's cutoff is the one the server's own visits step deletes before, down to the hour.
        expect(visitsStep.run(s.db, { now: to, dryRun: true }).cutoff).toBe(monthsBefore(to, months))
      }
    } finally {
      setVisitMonths(null)
      setSetting(s.db, 'retention.months', '12', admin.userId, Date.now())
    }
  })
})

describe('the retention setting and run, for admins', () => {
  it('reads and changes the period (audited), refusing bad values and other roles', async () => {
    expect(await jsonOf(await s.request('GET', '/api/admin/settings/retention', { cookie: admin.cookie }))).toEqual({ months: 12 })
    const before = snapshot(s.db)
    for (const body of [{ months: 0 }, { months: 121 }, { months: 1.5 }, { months: '6' }, {}]) {
      const res = await s.request('PUT', '/api/admin/settings/retention', { cookie: admin.cookie, body })
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    expect((await s.request('PUT', '/api/admin/settings/retention', { cookie: reviewerCookie, body: { months: 6 } })).status).toBe(403)
    expect((await s.request('GET', '/api/admin/settings/retention', { cookie: analyst })).status).toBe(403)
    const { audit_events: _a, ...rest } = snapshot(s.db)
    const { audit_events: _b, ...restBefore } = before
    expect(rest).toEqual(restBefore)

    expect(await jsonOf(await s.request('PUT', '/api/admin/settings/retention', { cookie: admin.cookie, body: { months: 24 } }))).toEqual({ months: 24 })
    expect(await jsonOf(await s.request('GET', '/api/admin/settings/retention', { cookie: admin.cookie }))).toEqual({ months: 24 })
    const event = s.db.prepare(`SELECT actor_id, target, detail FROM audit_events WHERE action = 'setting_changed'`).get()
    expect(event).toEqual({ actor_id: admin.userId, target: 'retention.months', detail: JSON.stringify({ from: 12, to: 24 }) })
    expect((await s.request('PUT', '/api/admin/settings/retention', { cookie: admin.cookie, body: { months: 12 } })).status).toBe(200)
  })

  it('runs on demand through the API, and a dry run reports without changing', async () => {
    const res = await s.request('POST', '/api/admin/retention/run', { cookie: admin.cookie, body: { dryRun: true } })
    expect(res.status).toBe(200)
    expect((await jsonOf<RetentionRun>(res))).toMatchObject({ dryRun: true, steps: [{ step: 'reports' }, { step: 'visits' }] })
    expect((await s.request('POST', '/api/admin/retention/run', { cookie: reviewerCookie, body: {} })).status).toBe(403)
  })

  it('runs from the CLI: npm run admin -- retention run [--dry-run]', async () => {
    const lines: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => { lines.push(parts.join(' ')) })
    const saved = process.env.DATA_DIR
    process.env.DATA_DIR = s.dir
    try {
      expect(await main(['retention', 'run', '--dry-run'])).toBe(0)
      expect(lines.join('\n')).toMatch(/Retention: 12 months \(dry run: nothing was changed\)\n {2}reports, occurred before .*: would remove free text from \d+ reports, \d+ revisions, \d+ amendments/)
      expect(await main(['retention', 'run', '--now'])).toBe(2)
      expect(await main(['retention', 'run'])).toBe(0)
    } finally {
      log.mockRestore()
      process.env.DATA_DIR = saved
    }
    const via = s.db.prepare(`SELECT json_extract(detail, '$.via') FROM audit_events WHERE action IN ('retention_run', 'retention_dry_run') ORDER BY id DESC LIMIT 2`).pluck().all()
    expect(via).toEqual(['cli', 'cli'])
  })
})
