import {
  AMENDABLE_FIELDS, diffFields, isInFuture,
  type AmendmentDecisionBody, type BulkApproveBody, type BulkItemResult, type MergeBody, type PendingAmendment,
  type Report, type ReportFields, type ReportStatus, type ReviewBody, type ReviewChanges, type ReviewDecision, type UnmergeBody,
} from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError, notFound } from '../http-error.ts'
import { audit } from './audit.ts'
import { getReportRow, rowFields, toReport, touchReport, updateReport, type ReportRow } from './reports.ts'

/** Who decides, and what the audit log needs to know about them. */
export interface Reviewer { id: number; ip: string | null }
interface Ctx { db: Db; reviewer: Reviewer; timeZone: string; now: number }

const STATUS_OF: Record<ReviewDecision, ReportStatus> = { approve: 'approved', reject: 'rejected', needs_info: 'needs_info' }
const OPEN: readonly ReportStatus[] = ['submitted', 'needs_info']

function reportOr404(db: Db, id: string): ReportRow {
  const row = getReportRow(db, id)
  if (!row) throw notFound('the report')
  return row
}

/** A decision must be made on the version the reviewer saw; anything else would overwrite unseen work. */
function checkVersion(row: ReportRow, baseVersion: number, field = 'baseVersion'): void {
  if (row.version !== baseVersion) {
    throw new ApiError(409, 'version_conflict', `${field}: the report has changed since version ${baseVersion} (it is now at version ${row.version}); reload it and decide again`, field)
  }
}

/** Separation of duties: nobody decides on, edits or merges their own report, nor accepts their own amendment. */
export function refuseOwn(row: ReportRow, reviewerId: number, field?: string): void {
  if (row.reporter_id === reviewerId) {
    throw new ApiError(409, 'own_report', `${field ? field + ': ' : ''}this is your own report; another reviewer must decide on it (separation of duties)`, field)
  }
}

function refuseWithdrawn(row: ReportRow): void {
  if (row.status === 'withdrawn') throw new ApiError(409, 'withdrawn', 'the reporter has withdrawn this report')
}

/** The report's fields with the reviewer's corrections, checked against the reference data. */
export function applyChanges(db: Db, current: ReportFields, changes: ReviewChanges | undefined, now: number): ReportFields {
  if (!changes) return current
  const next: ReportFields = { ...current }
  if (changes.category !== undefined) {
    if (!db.prepare('SELECT 1 FROM categories WHERE code = ?').get(changes.category)) throw new ApiError(400, 'invalid_request', `changes.category: unknown category "${changes.category}"`, 'changes.category')
    next.category = changes.category
  }
  if (changes.occurredAt !== undefined) {
    if (isInFuture(changes.occurredAt, now)) throw new ApiError(400, 'invalid_request', 'changes.occurredAt: the event time is in the future', 'changes.occurredAt')
    next.occurredAt = changes.occurredAt
  }
  if (changes.description !== undefined) next.description = changes.description
  if (changes.placeId === null) delete next.placeId
  else if (changes.placeId !== undefined) {
    const place = db.prepare('SELECT lat, lon FROM places WHERE id = ?').get(changes.placeId) as { lat: number; lon: number } | undefined
    if (!place) throw new ApiError(400, 'invalid_request', `changes.placeId: unknown place ${changes.placeId}`, 'changes.placeId')
    next.placeId = changes.placeId
    if (!changes.location) next.location = { lat: place.lat, lon: place.lon, source: 'place' }
  }
  if (changes.location) next.location = changes.location
  return next
}

function statusChange(row: ReportRow, status: ReportStatus) {
  return status === row.status ? {} : { status: { from: row.status, to: status } }
}

function noteChange(row: ReportRow, note: string | null) {
  return note === row.review_note ? {} : { reviewNote: { from: row.review_note, to: note } }
}

/** Writes a decision as a new version (so the reporter's next pull brings it) and audits it. No checks. */
function writeDecision(ctx: Ctx, row: ReportRow, decision: ReviewDecision, note: string | null, fields: ReportFields | null): number {
  const status = STATUS_OF[decision]
  const fieldChanges = fields ? diffFields(rowFields(row), fields) : {}
  const changed = Object.keys(fieldChanges)
  const version = updateReport(ctx.db, row,
    { ...(changed.length ? { fields: fields! } : {}), status, review: { by: ctx.reviewer.id, note } },
    { authorId: ctx.reviewer.id, kind: 'review', changes: { ...fieldChanges, ...statusChange(row, status), ...noteChange(row, note) } },
    ctx.timeZone, ctx.now)
  audit(ctx.db, { actorId: ctx.reviewer.id, action: 'report_reviewed', target: row.id, detail: { decision, version, changed }, ip: ctx.reviewer.ip }, ctx.now)
  return version
}

