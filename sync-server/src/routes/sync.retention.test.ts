import { fileURLToPath } from 'node:url'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { localParts, type OpResult, type PullResponse, type ReportDraft, type SyncOp } from '@lagesbild/domain'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { setSetting } from '../services/settings.ts'

/*
 * Retention on the phone: the PWA's own store and sync engine (pwa/src/sync/test-device.ts on fake-indexeddb)
 * against the real app on a real SQLite file. A report pulled while it was within the retention period must be
 * gone from the phone after the first sync past it, unless the user still has something of theirs in it.
 */

// The device side seen through the calls this test makes (it is typed by the PWA's tsconfig, so loaded by path).
type Editable = Omit<ReportDraft, 'id' | 'createdAt'>
interface Transport { push(body: { schemaVersion: number; ops: SyncOp[] }): Promise<{ results: OpResult[] }>; pull(cursor: number, limit: number): Promise<PullResponse> }
interface Device {
  create(ownerId: number, fields: Editable): Promise<{ id: string }>
  amend(ownerId: number, id: string, fields: Editable): Promise<void>
  draft(ownerId: number, reportId: string | null, fields: Partial<ReportDraft>): Promise<void>
  visit(ownerId: number, week: string, hotSpot: number, at: string): Promise<{ key: string; visitId?: string }>
  mark(ownerId: number, week: string, hotSpot: number, status: 'planned' | 'done' | 'not_done', comment: string): Promise<void>
  sync(ownerId: number, transport: Transport): Promise<{ ok: boolean; pushed: number; rejected?: number }>
  view(ownerId: number): Promise<{
    reports: { id: string; status: string; description: string }[]
    outbox: { reportId: string; kind: string; state: string }[]
    loop: { key: string; kind: string; state: string }[]
    meta: { lastReport: { reportId?: string } | null; keptVisitsFrom?: number } | null
  }>
}

const DEVICE_MODULE = fileURLToPath(new URL('../../../pwa/src/sync/test-device.ts', import.meta.url))
const DAY = 86_400_000

let s: TestServer
let admin: { cookie: string; userId: number }
let vakt: { cookie: string; userId: number; organisationId: number }
let phone: Device

beforeAll(async () => {
  s = await testServer()
  admin = await s.signIn('boss', ['admin'], 'Kommunen')
  vakt = await s.signIn('vakt-minne', ['reporter'])
  vi.resetModules() // a module registry of its own, so the phone's database() is this test's IndexedDB
  const mod = (await import(/* @vite-ignore */ DEVICE_MODULE)) as { createTestDevice(idb: { indexedDB: unknown; IDBKeyRange: unknown }): Device }
  phone = mod.createTestDevice({ indexedDB: new IDBFactory(), IDBKeyRange })
})
afterAll(() => s.close())

