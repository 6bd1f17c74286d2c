import {
  ACCEPTED_SCHEMA_VERSIONS, PushOp, diffFields, isAmendableByReporter, isInFuture, mergeAmendment,
  type OpResult, type ReportDraft, type ReportFields, type SyncOp,
} from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import type { SessionUser } from '../auth/session-store.ts'
import { ApiError } from '../http-error.ts'
import { zodErrorBody } from '../middleware/error-handler.ts'
import { LoopOpRejected, applyAction, applyVisit } from './loop-ops.ts'
import { fieldsAtVersion, fieldsOf, getReportRow, insertReport, rowFields, touchReport, updateReport, type ReportRow } from './reports.ts'

/** A rejection of one op: rolled back alone, answered with its reason, and never fails the batch. */
class OpRejected extends Error {
  constructor(readonly reason: string, readonly field?: string) { super(reason) }
}

type Outcome = Omit<OpResult, 'opId'>

interface Ctx { db: Db; user: SessionUser; timeZone: string; now: number }

function checkReferences(db: Db, fields: ReportFields, now: number): void {
  if (!cached(db, 'SELECT 1 FROM categories WHERE code = ?').get(fields.category)) throw new OpRejected(`report.category: unknown category "${fields.category}"`, 'report.category')
  if (fields.placeId !== undefined && !cached(db, 'SELECT 1 FROM places WHERE id = ?').get(fields.placeId)) throw new OpRejected(`report.placeId: unknown place ${fields.placeId}`, 'report.placeId')
  if (isInFuture(fields.occurredAt, now)) throw new OpRejected('report.occurredAt: the event time is in the future', 'report.occurredAt')
}

function ownRow(ctx: Ctx, reportId: string): ReportRow {
  const row = getReportRow(ctx.db, reportId)
  // Someone else's report answers exactly like a missing one, so ids cannot be probed.
  if (!row || row.reporter_id !== ctx.user.id) throw new OpRejected('no such report of yours')
  return row
}

const UNUSABLE_ID = 'reportId: this id cannot be used for a new report; make the report again'

function create(ctx: Ctx, op: SyncOp): Outcome {
  const draft = op.report
  if (!draft) throw new OpRejected('report: a create op needs the report', 'report')
  if (draft.id !== op.reportId) throw new OpRejected('report.id: must equal reportId', 'report.id')
  // Phones make version 7 ids. Another user's id is answered exactly like an id no phone makes, so a push
  // cannot tell whether someone else's report exists.
  if (op.reportId[14] !== '7') throw new OpRejected(UNUSABLE_ID, 'reportId')
  const existing = getReportRow(ctx.db, op.reportId)
  if (existing && existing.reporter_id !== ctx.user.id) throw new OpRejected(UNUSABLE_ID, 'reportId')
  if (existing) {
    const same = existing.version === 1 && Object.keys(diffFields(rowFields(existing), fieldsOf(draft))).length === 0
    if (same) return { status: 'duplicate', version: existing.version }
    return { status: 'conflict', version: existing.version, reason: 'a report with this id already exists with other content' }
  }
  checkReferences(ctx.db, draft, ctx.now)
  const version = insertReport(ctx.db, draft, { userId: ctx.user.id, organisationId: ctx.user.organisationId }, ctx.timeZone, ctx.now)
  return { status: 'applied', version }
}