/** One reviewer's decision on one report, on the version they saw. */
export function decide(ctx: Ctx, id: string, body: ReviewBody): Report {
  return ctx.db.transaction(() => {
    const row = reportOr404(ctx.db, id)
    refuseOwn(row, ctx.reviewer.id)
    checkVersion(row, body.baseVersion)
    refuseWithdrawn(row)
    const fields = applyChanges(ctx.db, rowFields(row), body.changes, ctx.now)
    writeDecision(ctx, row, body.decision, body.note || null, fields)
    return toReport(reportOr404(ctx.db, id))
  }).immediate()
}

/**
 * Approves a selection in one transaction, each item on its own base version: a missing, stale or
 * already decided item is answered alone and never stops the others. A selection holding the reviewer's own
 * reports is refused as a whole (409 naming them), so nothing is decided without the reviewer noticing.
 */
export function bulkApprove(ctx: Ctx, body: BulkApproveBody): BulkItemResult[] {
  const note = body.note || null
  return ctx.db.transaction(() => {
    const own = body.items.filter(item => getReportRow(ctx.db, item.id)?.reporter_id === ctx.reviewer.id).map(item => item.id)
    if (own.length) {
      throw new ApiError(409, 'own_report', `items: ${own.length === 1 ? 'this is your own report' : 'these are your own reports'} (${own.join(', ')}); another reviewer must decide on them (separation of duties). Nothing was approved.`, 'items')
    }
    return bulkItems(ctx, body, note)
  }).immediate()
}

function bulkItems(ctx: Ctx, body: BulkApproveBody, note: string | null): BulkItemResult[] {
  return body.items.map((item): BulkItemResult => {
    const row = getReportRow(ctx.db, item.id)
    if (!row) return { id: item.id, status: 'not_found', reason: 'no such report' }
    if (row.version !== item.baseVersion) return { id: item.id, status: 'conflict', version: row.version, reason: `changed since version ${item.baseVersion}` }
    if (!OPEN.includes(row.status)) return { id: item.id, status: 'refused', version: row.version, reason: `already ${row.status}` }
    return { id: item.id, status: 'applied', version: writeDecision(ctx, row, 'approve', note, null) }
  })
}

/**
 * Links other reports of the same event to a primary: the event is approved and counted once (the
 * duplicates point at the primary), and every report keeps its source and its own history.
 */
export function merge(ctx: Ctx, primaryId: string, body: MergeBody): Report {
  const { db } = ctx
  return db.transaction(() => {
    const primary = reportOr404(db, primaryId)
    refuseOwn(primary, ctx.reviewer.id)
    checkVersion(primary, body.baseVersion)
    if (primary.duplicate_of !== null) throw new ApiError(409, 'already_linked', `this report is itself linked to ${primary.duplicate_of}; merge into that one`)
    if (!['submitted', 'needs_info', 'approved'].includes(primary.status)) throw new ApiError(409, 'not_mergeable', `a ${primary.status} report cannot be the primary of an event`)
    const ids = body.duplicates.map(d => d.id)
    if (new Set(ids).size !== ids.length) throw new ApiError(400, 'invalid_request', 'duplicates: an id is listed twice', 'duplicates')
    if (ids.includes(primaryId)) throw new ApiError(400, 'invalid_request', 'duplicates: a report cannot be its own duplicate', 'duplicates')

    const note = body.note || null
    const linked: string[] = []
    body.duplicates.forEach((ref, i) => {
      const field = `duplicates.${i}`
      const row = getReportRow(db, ref.id)
      if (!row) throw new ApiError(404, 'not_found', `${field}: the report ${ref.id} was not found`, field)
      refuseOwn(row, ctx.reviewer.id, field)
      checkVersion(row, ref.baseVersion, `${field}.baseVersion`)
      if (!['submitted', 'needs_info', 'approved'].includes(row.status)) throw new ApiError(409, 'not_mergeable', `${field}: a ${row.status} report cannot be merged`, field)
      if (row.duplicate_of === primaryId) return
      if (row.duplicate_of !== null) throw new ApiError(409, 'already_linked', `${field}: the report is already linked to another event`, field)
      if (db.prepare('SELECT 1 FROM reports WHERE duplicate_of = ?').get(row.id)) throw new ApiError(409, 'already_linked', `${field}: other reports are linked to this one; merge into it instead`, field)
      updateReport(db, row, { status: 'approved', review: { by: ctx.reviewer.id, note }, duplicateOf: primaryId },
        { authorId: ctx.reviewer.id, kind: 'merge', changes: { ...statusChange(row, 'approved'), ...noteChange(row, note), duplicateOf: { from: null, to: primaryId } } },
        ctx.timeZone, ctx.now)
      linked.push(row.id)
    })

    const sources = db.prepare('SELECT id FROM reports WHERE duplicate_of = ? ORDER BY id').pluck().all(primaryId) as string[]
    const before = sources.filter(id => !linked.includes(id))
    const decides = primary.status !== 'approved' || note !== null
    updateReport(db, primary, { status: 'approved', ...(decides ? { review: { by: ctx.reviewer.id, note } } : {}) },
      { authorId: ctx.reviewer.id, kind: 'merge', changes: { ...statusChange(primary, 'approved'), ...(decides ? noteChange(primary, note) : {}), sources: { from: before, to: sources } } },
      ctx.timeZone, ctx.now)
    audit(db, { actorId: ctx.reviewer.id, action: 'reports_merged', target: primaryId, detail: { duplicates: ids }, ip: ctx.reviewer.ip }, ctx.now)
    return toReport(reportOr404(db, primaryId))
  }).immediate()
}

