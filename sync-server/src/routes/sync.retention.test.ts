import { fileURLToPath } from 'node:url'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { OpResult, PullResponse, ReportDraft, SyncOp } from '@lagesbild/domain'
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
  sync(ownerId: number, transport: Transport): Promise<{ ok: boolean; pushed: number; rejected?: number }>
  view(ownerId: number): Promise<{
    reports: { id: string; status: string; description: string }[]
    outbox: { reportId: string; state: string }[]
    meta: { lastReport: { reportId?: string } | null } | null
  }>
}

const DEVICE_MODULE = fileURLToPath(new URL('../../../pwa/src/sync/test-device.ts', import.meta.url))
const DAY = 86_400_000

let s: TestServer
let admin: number
let vakt: { cookie: string; userId: number }
let phone: Device

beforeAll(async () => {
  s = await testServer()
  admin = (await s.signIn('boss', ['admin'], 'Kommunen')).userId
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

    setSetting(s.db, 'retention.months', '6', admin, Date.now())
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
