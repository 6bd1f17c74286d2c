import { SCHEMA_VERSION } from '@lagesbild/domain/report-rules'
import type { OpResult, PullResponse, Report, SyncOp } from '@lagesbild/domain'
import type { LagesbildDb } from '@/db/database'
import { emptyMeta } from '@/db/reports'
import type { LocalReport, OutboxEntry } from '@/db/types'

export const PUSH_BATCH = 50
export const PULL_PAGE = 500

export interface SyncTransport {
  push(body: { schemaVersion: number; ops: SyncOp[] }): Promise<{ results: OpResult[] }>
  pull(cursor: number, limit: number): Promise<PullResponse>
}

/** Why a sync stopped early; the outbox is untouched in every case. */
export type SyncFailure = 'network' | 'server' | 'unauthenticated' | 'forbidden' | 'refused'

export type SyncOutcome =
  | { ok: true; pushed: number; rejected: number; pulled: number }
  | { ok: false; failure: SyncFailure; message: string; pushed: number }

/** A transport error carries the HTTP status (0 when the request never got an answer). */
export interface TransportError { status: number; message: string }

function isTransportError(err: unknown): err is TransportError {
  return typeof err === 'object' && err !== null && 'status' in err && typeof (err as TransportError).status === 'number'
}

function failureOf(err: unknown): { failure: SyncFailure; message: string } {
  if (!isTransportError(err)) throw err
  const { status, message } = err
  if (status === 0) return { failure: 'network', message }
  if (status >= 500) return { failure: 'server', message }
  if (status === 401) return { failure: 'unauthenticated', message }
  if (status === 403) return { failure: 'forbidden', message }
  return { failure: 'refused', message }
}

function toOp(entry: OutboxEntry): SyncOp {
  return {
    opId: entry.opId, kind: entry.kind, reportId: entry.reportId,
    ...(entry.baseVersion !== undefined ? { baseVersion: entry.baseVersion } : {}),
    ...(entry.report ? { report: entry.report } : {}),
  }
}

/**
 * The next batch: pending ops in the order they were made, at most one per report (a later op on the
 * same report waits for the earlier one's version), none whose predecessor is still queued.
 */
export function nextBatch(outbox: OutboxEntry[], size = PUSH_BATCH): OutboxEntry[] {
  const queued = new Set(outbox.map(o => o.opId))
  const seen = new Set<string>()
  const batch: OutboxEntry[] = []
  for (const op of [...outbox].sort((a, b) => a.createdAt - b.createdAt || (a.opId < b.opId ? -1 : 1))) {
    if (batch.length >= size) break
    const blocked = seen.has(op.reportId) || (op.afterOp !== undefined && queued.has(op.afterOp))
    seen.add(op.reportId)
    if (op.state === 'pending' && !blocked) batch.push(op)
  }
  return batch
}

async function applyResults(db: LagesbildDb, batch: OutboxEntry[], results: OpResult[]): Promise<{ settled: number; rejected: number }> {
  const byId = new Map(results.map(r => [r.opId, r]))
  let settled = 0, rejected = 0
  await db.transaction('rw', [db.outbox, db.reports], async () => {
    for (const op of batch) {
      const result = byId.get(op.opId)
      if (!result) continue // not answered: stays pending and goes again
      const report = await db.reports.get(op.reportId)
      if (result.status === 'applied' || result.status === 'duplicate') {
        settled++
        await db.outbox.delete(op.opId)
        const version = result.version ?? report?.version ?? 1
        for (const next of await db.outbox.where('reportId').equals(op.reportId).toArray()) {
          if (next.afterOp === op.opId) await db.outbox.update(next.opId, { afterOp: undefined, baseVersion: version })
        }
        if (report) {
          const status = op.kind === 'withdraw' ? 'withdrawn' : report.status === 'local' ? 'submitted' : report.status
          const notice = result.reason === 'pending_review' ? 'pending_review' : (result.reason ?? null)
          await db.reports.put({ ...report, status, version: Math.max(report.version, version), notice, pendingAmendment: report.pendingAmendment || notice === 'pending_review', updatedAt: Date.now() })
        }
      } else {
        rejected++
        const reason = result.reason ?? result.status
        await db.outbox.update(op.opId, { state: 'rejected', reason })
        if (report) await db.reports.put({ ...report, notice: reason, updatedAt: Date.now() })
      }
    }
  })
  return { settled, rejected }
}

function fromServer(report: Report, ownerId: number): LocalReport {
  const { reporterId: _r, organisationId: _o, receivedAt: _a, reviewedBy: _b, privacyFlags: _p, ...rest } = report
  return { ...rest, ownerId, notice: null, updatedAt: Date.now() }
}

async function applyPull(db: LagesbildDb, ownerId: number, page: PullResponse): Promise<void> {
  await db.transaction('rw', [db.reports, db.outbox, db.reference, db.meta], async () => {
    for (const change of page.changes) {
      const local = await db.reports.get(change.id)
      const queued = await db.outbox.where('reportId').equals(change.id).count()
      if (local && queued > 0) {
        // Our unsent edit stays on screen; the server's decisions are taken as they are.
        await db.reports.put({
          ...local, status: change.status, version: Math.max(local.version, change.version), reviewNote: change.reviewNote,
          reviewedAt: change.reviewedAt, duplicateOf: change.duplicateOf, pendingAmendment: change.pendingAmendment, updatedAt: Date.now(),
        })
      } else {
        await db.reports.put({ ...fromServer(change, ownerId), notice: local?.notice ?? null })
      }
    }
    if (page.reference) await db.reference.put({ ownerId, ...page.reference, updatedAt: Date.now() })
    const meta = (await db.meta.get(ownerId)) ?? emptyMeta(ownerId)
    await db.meta.put({ ...meta, cursor: page.nextCursor })
  })
}

/**
 * One sync: push the user's outbox in batches, then pull everything after the cursor. Stops at the first
 * network, server or session failure, leaving every unsent op in place for the next attempt.
 */
export async function syncOnce(db: LagesbildDb, transport: SyncTransport, ownerId: number): Promise<SyncOutcome> {
  let pushed = 0, rejected = 0, pulled = 0
  for (;;) {
    const outbox = await db.outbox.where('ownerId').equals(ownerId).toArray()
    const batch = nextBatch(outbox)
    if (batch.length === 0) break
    await db.outbox.bulkUpdate(batch.map(op => ({ key: op.opId, changes: { attempts: op.attempts + 1 } })))
    let results: OpResult[]
    try {
      results = (await transport.push({ schemaVersion: SCHEMA_VERSION, ops: batch.map(toOp) })).results
    } catch (err) {
      return { ok: false, ...failureOf(err), pushed }
    }
    const done = await applyResults(db, batch, results)
    pushed += done.settled
    rejected += done.rejected
    if (done.settled + done.rejected === 0) break // nothing answered: don't spin
  }
  try {
    let cursor = (await db.meta.get(ownerId))?.cursor ?? 0
    for (;;) {
      const page = await transport.pull(cursor, PULL_PAGE)
      await applyPull(db, ownerId, page)
      pulled += page.changes.length
      cursor = page.nextCursor
      if (!page.hasMore) break
    }
  } catch (err) {
    return { ok: false, ...failureOf(err), pushed }
  }
  await db.meta.update(ownerId, { lastSyncAt: Date.now() })
  return { ok: true, pushed, rejected, pulled }
}