/**
 * Undoes a merge for one duplicate: it leaves the event and takes back the status it had before the merge (so a
 * report merged while waiting waits again); the primary's list of sources shrinks. Both get a new version.
 */
export function unmerge(ctx: Ctx, id: string, body: UnmergeBody): Report {
  const { db } = ctx
  return db.transaction(() => {
    const row = reportOr404(db, id)
    refuseOwn(row, ctx.reviewer.id)
    checkVersion(row, body.baseVersion)
    if (row.duplicate_of === null) throw new ApiError(409, 'not_linked', 'this report is not merged into another')
    const primary = reportOr404(db, row.duplicate_of)
    refuseOwn(primary, ctx.reviewer.id)
    const lastMerge = db.prepare(`SELECT changes FROM revisions WHERE report_id = ? AND kind = 'merge' ORDER BY id DESC LIMIT 1`).pluck().get(id) as string | undefined
    const before = (lastMerge ? (JSON.parse(lastMerge) as { status?: { from?: ReportStatus } }).status?.from : undefined) ?? row.status
    updateReport(db, row, { status: before, duplicateOf: null },
      { authorId: ctx.reviewer.id, kind: 'unmerge', changes: { ...statusChange(row, before), duplicateOf: { from: primary.id, to: null } } },
      ctx.timeZone, ctx.now)
    const sources = db.prepare('SELECT id FROM reports WHERE duplicate_of = ? ORDER BY id').pluck().all(primary.id) as string[]
    updateReport(db, primary, {}, { authorId: ctx.reviewer.id, kind: 'unmerge', changes: { sources: { from: [...sources, id].sort(), to: sources } } }, ctx.timeZone, ctx.now)
    audit(db, { actorId: ctx.reviewer.id, action: 'merge_undone', target: id, detail: { primary: primary.id, status: before }, ip: ctx.reviewer.ip }, ctx.now)
    return toReport(reportOr404(db, id))
  }).immediate()
}

/** The fields as the reporter's amendment wants them: its `to` values over the current ones. */
function amendedFields(current: ReportFields, changes: PendingAmendment['changes']): ReportFields {
  const next = { ...current } as Record<string, unknown>
  for (const f of AMENDABLE_FIELDS) {
    const change = changes[f]
    if (!change) continue
    if (change.to === null || change.to === undefined) delete next[f]
    else next[f] = change.to
  }
  return next as ReportFields
}

/** Accepts a reporter's amendment to a reviewed report as a new version, or dismisses it. */
export function resolveAmendment(ctx: Ctx, reportId: string, amendmentId: number, body: AmendmentDecisionBody): Report {
  const { db } = ctx
  return db.transaction(() => {
    const row = reportOr404(db, reportId)
    const amendment = db.prepare('SELECT author_id, state, changes FROM pending_amendments WHERE id = ? AND report_id = ?').get(amendmentId, reportId) as
      | { author_id: number; state: string; changes: string } | undefined
    if (!amendment) throw notFound('the amendment')
    refuseOwn(row, ctx.reviewer.id)
    if (amendment.author_id === ctx.reviewer.id) throw new ApiError(409, 'own_report', 'this is your own amendment; another reviewer must decide on it (separation of duties)')
    if (amendment.state !== 'pending') throw new ApiError(409, 'already_resolved', `the amendment was already ${amendment.state}`)
    checkVersion(row, body.baseVersion)
    if (body.action === 'accept') refuseWithdrawn(row)
    db.prepare('UPDATE pending_amendments SET state = ?, resolved_by = ?, resolved_at = ? WHERE id = ?')
      .run(body.action === 'accept' ? 'accepted' : 'dismissed', ctx.reviewer.id, ctx.now, amendmentId)
    if (body.action === 'accept') {
      const fields = amendedFields(rowFields(row), JSON.parse(amendment.changes) as PendingAmendment['changes'])
      updateReport(db, row, { fields }, { authorId: ctx.reviewer.id, kind: 'amendment_accepted', changes: diffFields(rowFields(row), fields) }, ctx.timeZone, ctx.now)
    } else {
      // Not a new version, but the reporter's device must learn that nothing is pending any more.
      touchReport(db, reportId)
    }
    audit(db, { actorId: ctx.reviewer.id, action: body.action === 'accept' ? 'amendment_accepted' : 'amendment_dismissed', target: reportId, detail: { amendmentId, authorId: amendment.author_id }, ip: ctx.reviewer.ip }, ctx.now)
    return toReport(reportOr404(db, reportId))
  }).immediate()
}
