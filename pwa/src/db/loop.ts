import { uuidv7 } from '@lagesbild/domain/uuidv7'
import { withDb } from './database'
import { outboxEntry } from './reports'
import type { ActionStatus, LoopItem, LoopOpFields } from './types'

export const actionKey = (ownerId: number, week: string, hotSpot: number) => `action:${ownerId}:${week}:${hotSpot}`
export const ACTION_COMMENT_MAX = 500

/**
 * Marks our organisation's action at a hot-spot (planned → done / not done, with a short comment). Like an
 * amendment: an op never tried is rewritten in place; otherwise a new op goes after it (the server keeps
 * the last writer and records every change).
 */
export async function markAction(ownerId: number, week: string, hotSpot: number, status: ActionStatus, comment: string): Promise<void> {
  const key = actionKey(ownerId, week, hotSpot)
  const fields: LoopOpFields = { week, hotSpot, status, ...(comment.trim() ? { comment: comment.trim().slice(0, ACTION_COMMENT_MAX) } : {}) }
  await withDb(db => db.transaction('rw', [db.loop, db.outbox], async () => {
    const queued = (await db.outbox.where('reportId').equals(key).toArray()).sort((a, b) => a.createdAt - b.createdAt)
    // A new mark supersedes a rejected one (the outbox sends one op per item at a time, in order).
    await db.outbox.bulkDelete(queued.filter(o => o.state === 'rejected').map(o => o.opId))
    const last = queued.filter(o => o.state === 'pending').at(-1)
    if (last && last.attempts === 0) await db.outbox.update(last.opId, { loop: fields })
    else await db.outbox.add(await outboxEntry(db, ownerId, 'action', key, { loop: fields }))
    await db.loop.put({ key, ownerId, kind: 'action', ...fields, state: 'local', updatedAt: Date.now() })
  }))
}

/** "We are on site": one visit at a hot-spot of this week, at this moment. The position is not kept. */
export async function logVisit(ownerId: number, week: string, hotSpot: number, at: string): Promise<LoopItem> {
  const visitId = uuidv7()
  const item: LoopItem = { key: `visit:${visitId}`, ownerId, kind: 'visit', week, hotSpot, visitId, at, state: 'local', updatedAt: Date.now() }
  await withDb(db => db.transaction('rw', [db.loop, db.outbox], async () => {
    await db.outbox.add(await outboxEntry(db, ownerId, 'visit', item.key, { loop: { week, hotSpot, visitId, at } }))
    await db.loop.put(item)
  }))
  return item
}
