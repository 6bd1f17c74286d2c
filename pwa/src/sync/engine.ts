import { AMENDABLE_FIELDS, SCHEMA_VERSION } from '@lagesbild/domain/report-rules'
import type { OpResult, PullResponse, Report, ReportDraft, SyncOp } from '@lagesbild/domain'
import type { LagesbildDb } from '@/db/database'
import { emptyMeta, forgetPastRetention } from '@/db/reports'
import type { LocalReport, OutboxEntry } from '@/db/types'
import { createPace, type Pace } from './pace'
import { loopOp, settleLoopOp } from './loop-ops'

export const PUSH_BATCH = 50
export const PULL_PAGE = 500

export interface SyncTransport {
  push(body: { schemaVersion: number; ops: SyncOp[] }): Promise<{ results: OpResult[] }>
  pull(cursor: number, limit: number): Promise<PullResponse>
}

/** Why a sync stopped early; the outbox is untouched in every case. `timeout`: the link is up but passes (almost) nothing. */
export type SyncFailure = 'network' | 'timeout' | 'server' | 'unauthenticated' | 'forbidden' | 'refused'

export type SyncOutcome =
  | { ok: true; pushed: number; rejected: number; pulled: number }
  | { ok: false; failure: SyncFailure; message: string; pushed: number }

/** A transport error carries the HTTP status (0 when the request never got an answer; then `code` is `timeout` when it was given up on). */
export interface TransportError { status: number; message: string; code?: string }

function isTransportError(err: unknown): err is TransportError {
  return typeof err === 'object' && err !== null && 'status' in err && typeof (err as TransportError).status === 'number'
}

function failureOf(err: unknown): { failure: SyncFailure; message: string } {
  if (!isTransportError(err)) throw err
  const { status, message } = err
  if (status === 0) return { failure: err.code === 'timeout' ? 'timeout' : 'network', message }
  if (status >= 500) return { failure: 'server', message }
  if (status === 401) return { failure: 'unauthenticated', message }
  if (status === 403) return { failure: 'forbidden', message }
  return { failure: 'refused', message }
}

