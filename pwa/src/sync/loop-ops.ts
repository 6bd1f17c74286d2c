import type { OpResult } from '@lagesbild/domain'
import type { LagesbildDb } from '@/db/database'
import type { OutboxEntry } from '@/db/types'

/** The loop's ops as the push carries them: `{opId, kind: "action", week, hotSpot, status, comment?}` and `{opId, kind: "visit", visitId, week, hotSpot, at}`. */
export function loopOp(entry: OutboxEntry): Record<string, unknown> | null {
  if (entry.kind !== 'action' && entry.kind !== 'visit') return null
  return { opId: entry.opId, kind: entry.kind, ...entry.loop }
}

/**
 * Takes the server's answer to a loop op: settled ops leave the outbox and their item reads "sent"; a
 * rejected one stays (never lost) with the reason on its item. True when settled.
 */
export async function settleLoopOp(db: LagesbildDb, op: OutboxEntry, result: OpResult): Promise<boolean> {
  const settled = result.status === 'applied' || result.status === 'duplicate'
  const reason = result.reason ?? result.status
  if (settled) await db.outbox.delete(op.opId)
  else await db.outbox.update(op.opId, { state: 'rejected', reason })
  const item = await db.loop.get(op.reportId)
  if (!item) return settled
  // A later mark of the same action still waiting keeps the item "on this phone".
  const waiting = (await db.outbox.where('reportId').equals(op.reportId).filter(o => o.state === 'pending').count()) > 0
  if (!settled) await db.loop.update(item.key, { state: 'rejected', reason, updatedAt: Date.now() })
  else if (!waiting) await db.loop.update(item.key, { state: 'sent', reason: undefined, updatedAt: Date.now() })
  return settled
}
