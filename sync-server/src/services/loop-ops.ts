import { isInFuture, localParts, type ActionOp, type OpResult, type VisitOp } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import type { SessionUser } from '../auth/session-store.ts'
import { decisionOf } from './priorities.ts'
import { nextSeq } from './seq.ts'

// The loop's push ops: a hot-spot's action marked on a phone, and a visit logged there. Each runs inside the
// push's savepoint; a thrown LoopOpRejected rolls back this op alone and answers `rejected` with its reason.

export class LoopOpRejected extends Error {
  constructor(readonly reason: string, readonly field?: string) { super(reason) }
}

type Outcome = Omit<OpResult, 'opId'>
interface Ctx { db: Db; user: SessionUser; timeZone: string; now: number }

function hotSpotOf(db: Db, week: string, index: number) {
  const decision = decisionOf(db, week)
  if (!decision) throw new LoopOpRejected(`week: no decision was recorded for ${week}`, 'week')
  const spot = decision.spots[index]
  if (!spot) throw new LoopOpRejected(`hotSpot: ${week} has ${decision.spots.length} hot-spot(s), there is no number ${index}`, 'hotSpot')
  return spot
}

/**
 * Sets a hot-spot's action state. Only users of the responsible organisation may; the last op to reach the
 * server wins (a phone that syncs late still marks a past week), and every change goes to the history.
 */
export function applyAction(ctx: Ctx, op: ActionOp, opId: string): Outcome {
  const spot = hotSpotOf(ctx.db, op.week, op.hotSpot)
  if (spot.responsibleOrgId === undefined) throw new LoopOpRejected('hotSpot: this hot-spot has no responsible organisation to act on it', 'hotSpot')
  if (spot.responsibleOrgId !== ctx.user.organisationId) throw new LoopOpRejected('hotSpot: only the responsible organisation marks this action', 'hotSpot')
  const comment = op.comment ? op.comment : null
  const current = cached(ctx.db, 'SELECT status, comment FROM hot_spot_actions WHERE iso_week = ? AND hot_spot = ?').get(op.week, op.hotSpot) as { status: string; comment: string | null } | undefined
  if ((current?.status ?? 'planned') === op.status && (current?.comment ?? null) === comment) return { status: 'duplicate' }
  cached(ctx.db, `INSERT INTO hot_spot_actions (iso_week, hot_spot, status, comment, updated_at, updated_by, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (iso_week, hot_spot) DO UPDATE SET status = excluded.status, comment = excluded.comment,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by, seq = excluded.seq`)
    .run(op.week, op.hotSpot, op.status, comment, ctx.now, ctx.user.id, nextSeq(ctx.db))
  cached(ctx.db, 'INSERT INTO hot_spot_action_history (iso_week, hot_spot, status, comment, at, user_id, organisation_id, op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(op.week, op.hotSpot, op.status, comment, ctx.now, ctx.user.id, ctx.user.organisationId, opId)
  return { status: 'applied' }
}

const HOUR_MS = 3_600_000

/**
 * Logs a visit for the user's organisation. The device's time decides the week, so `at` must fall in `week`
 * (the municipality's zone). Stored without the user and cut to the hour: staff movement data, shown only
 * aggregated. The same visitId again is a duplicate; with other content, a conflict.
 */
export function applyVisit(ctx: Ctx, op: VisitOp): Outcome {
  hotSpotOf(ctx.db, op.week, op.hotSpot)
  const at = Date.parse(op.at)
  if (isInFuture(op.at, ctx.now)) throw new LoopOpRejected('at: the visit time is in the future', 'at')
  const atWeek = localParts(at, ctx.timeZone).isoWeek
  if (atWeek !== op.week) throw new LoopOpRejected(`at: the visit time is in ${atWeek}, not in ${op.week}`, 'at')
  const atHour = Math.floor(at / HOUR_MS) * HOUR_MS
  const existing = cached(ctx.db, 'SELECT iso_week, hot_spot, organisation_id, at_hour FROM visits WHERE id = ?').get(op.visitId) as
    { iso_week: string; hot_spot: number; organisation_id: number; at_hour: number } | undefined
  if (existing) {
    const same = existing.iso_week === op.week && existing.hot_spot === op.hotSpot && existing.organisation_id === ctx.user.organisationId && existing.at_hour === atHour
    return same ? { status: 'duplicate' } : { status: 'conflict', reason: 'a visit with this id exists already with other content' }
  }
  cached(ctx.db, 'INSERT INTO visits (id, iso_week, hot_spot, organisation_id, at_hour) VALUES (?, ?, ?, ?, ?)')
    .run(op.visitId, op.week, op.hotSpot, ctx.user.organisationId, atHour)
  return { status: 'applied' }
}
