import { uuidv7 } from '@lagesbild/domain/uuidv7'
import { AMENDABLE_FIELDS } from '@lagesbild/domain/report-rules'
import { isoWeekMonday } from '@lagesbild/domain/local-time'
import type { ReportDraft } from '@lagesbild/domain'
import Dexie from 'dexie'
import { withDb, type LagesbildDb } from './database'
import type { LocalReport, LoopItem, OutboxEntry, SyncMeta } from './types'

const RECENT_PLACES = 5

function emptyMeta(ownerId: number): SyncMeta {
  return { ownerId, cursor: 0, lastSyncAt: null, recentPlaceIds: [], lastReport: null }
}

/** Remembers the place and category of a saved report for "recent places" and "same as last". */
async function rememberLast(db: Parameters<Parameters<typeof withDb>[0]>[0], ownerId: number, draft: ReportDraft) {
  const meta = (await db.meta.get(ownerId)) ?? emptyMeta(ownerId)
  const recent = draft.placeId === undefined ? meta.recentPlaceIds
    : [draft.placeId, ...meta.recentPlaceIds.filter(id => id !== draft.placeId)].slice(0, RECENT_PLACES)
  await db.meta.put({
    ...meta,
    recentPlaceIds: recent,
    lastReport: { reportId: draft.id, category: draft.category, location: draft.location, ...(draft.placeId !== undefined ? { placeId: draft.placeId } : {}) },
  })
}

/** Vue hands us reactive proxies, which IndexedDB cannot clone; reports are plain JSON data. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/**
 * The outbox is ordered by createdAt, so it must never run backwards, whatever the phone's clock does
 * (a clock set back would put an op before the one it waits for, and both would wait forever).
 */
export async function outboxEntry(db: Parameters<Parameters<typeof withDb>[0]>[0], ownerId: number, kind: OutboxEntry['kind'], reportId: string, extra: Partial<OutboxEntry> = {}): Promise<OutboxEntry> {
  const last = await db.outbox.where('[ownerId+createdAt]').between([ownerId, Dexie.minKey], [ownerId, Dexie.maxKey]).last()
  const createdAt = Math.max(Date.now(), (last?.createdAt ?? 0) + 1)
  return { opId: uuidv7(), ownerId, kind, reportId, createdAt, state: 'pending', attempts: 0, ...extra }
}

/** Saves a new report and its outbox entry in one transaction: once this resolves, the report survives anything. */
export async function saveNewReport(ownerId: number, fields: Omit<ReportDraft, 'id' | 'createdAt'>): Promise<LocalReport> {
  const now = Date.now()
  const draft: ReportDraft = { ...plain(fields), id: uuidv7(now), createdAt: new Date(now).toISOString() }
  const report: LocalReport = {
    ...draft, ownerId, status: 'local', version: 0, reviewNote: null, reviewedAt: null, duplicateOf: null,
    pendingAmendment: false, notice: null, updatedAt: now,
  }
  await withDb(db => db.transaction('rw', [db.reports, db.outbox, db.drafts, db.meta], async () => {
    await db.reports.add(report)
    await db.outbox.add(await outboxEntry(db, ownerId, 'create', draft.id, { report: draft }))
    await db.drafts.delete(ownerId)
    await rememberLast(db, ownerId, draft)
  }))
  return report
}

/** The ops on a report still in the outbox, oldest first. */
async function queuedFor(db: Parameters<Parameters<typeof withDb>[0]>[0], reportId: string): Promise<OutboxEntry[]> {
  return (await db.outbox.where('reportId').equals(reportId).toArray()).sort((a, b) => a.createdAt - b.createdAt)
}

/**
 * Amends a report. An op that was never tried is rewritten in place (one op, not two); otherwise a new
 * amend op follows the last queued one, or carries the version the user saw, so the server merges field by field.
 */
export async function amendReport(ownerId: number, id: string, fields: Omit<ReportDraft, 'id' | 'createdAt'>): Promise<void> {
  await withDb(db => db.transaction('rw', [db.reports, db.outbox, db.drafts, db.meta], async () => {
    const current = await db.reports.get(id)
    if (!current || current.ownerId !== ownerId) throw new Error('no such report on this device')
    const draft: ReportDraft = { ...plain(fields), id, createdAt: current.createdAt }
    const { placeId: _p, peopleInvolved: _n, policeNotified: _b, ...kept } = current
    await db.reports.put({ ...kept, ...draft, notice: null, updatedAt: Date.now() })
    const changed = AMENDABLE_FIELDS.filter(f => JSON.stringify(current[f] ?? null) !== JSON.stringify(draft[f] ?? null))
    const last = (await queuedFor(db, id)).at(-1)
    if (last && last.state === 'pending' && last.attempts === 0 && (last.kind === 'create' || last.kind === 'amend')) {
      await db.outbox.update(last.opId, { report: draft, changed: [...new Set([...(last.changed ?? []), ...changed])] })
    } else {
      await db.outbox.add(await outboxEntry(db, ownerId, 'amend', id, last ? { report: draft, changed, afterOp: last.opId } : { report: draft, changed, baseVersion: current.version }))
    }
    await db.drafts.delete(ownerId)
    await rememberLast(db, ownerId, draft)
  }))
}

