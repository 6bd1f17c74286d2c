import {
  SCHEMA_VERSION, diffFields, uuidv7, type OpResult, type PullResponse, type ReportDraft, type ReportFields, type ReportStatus, type SyncOp,
} from '@lagesbild/domain'
import type { Db } from '../src/db/connection.ts'
import { getReportRow, rowFields, updateReport } from '../src/services/reports.ts'
import { jsonOf, type TestServer } from './support.ts'

/** A valid report as a phone makes it: an hour ago, by a GPS fix with its accuracy. */
export function newDraft(overrides: Partial<ReportDraft> = {}, now = Date.now()): ReportDraft {
  const id = overrides.id ?? uuidv7(now)
  return {
    id,
    category: 'littering',
    occurredAt: new Date(now - 3_600_000).toISOString(),
    location: { lat: 56.0465, lon: 12.6945, accuracyM: 8, source: 'gps' },
    description: 'Nedskräpning vid busshållplatsen',
    createdAt: new Date(now - 3_000_000).toISOString(),
    ...overrides,
  }
}

export const createOp = (report: ReportDraft): SyncOp => ({ opId: uuidv7(), kind: 'create', reportId: report.id, report })
export const amendOp = (report: ReportDraft, baseVersion: number): SyncOp => ({ opId: uuidv7(), kind: 'amend', reportId: report.id, baseVersion, report })
export const withdrawOp = (reportId: string): SyncOp => ({ opId: uuidv7(), kind: 'withdraw', reportId })

/** POST /api/sync/push; returns the status and, on 200, the results in op order. */
export async function push(s: TestServer, cookie: string, ops: unknown[], schemaVersion: number = SCHEMA_VERSION): Promise<{ status: number; results: OpResult[] }> {
  const res = await s.request('POST', '/api/sync/push', { cookie, body: { schemaVersion, ops } })
  return { status: res.status, results: res.status === 200 ? (await jsonOf<{ results: OpResult[] }>(res)).results : [] }
}

/** Pushes ops that must apply, and fails loudly when one does not. */
export async function pushApplied(s: TestServer, cookie: string, ops: SyncOp[]): Promise<OpResult[]> {
  const { status, results } = await push(s, cookie, ops)
  if (status !== 200 || results.some(r => r.status !== 'applied')) throw new Error(`push did not apply: ${status} ${JSON.stringify(results)}`)
  return results
}

export async function pullPage(s: TestServer, cookie: string, cursor: number, limit: number): Promise<PullResponse> {
  const res = await s.request('GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}`, { cookie })
  if (res.status !== 200) throw new Error(`pull failed: ${res.status} ${await res.text()}`)
  return jsonOf<PullResponse>(res)
}

/**
 * Changes a report the way a reviewer does, through services/reports.ts (the review routes are built
 * elsewhere): a decision with a note, and optionally edited fields recorded as {from, to} in the revision.
 */
export function review(db: Db, reportId: string, reviewerId: number, decision: { status?: ReportStatus; note?: string | null; fields?: Partial<ReportFields> }, now = Date.now()): number {
  return db.transaction(() => {
    const row = getReportRow(db, reportId)
    if (!row) throw new Error(`no report ${reportId}`)
    const current = rowFields(row)
    const fields = decision.fields ? { ...current, ...decision.fields } : undefined
    const changes: Record<string, unknown> = fields ? { ...diffFields(current, fields) } : {}
    if (decision.status && decision.status !== row.status) changes.status = { from: row.status, to: decision.status }
    return updateReport(db, row, {
      ...(fields ? { fields } : {}),
      ...(decision.status ? { status: decision.status, review: { by: reviewerId, note: decision.note ?? null } } : {}),
    }, { authorId: reviewerId, kind: 'review', changes }, 'Europe/Stockholm', now)
  })()
}
