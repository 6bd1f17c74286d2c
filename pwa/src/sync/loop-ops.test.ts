import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import type { OpResult } from '@lagesbild/domain'
import { database } from '@/db/database'
import { actionKey, logVisit, markAction } from '@/db/loop'
import { forgetUser } from '@/db/reports'
import { syncOnce, type SyncTransport } from './engine'

/** A server stand-in that answers every op with `status` and records what it was sent. */
function fakeServer(status: OpResult['status'], reason?: string) {
  const sent: unknown[][] = []
  const transport: SyncTransport = {
    push: async body => { sent.push(body.ops); return { results: body.ops.map(o => ({ opId: o.opId, status, ...(reason ? { reason } : {}) })) } },
    pull: async () => ({ changes: [], reference: null, nextCursor: 0, hasMore: false, keepFrom: new Date(0).toISOString(), keepVisitsFrom: new Date(0).toISOString() }),
  }
  return { sent, transport }
}

describe('the loop ops on the outbox', () => {
  it('sends an action and a visit in the push shapes of DESIGN, then shows them as sent', async () => {
    const db = database()
    await markAction(21, '2026-W49', 0, 'done', 'Extra rond 22–02 ')
    await logVisit(21, '2026-W49', 1, '2026-12-02T21:15:00+01:00')
    const server = fakeServer('applied')
    expect(await syncOnce(db, server.transport, 21)).toMatchObject({ ok: true, pushed: 2 })
    expect(server.sent[0]).toEqual([
      { opId: expect.any(String), kind: 'action', week: '2026-W49', hotSpot: 0, status: 'done', comment: 'Extra rond 22–02' },
      { opId: expect.any(String), kind: 'visit', week: '2026-W49', hotSpot: 1, visitId: expect.any(String), at: '2026-12-02T21:15:00+01:00' },
    ])
    expect(await db.outbox.where('ownerId').equals(21).count()).toBe(0)
    expect((await db.loop.where('ownerId').equals(21).toArray()).map(i => i.state)).toEqual(['sent', 'sent'])
  })

  it('rewrites an action mark never sent, so a change of mind is one op', async () => {
    const db = database()
    await markAction(22, '2026-W49', 0, 'done', '')
    await markAction(22, '2026-W49', 0, 'not_done', 'Ingen bil')
    const ops = await db.outbox.where('ownerId').equals(22).toArray()
    expect(ops.map(o => o.loop)).toEqual([{ week: '2026-W49', hotSpot: 0, status: 'not_done', comment: 'Ingen bil' }])
    expect(await db.loop.get(actionKey(22, '2026-W49', 0))).toMatchObject({ state: 'local', status: 'not_done' })
  })

  it('keeps a rejected op with its reason, and a new mark replaces it', async () => {
    const db = database()
    await markAction(23, '2026-W48', 2, 'done', '')
    expect(await syncOnce(db, fakeServer('rejected', 'not your organisation').transport, 23)).toMatchObject({ ok: true, rejected: 1 })
    expect(await db.loop.get(actionKey(23, '2026-W48', 2))).toMatchObject({ state: 'rejected', reason: 'not your organisation' })
    expect(await db.outbox.where('ownerId').equals(23).first()).toMatchObject({ state: 'rejected' })
    await markAction(23, '2026-W48', 2, 'not_done', '')
    expect((await db.outbox.where('ownerId').equals(23).toArray()).map(o => [o.state, o.loop?.status])).toEqual([['pending', 'not_done']])
  })
})

describe('signing out of a shared phone', () => {
  it("removes the user's sent actions and visits and keeps the unsent ones", async () => {
    const db = database()
    await logVisit(31, '2026-W49', 0, '2026-12-02T21:15:00+01:00')
    await syncOnce(db, fakeServer('applied').transport, 31)
    const unsent = await logVisit(31, '2026-W49', 0, '2026-12-02T22:15:00+01:00')
    await forgetUser(31)
    expect((await db.loop.where('ownerId').equals(31).toArray()).map(i => i.key)).toEqual([unsent.key])
  })
})