function amend(ctx: Ctx, op: SyncOp): Outcome {
  const draft: ReportDraft | undefined = op.report
  if (!draft || op.baseVersion === undefined) throw new OpRejected('an amend op needs report and baseVersion', op.report ? 'baseVersion' : 'report')
  if (draft.id !== op.reportId) throw new OpRejected('report.id: must equal reportId', 'report.id')
  const row = ownRow(ctx, op.reportId)
  if (row.status === 'withdrawn') throw new OpRejected('the report has been withdrawn')
  checkReferences(ctx.db, draft, ctx.now)
  const base = fieldsAtVersion(ctx.db, row, op.baseVersion)
  if (!base) throw new OpRejected(`baseVersion: the report has no version ${op.baseVersion}`, 'baseVersion')
  const current = rowFields(row)
  const { merged, overruled } = mergeAmendment(base, current, fieldsOf(draft))
  const changes = diffFields(current, merged)

  if (!isAmendableByReporter(row.status)) {
    // Reviewed already: the amendment waits for a reviewer instead of changing what was decided. It holds
    // only the fields the reporter changed from their base, so a reviewer's own edits are not offered back.
    const amended = fieldsOf(draft)
    const proposed = { ...current } as Record<string, unknown>
    for (const f of Object.keys(diffFields(base, amended)) as Array<keyof ReportFields>) proposed[f] = amended[f]
    const wanted = diffFields(current, proposed as ReportFields)
    if (Object.keys(wanted).length === 0) return { status: 'duplicate', version: row.version }
    cached(ctx.db, 'INSERT INTO pending_amendments (report_id, author_id, at, base_version, changes) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, ctx.user.id, ctx.now, op.baseVersion, JSON.stringify(wanted))
    touchReport(ctx.db, row.id)
    return { status: 'applied', version: row.version, reason: 'pending_review' }
  }
  if (Object.keys(changes).length === 0 && Object.keys(overruled).length === 0) return { status: 'duplicate', version: row.version }
  const version = updateReport(ctx.db, row,
    { fields: merged, ...(row.status === 'needs_info' ? { status: 'submitted' as const } : {}) },
    { authorId: ctx.user.id, kind: 'amend', changes: { ...changes, ...(Object.keys(overruled).length ? { overruled } : {}) } },
    ctx.timeZone, ctx.now)
  const lost = Object.keys(overruled)
  return lost.length
    ? { status: 'applied', version, reason: `overruled: ${lost.join(', ')}` }
    : { status: 'applied', version }
}

function withdraw(ctx: Ctx, op: SyncOp): Outcome {
  const row = ownRow(ctx, op.reportId)
  if (row.status === 'withdrawn') return { status: 'duplicate', version: row.version }
  if (!isAmendableByReporter(row.status)) return { status: 'conflict', version: row.version, reason: 'the report has already been reviewed' }
  const version = updateReport(ctx.db, row, { status: 'withdrawn' }, { authorId: ctx.user.id, kind: 'withdraw', changes: { status: { from: row.status, to: 'withdrawn' } } }, ctx.timeZone, ctx.now)
  return { status: 'applied', version }
}

const APPLY = { create, amend, withdraw } as const

function applyOp(ctx: Ctx, op: PushOp): Outcome {
  if (op.kind === 'action') return applyAction(ctx, op, op.opId)
  if (op.kind === 'visit') return applyVisit(ctx, op)
  return APPLY[op.kind](ctx, op)
}

const DAY_MS = 86_400_000

/**
 * What sync_ops records about an op besides its id and user. A visit keeps neither its id nor its time of day
 * there, so the op log cannot tie a person to a visit (visits are counted per organisation only).
 */
function opRecord(op: PushOp, now: number): { target: string; at: number } {
  if (op.kind === 'visit') return { target: '', at: Math.floor(now / DAY_MS) * DAY_MS }
  if (op.kind === 'action') return { target: `${op.week}#${op.hotSpot}`, at: now }
  return { target: op.reportId, at: now }
}

function opIdOf(raw: unknown): string {
  const id = raw && typeof raw === 'object' && 'opId' in raw ? (raw as { opId: unknown }).opId : undefined
  return typeof id === 'string' ? id.slice(0, 100) : ''
}

/**
 * Applies a push in one transaction, each op in its own savepoint. An op is recorded under its opId
 * (the primary key decides, not a prior check), so a repeated op gets the stored result back.
 */
export function applyPush(db: Db, user: SessionUser, schemaVersion: number, ops: unknown[], timeZone: string, now: number): OpResult[] {
  if (!(ACCEPTED_SCHEMA_VERSIONS as readonly number[]).includes(schemaVersion)) {
    throw new ApiError(400, 'unsupported_schema_version', `schemaVersion: this server accepts ${ACCEPTED_SCHEMA_VERSIONS.join(' and ')}, got ${schemaVersion}`, 'schemaVersion')
  }
  const claim = cached(db, `INSERT INTO sync_ops (op_id, user_id, report_id, kind, status, at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (op_id) DO NOTHING`)
  const stored = cached(db, 'SELECT user_id, status, version, reason FROM sync_ops WHERE op_id = ?')
  const record = cached(db, 'UPDATE sync_ops SET status = ?, version = ?, reason = ? WHERE op_id = ?')
  const ctx: Ctx = { db, user, timeZone, now }

  return db.transaction(() => ops.map((raw): OpResult => {
    const parsed = PushOp.safeParse(raw)
    if (!parsed.success) {
      const { message, field } = zodErrorBody(parsed.error).error
      return { opId: opIdOf(raw), status: 'rejected', reason: message, ...(field ? { field } : {}) }
    }
    const op = parsed.data
    const { target, at } = opRecord(op, now)
    if (claim.run(op.opId, user.id, target, op.kind, at).changes === 0) {
      const prior = stored.get(op.opId) as { user_id: number; status: string; version: number | null; reason: string | null }
      if (prior.user_id !== user.id) return { opId: op.opId, status: 'rejected', reason: 'opId: already used' }
      const status = prior.status === 'applied' ? 'duplicate' : (prior.status as OpResult['status'])
      return { opId: op.opId, status, ...(prior.version !== null ? { version: prior.version } : {}), ...(prior.reason ? { reason: prior.reason } : {}) }
    }
    let outcome: Outcome
    try {
      outcome = db.transaction(() => applyOp(ctx, op))()
    } catch (err) {
      if (!(err instanceof OpRejected) && !(err instanceof LoopOpRejected)) throw err
      outcome = { status: 'rejected', reason: err.reason, ...(err.field ? { field: err.field } : {}) }
    }
    record.run(outcome.status, outcome.version ?? null, outcome.reason ?? null, op.opId)
    return { opId: op.opId, ...outcome }
  }))()
}