export async function withdrawReport(ownerId: number, id: string): Promise<void> {
  await withDb(db => db.transaction('rw', [db.reports, db.outbox], async () => {
    const current = await db.reports.get(id)
    if (!current || current.ownerId !== ownerId) throw new Error('no such report on this device')
    const queued = await queuedFor(db, id)
    if (current.status === 'local' && queued.every(o => o.attempts === 0)) {
      // The server never saw it: withdrawing is deleting it from this device.
      await db.outbox.bulkDelete(queued.map(o => o.opId))
      await db.reports.delete(id)
      return
    }
    const last = queued.at(-1)
    await db.outbox.add(await outboxEntry(db, ownerId, 'withdraw', id, last ? { afterOp: last.opId } : { baseVersion: current.version }))
    await db.reports.put({ ...current, updatedAt: Date.now() })
  }))
}

/** Puts a rejected op back in line after the user corrected or confirmed it. */
export async function retryRejected(opId: string): Promise<void> {
  await withDb(db => db.outbox.update(opId, { state: 'pending', attempts: 0 }))
}

/** Drops a rejected op the user chose to discard, with the local copy if the server never had the report. */
export async function discardRejected(opId: string): Promise<void> {
  await withDb(db => db.transaction('rw', [db.reports, db.outbox], async () => {
    const op = await db.outbox.get(opId)
    if (!op || op.state !== 'rejected') return
    await db.outbox.delete(opId)
    const report = await db.reports.get(op.reportId)
    if (report?.status === 'local' && op.kind === 'create') {
      await db.outbox.where('reportId').equals(op.reportId).delete()
      await db.reports.delete(op.reportId)
      return
    }
    // Ops that waited for this one now apply to the version this device has.
    for (const next of await db.outbox.where('reportId').equals(op.reportId).toArray()) {
      if (next.afterOp === opId) await db.outbox.update(next.opId, { afterOp: undefined, baseVersion: report?.version ?? 1 })
    }
    if (report) await db.reports.update(op.reportId, { notice: null })
  }))
}

export async function saveDraft(ownerId: number, reportId: string | null, fields: Partial<ReportDraft>): Promise<void> {
  await withDb(db => db.drafts.put({ ownerId, reportId, fields: plain(fields), updatedAt: Date.now() }))
}

export async function loadDraft(ownerId: number) {
  return withDb(db => db.drafts.get(ownerId))
}

export async function clearDraft(ownerId: number): Promise<void> {
  await withDb(db => db.drafts.delete(ownerId))
}

export async function loadMeta(ownerId: number): Promise<SyncMeta> {
  return (await withDb(db => db.meta.get(ownerId))) ?? emptyMeta(ownerId)
}

/**
 * A shared phone: what a user leaves behind at sign-out is only what has not been sent. Their synced
 * reports, draft, reference data and sync state go (the next sign-in pulls them again); outbox entries and
 * the local copies of the reports they change stay, keyed to their owner, until that user signs in again.
 */
export async function forgetUser(ownerId: number): Promise<void> {
  await withDb(db => db.transaction('rw', [db.reports, db.outbox, db.drafts, db.reference, db.meta, db.loop], async () => {
    const unsent = new Set((await db.outbox.where('ownerId').equals(ownerId).toArray()).map(o => o.reportId))
    await db.reports.where('ownerId').equals(ownerId).filter(r => !unsent.has(r.id)).delete()
    await db.loop.where('ownerId').equals(ownerId).filter(i => !unsent.has(i.key)).delete()
    await db.drafts.delete(ownerId)
    await db.reference.delete(ownerId)
    await db.meta.delete(ownerId)
  }))
}

/** How far a retention cutoff moves before the phone looks for data past it again: the server's own job runs daily. */
const RETENTION_PASS_MS = 86_400_000

/** The cutoffs (ms) the last pull page named: `reports` from keepFrom, `visits` from keepVisitsFrom. A missing one forgets nothing. */
export interface RetentionCutoffs { reports?: number; visits?: number }

/** A part of the pass is due when the server named its cutoff and it moved a day (or back) since that part last left nothing behind. */
function passDue(kept: number | undefined, cutoff: number | undefined): cutoff is number {
  return cutoff !== undefined && (kept === undefined || cutoff < kept || cutoff - kept >= RETENTION_PASS_MS)
}