function toOp(entry: OutboxEntry): SyncOp {
  const loop = loopOp(entry)
  if (loop) return loop as unknown as SyncOp
  return {
    opId: entry.opId, kind: entry.kind as SyncOp['kind'], reportId: entry.reportId,
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

function fieldsOnly(r: Partial<ReportDraft>): Partial<ReportDraft> {
  return Object.fromEntries(AMENDABLE_FIELDS.filter(f => r[f] !== undefined && r[f] !== null).map(f => [f, r[f]]))
}

/** What the user sees: the server's copy with the changes of the ops still queued on top, oldest first. */
function shown(report: LocalReport, queued: OutboxEntry[]): LocalReport {
  if (!report.server) return report
  const fields: Record<string, unknown> = { ...report.server.fields }
  for (const op of [...queued].sort((a, b) => a.createdAt - b.createdAt)) {
    for (const f of op.changed ?? []) {
      const v = (op.report as Record<string, unknown> | undefined)?.[f]
      if (v === undefined || v === null) delete fields[f]
      else fields[f] = v
    }
  }
  const rest = { ...report } as Record<string, unknown>
  for (const f of AMENDABLE_FIELDS) delete rest[f]
  return { ...(rest as unknown as LocalReport), ...fields, version: report.server.version }
}

async function applyResults(db: LagesbildDb, batch: OutboxEntry[], results: OpResult[]): Promise<{ settled: number; rejected: number }> {
  const byId = new Map(results.map(r => [r.opId, r]))
  let settled = 0, rejected = 0
  await db.transaction('rw', [db.outbox, db.reports, db.loop], async () => {
    for (const op of batch) {
      const result = byId.get(op.opId)
      if (!result) continue // not answered: stays pending and goes again
      if (op.kind === 'action' || op.kind === 'visit') {
        if (await settleLoopOp(db, op, result)) settled++
        else rejected++
        continue
      }
      const report = await db.reports.get(op.reportId)
      if (result.status === 'applied' || result.status === 'duplicate') {
        settled++
        await db.outbox.delete(op.opId)
        const version = result.version ?? report?.version ?? 1
        // Clean: nobody else's change was merged in, so the server's copy at `version` is exactly ours.
        const clean = op.kind === 'create' ? version === 1 : result.status === 'applied' && !result.reason && version === (op.baseVersion ?? 0) + 1
        for (const next of await db.outbox.where('reportId').equals(op.reportId).toArray()) {
          if (next.afterOp === op.opId) await db.outbox.update(next.opId, { afterOp: undefined, baseVersion: clean ? version : (op.baseVersion ?? version) })
        }
        if (report) {
          const status = op.kind === 'withdraw' ? 'withdrawn' : report.status === 'local' ? 'submitted' : report.status
          const notice = result.reason === 'pending_review' ? 'pending_review' : (result.reason ?? null)
          const server = clean && version > (report.server?.version ?? 0)
            ? { version, fields: op.report ? fieldsOnly(op.report) : (report.server?.fields ?? fieldsOnly(report)) }
            : report.server
          const queued = await db.outbox.where('reportId').equals(op.reportId).toArray()
          await db.reports.put(shown({ ...report, ...(server ? { server } : {}), status, notice, pendingAmendment: report.pendingAmendment || notice === 'pending_review', updatedAt: Date.now() }, queued))
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
  return { ...rest, ownerId, notice: null, updatedAt: Date.now(), server: { version: report.version, fields: fieldsOnly(report) } }
}

/**
 * Reports written per transaction while applying a pull page; between them the main thread takes a tap. 25 keeps
 * each task short on a slow phone (Lighthouse's total blocking time on the first pull: 164 ms with 100, 57 ms with 25).
 */
const PULL_WRITE_CHUNK = 25

/** A cutoff the pull names, in ms; undefined when the server sent none (typed as always sent, but older servers do not). */
function cutoffOf(iso: string | undefined): number | undefined {
  const ms = Date.parse(iso ?? '')
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * Stores a pull page in chunks, each its own transaction with a pause between them, so a first pull of hundreds of
 * reports never holds the main thread for long. The cursor moves only with the last chunk: a page cut short is
 * pulled again, and writing a server copy twice is harmless. After the last page the phone forgets its reports and
 * the loop's items past the retention cutoffs the server sent.
 */
async function applyPull(db: LagesbildDb, ownerId: number, page: PullResponse): Promise<void> {
  const chunks = page.changes.length ? Array.from({ length: Math.ceil(page.changes.length / PULL_WRITE_CHUNK) }, (_, k) => page.changes.slice(k * PULL_WRITE_CHUNK, (k + 1) * PULL_WRITE_CHUNK)) : [[]]
  for (const [k, changes] of chunks.entries()) {
    if (k > 0) await new Promise(resolve => setTimeout(resolve, 0))
    await db.transaction('rw', [db.reports, db.outbox, db.reference, db.meta], async () => {
      // In bulk: one request per report kept the main thread busy.
      const ids = changes.map(c => c.id)
      const locals = await db.reports.bulkGet(ids)
      const queued = new Map<string, OutboxEntry[]>()
      for (const op of await db.outbox.where('reportId').anyOf(ids).toArray()) queued.set(op.reportId, [...(queued.get(op.reportId) ?? []), op])
      // Our unsent edits stay on screen on top of the server's copy; the server's decisions are taken as they are.
      await db.reports.bulkPut(changes.map((change, i) => shown({ ...fromServer(change, ownerId), notice: locals[i]?.notice ?? null }, queued.get(change.id) ?? [])))
      if (k < chunks.length - 1) return
      if (page.reference) await db.reference.put({ ownerId, ...page.reference, updatedAt: Date.now() })
      const meta = (await db.meta.get(ownerId)) ?? emptyMeta(ownerId)
      await db.meta.put({ ...meta, cursor: page.nextCursor })
    })
  }
  // Once per sync, after its last page, in a transaction of its own. A cutoff missing from the answer (a server from
  // before it) forgets nothing of its kind.
  const cutoffs = { reports: cutoffOf(page.keepFrom), visits: cutoffOf(page.keepVisitsFrom) }
  if (!page.hasMore && (cutoffs.reports !== undefined || cutoffs.visits !== undefined)) {
    await new Promise(resolve => setTimeout(resolve, 0))
    await forgetPastRetention(db, ownerId, cutoffs)
  }
}

/** The link's pace shared by every sync of this page: batch sizes shrink after a timeout and grow back. */
export const linkPace = createPace()

function paced(pace: Pace, err: unknown): void {
  if (isTransportError(err) && err.status === 0 && err.code === 'timeout') pace.timedOut()
}

/**
 * One sync: push the user's outbox in batches, then pull everything after the cursor. Stops at the first
 * network, timeout, server or session failure, leaving every unsent op in place for the next attempt;
 * batches are as large as the link's pace allows.
 */
export async function syncOnce(db: LagesbildDb, transport: SyncTransport, ownerId: number, pace: Pace = linkPace): Promise<SyncOutcome> {
  let pushed = 0, rejected = 0, pulled = 0
  for (;;) {
    const outbox = await db.outbox.where('ownerId').equals(ownerId).toArray()
    const batch = nextBatch(outbox, Math.min(PUSH_BATCH, pace.push))
    if (batch.length === 0) break
    await db.outbox.bulkUpdate(batch.map(op => ({ key: op.opId, changes: { attempts: op.attempts + 1 } })))
    let results: OpResult[]
    try {
      results = (await transport.push({ schemaVersion: SCHEMA_VERSION, ops: batch.map(toOp) })).results
    } catch (err) {
      paced(pace, err)
      return { ok: false, ...failureOf(err), pushed }
    }
    pace.answered()
    const done = await applyResults(db, batch, results)
    pushed += done.settled
    rejected += done.rejected
    if (done.settled + done.rejected === 0) break // nothing answered: don't spin
  }
  try {
    let cursor = (await db.meta.get(ownerId))?.cursor ?? 0
    for (;;) {
      const page = await transport.pull(cursor, Math.min(PULL_PAGE, pace.pull))
      pace.answered()
      await applyPull(db, ownerId, page)
      pulled += page.changes.length
      cursor = page.nextCursor
      if (!page.hasMore) break
    }
  } catch (err) {
    paced(pace, err)
    return { ok: false, ...failureOf(err), pushed }
  }
  await db.meta.update(ownerId, { lastSyncAt: Date.now() })
  return { ok: true, pushed, rejected, pulled }
}