/** The phone's transport, in process: the app answers exactly as over HTTP. */
const transport: Transport = {
  async push(body) {
    const res = await s.request('POST', '/api/sync/push', { cookie: vakt.cookie, body })
    expect(res.status, 'push answered').toBe(200)
    return jsonOf<{ results: OpResult[] }>(res)
  },
  async pull(cursor, limit) {
    const res = await s.request('GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}`, { cookie: vakt.cookie })
    expect(res.status, 'pull answered').toBe(200)
    return jsonOf<PullResponse>(res)
  },
}

const report = (daysAgo: number, description: string): Editable => ({
  category: 'littering', occurredAt: new Date(Date.now() - daysAgo * DAY - 3_600_000).toISOString(),
  location: { lat: 56.0465, lon: 12.6945, accuracyM: 8, source: 'gps' }, description,
})

describe('a phone past the retention period', () => {
  it('forgets its synced reports that occurred before the cutoff at the next sync, never what is still unsent or drafted', async () => {
    const me = vakt.userId
    const unsent = await phone.create(me, report(210, 'Rättelse som servern inte tog emot'))
    const recent = await phone.create(me, report(0, 'Sopor vid busshållplatsen'))
    const drafted = await phone.create(me, report(220, 'Rapport som håller på att ändras'))
    expect(await phone.sync(me, transport)).toMatchObject({ ok: true, pushed: 3 })
    // An amendment the server refuses (a place removed from the list since) stays in the outbox for the user.
    await phone.amend(me, unsent.id, { ...report(210, 'Rättelse som servern inte tog emot'), placeId: 999_999 })
    const old = await phone.create(me, report(200, 'Anna Svensson bråkade vid entrén'))
    expect(await phone.sync(me, transport)).toMatchObject({ ok: true, pushed: 1, rejected: 1 })
    // Within 12 months everything stays.
    expect((await phone.view(me)).reports).toHaveLength(4)
    expect((await phone.view(me)).meta?.lastReport?.reportId).toBe(old.id)

    setSetting(s.db, 'retention.months', '6', admin.userId, Date.now())
    await phone.draft(me, drafted.id, { description: 'Halvskriven ändring' })
    expect(await phone.sync(me, transport)).toMatchObject({ ok: true })
    const after = await phone.view(me)
    expect(after.reports.map(r => r.id).sort()).toEqual([unsent.id, recent.id, drafted.id].sort())
    expect(after.outbox).toEqual([expect.objectContaining({ reportId: unsent.id, state: 'rejected' })])
    // "Same as last" held the forgotten report's exact position.
    expect(after.meta?.lastReport).toBeNull()
    // Only the phone forgot: the server keeps the report (its own retention job redacts it).
    expect(s.db.prepare('SELECT count(*) FROM reports WHERE id = ?').pluck().get(old.id)).toBe(1)

    // The user leaves the amendment for a new report: the next sync forgets the report it was about.
    await phone.draft(me, null, { category: 'graffiti' })
    expect(await phone.sync(me, transport)).toMatchObject({ ok: true })
    expect((await phone.view(me)).reports.map(r => r.id).sort()).toEqual([unsent.id, recent.id].sort())
  })
})

describe('a phone past the visits\' retention period', () => {
  const weekOf = (at: string) => localParts(Date.parse(at), 'Europe/Stockholm').isoWeek // the server's zone in tests
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY - 60_000).toISOString()
  /** The week's decision, as the meeting records it (an admin, since past weeks are locked): our organisation acts at hot-spot 0. */
  async function decide(week: string) {
    const body = { focusCategories: ['drugs'], hotSpots: [{ placeId: 1, radiusM: 200, responsibleOrgId: vakt.organisationId, action: 'Extra rundor' }], notes: '' }
    expect((await s.request('PUT', `/api/priorities/${week}`, { cookie: admin.cookie, body })).status).toBe(200)
  }
  const setVisitMonths = (months: number) => s.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('retention.visitMonths', ?, 0)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(months))
  /** A server from before keepVisitsFrom: the same answers without it. */
  const oldServer: Transport = {
    push: body => transport.push(body),
    async pull(cursor, limit) { const { keepVisitsFrom: _gone, ...page } = await transport.pull(cursor, limit); return page as PullResponse },
  }

  it('forgets its sent visits logged before the cutoff and its action marks of weeks before it, never what waits to be sent', async () => {
    const me = vakt.userId
    const [oldAt, unsentAt, recentAt, nowAt] = [110, 130, 40, 0].map(daysAgo) as [string, string, string, string]
    for (const at of [oldAt, recentAt, nowAt]) await decide(weekOf(at))
    const old = await phone.visit(me, weekOf(oldAt), 0, oldAt)
    await phone.mark(me, weekOf(oldAt), 0, 'done', 'Pratade med Anna Svensson vid entrén')
    // No decision was recorded for that week: the server refuses the visit, and it waits in the outbox for the user.
    const unsent = await phone.visit(me, weekOf(unsentAt), 0, unsentAt)
    const recent = await phone.visit(me, weekOf(recentAt), 0, recentAt)
    const now = await phone.visit(me, weekOf(nowAt), 0, nowAt)
    await phone.mark(me, weekOf(nowAt), 0, 'done', '')
    expect(await phone.sync(me, transport)).toMatchObject({ ok: true, pushed: 5, rejected: 1 })
    // Within the default 6 months everything stays.
    const before = await phone.view(me)
    expect(before.loop).toHaveLength(6)
    expect(before.loop.filter(i => i.state === 'sent')).toHaveLength(5)

    setVisitMonths(3)
    try {
      expect(await phone.sync(me, transport)).toMatchObject({ ok: true })
      const after = await phone.view(me)
      const thisWeeksMark = `action:${me}:${weekOf(nowAt)}:0`
      expect(after.loop.map(i => i.key).sort()).toEqual([unsent.key, recent.key, now.key, thisWeeksMark].sort())
      // (The report test above left a rejected amendment there too.)
      expect(after.outbox.filter(o => o.kind === 'visit' || o.kind === 'action')).toEqual([expect.objectContaining({ reportId: unsent.key, state: 'rejected' })])
      // The unsent visit held the pass back, so the next sync looks again.
      expect(after.meta?.keptVisitsFrom).toBe(before.meta?.keptVisitsFrom)
      // Only the phone forgot: the server keeps the visit until its own step runs, and the week's action with its decision.
      expect(s.db.prepare('SELECT count(*) FROM visits WHERE id = ?').pluck().get(old.visitId)).toBe(1)
      expect(s.db.prepare('SELECT comment FROM hot_spot_actions WHERE iso_week = ?').pluck().get(weekOf(oldAt))).toBe('Pratade med Anna Svensson vid entrén')

      // A server that does not name the visits' cutoff makes the phone forget none of them, however short the period.
      setVisitMonths(1)
      expect(await phone.sync(me, oldServer)).toMatchObject({ ok: true })
      expect((await phone.view(me)).loop.map(i => i.key)).toContain(recent.key)
      expect(await phone.sync(me, transport)).toMatchObject({ ok: true })
      expect((await phone.view(me)).loop.map(i => i.key).sort()).toEqual([unsent.key, now.key, thisWeeksMark].sort())
    } finally {
      s.db.prepare(`DELETE FROM settings WHERE key = 'retention.visitMonths'`).run()
    }
  })
})