/**
 * When a loop item happened, for retention: a visit's time; an action mark's week's end (UTC midnight after its Sunday,
 * as its week is the decision it marks; hours either way do not matter against months). NaN (kept) for a malformed one.
 */
function loopItemAt(item: LoopItem): number {
  if (item.kind === 'visit') return Date.parse(item.at ?? '')
  return /^\d{4}-W\d{2}$/.test(item.week) ? Date.parse(`${isoWeekMonday(item.week)}T00:00:00Z`) + 7 * 86_400_000 : NaN
}

/**
 * Retention on the phone (README "Retention"), one pass for everything the owner synced:
 * - reports that occurred before `cutoffs.reports`, the server's cutoff, as the server has removed their free text and
 *   exact position and pulls no longer bring them. A report with anything in the outbox (pending or rejected) is still
 *   sent and judged by the server, and one the user's draft amends stays with it; both go on a later pass. "Same as
 *   last" goes with its report (it holds the exact position).
 * - the loop's visits logged before `cutoffs.visits`, the visits' own period (staff movement data; the server deletes
 *   its copies then), and action marks of weeks that ended before it: the phone shows only this week's mark, the server
 *   keeps the organisation's with the decision, so the phone's copy only says what this user did where and when. An
 *   item with an op in the outbox (pending, or rejected and waiting for the user) stays, and goes on a later pass.
 * One small transaction, and each part only when its cutoff has moved a day since its last pass that left nothing
 * behind, so a sync every minute does not read every report every minute.
 */
export async function forgetPastRetention(db: LagesbildDb, ownerId: number, cutoffs: RetentionCutoffs): Promise<number> {
  return db.transaction('rw', [db.reports, db.outbox, db.drafts, db.meta, db.loop], async () => {
    const meta = (await db.meta.get(ownerId)) ?? emptyMeta(ownerId)
    // A cutoff that moved back (a longer period set) runs its part too, so the day is counted from where it is now.
    const keepFrom = cutoffs.reports, keepVisitsFrom = cutoffs.visits
    const reportsDue = passDue(meta.keptFrom, keepFrom), loopDue = passDue(meta.keptVisitsFrom, keepVisitsFrom)
    if (!reportsDue && !loopDue) return 0
    // A loop op's reportId is its item's key, so one set tells what waits for both.
    const unsent = new Set((await db.outbox.where('ownerId').equals(ownerId).toArray()).map(o => o.reportId))
    let next: SyncMeta = meta
    let forgotten = 0
    if (reportsDue) {
      const drafted = (await db.drafts.get(ownerId))?.reportId
      const past = (await db.reports.where('ownerId').equals(ownerId).toArray()).filter(r => Date.parse(r.occurredAt) < keepFrom)
      const gone = past.filter(r => r.status !== 'local' && !unsent.has(r.id) && r.id !== drafted).map(r => r.id)
      await db.reports.bulkDelete(gone)
      forgotten += gone.length
      const last = meta.lastReport
      // A row from before lastReport named its report cannot tell which one it was: forget it with any.
      const lastGone = last !== null && gone.length > 0 && (last.reportId === undefined || gone.includes(last.reportId))
      next = {
        ...next,
        ...(lastGone ? { lastReport: null } : {}),
        // Held back reports are looked at again on the next sync, once they may have been sent.
        ...(gone.length === past.length ? { keptFrom: keepFrom } : {}),
      }
    }
    if (loopDue) {
      const past = (await db.loop.where('ownerId').equals(ownerId).toArray()).filter(i => loopItemAt(i) < keepVisitsFrom)
      const gone = past.filter(i => !unsent.has(i.key)).map(i => i.key)
      await db.loop.bulkDelete(gone)
      forgotten += gone.length
      if (gone.length === past.length) next = { ...next, keptVisitsFrom: keepVisitsFrom }
    }
    await db.meta.put(next)
    return forgotten
  })
}

/** Someone else signs in where a user's session ran out: that user's synced data goes too (see forgetUser). */
export async function forgetOtherUsers(ownerId: number): Promise<void> {
  const owners = await withDb(async db => new Set([
    ...(await db.meta.toCollection().primaryKeys()), ...(await db.reference.toCollection().primaryKeys()), ...(await db.drafts.toCollection().primaryKeys()),
    ...(await db.reports.orderBy('ownerId').uniqueKeys()).map(Number), ...(await db.loop.orderBy('ownerId').uniqueKeys()).map(Number),
  ]))
  for (const other of owners) if (other !== ownerId) await forgetUser(other)
}

export { emptyMeta }
