import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BulkItemResult, Report, ReportDraft } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { amendOp, createOp, newDraft, pullPage, pushApplied } from '../../test/sync-ops.ts'

type Session = { cookie: string; userId: number; organisationId: number }

let s: TestServer
let deskReporter: Session // a reviewer who also reports (a safety-unit patrol)
let reviewer: Session
let guard: Session
let adminOnly: Session

beforeAll(async () => {
  s = await testServer()
  ;[deskReporter, reviewer, guard, adminOnly] = await Promise.all([
    s.signIn('patrull', ['reporter', 'reviewer'], 'Kommunen'),
    s.signIn('granskare', ['reviewer'], 'Kommunen'),
    s.signIn('vakt1', ['reporter'], 'Vaktbolaget'),
    s.signIn('boss', ['admin'], 'Kommunen'),
  ])
})
afterAll(() => s.close())

async function file(who: Session, over: Partial<ReportDraft> = {}): Promise<ReportDraft> {
  const draft = newDraft({ category: 'vandalism', placeId: 1, location: { lat: 56.0459, lon: 12.6937, source: 'place' }, ...over })
  await pushApplied(s, who.cookie, [createOp(draft)])
  return draft
}
const post = (who: Session, path: string, body: unknown) => s.request('POST', path, { cookie: who.cookie, body })
const statusOf = (id: string) => s.db.prepare('SELECT status, version, duplicate_of FROM reports WHERE id = ?').get(id) as { status: string; version: number; duplicate_of: string | null }

describe('separation of duties: nobody decides on their own report', () => {
  it.each([
    ['approve', { decision: 'approve', baseVersion: 1 }],
    ['reject', { decision: 'reject', note: 'Nej', baseVersion: 1 }],
    ['needs_info', { decision: 'needs_info', note: 'Var?', baseVersion: 1 }],
    ['edit with approve', { decision: 'approve', baseVersion: 1, changes: { description: 'Ändrad' } }],
  ])('%s of their own report → 409 own_report, nothing changes', async (_name, body) => {
    const mine = await file(deskReporter)
    const before = snapshot(s.db)
    const res = await post(deskReporter, `/api/reports/${mine.id}/review`, body)
    expect(res.status).toBe(409)
    const { error } = await jsonOf(res)
    expect(error.code).toBe('own_report')
    expect(error.message).toContain('your own report')
    expect(snapshot(s.db)).toEqual(before)
    expect((await post(reviewer, `/api/reports/${mine.id}/review`, body)).status).toBe(200)
  })

  it('merging their own report, as the primary or as a duplicate → 409', async () => {
    const mine = await file(deskReporter)
    const theirs = await file(guard)
    const before = snapshot(s.db)
    const asPrimary = await post(deskReporter, `/api/reports/${mine.id}/merge`, { baseVersion: 1, duplicates: [{ id: theirs.id, baseVersion: 1 }] })
    const asDuplicate = await post(deskReporter, `/api/reports/${theirs.id}/merge`, { baseVersion: 1, duplicates: [{ id: mine.id, baseVersion: 1 }] })
    expect([asPrimary.status, asDuplicate.status]).toEqual([409, 409])
    expect((await jsonOf(asDuplicate)).error).toMatchObject({ code: 'own_report', field: 'duplicates.0' })
    expect(snapshot(s.db)).toEqual(before)
  })

  it('a bulk approval holding their own reports is refused whole, naming them; nothing is approved', async () => {
    const [mine1, mine2, theirs] = [await file(deskReporter), await file(deskReporter), await file(guard)]
    const before = snapshot(s.db)
    const res = await post(deskReporter, '/api/reports/bulk-approve', { items: [mine1, theirs, mine2].map(r => ({ id: r.id, baseVersion: 1 })) })
    expect(res.status).toBe(409)
    const { error } = await jsonOf(res)
    expect(error.code).toBe('own_report')
    expect(error.message).toContain(mine1.id)
    expect(error.message).toContain(mine2.id)
    expect(error.message).not.toContain(theirs.id)
    expect(snapshot(s.db)).toEqual(before)
    const ok = await jsonOf<{ results: BulkItemResult[] }>(await post(deskReporter, '/api/reports/bulk-approve', { items: [{ id: theirs.id, baseVersion: 1 }] }))
    expect(ok.results.map(r => r.status)).toEqual(['applied'])
  })

  it('accepting or dismissing their own amendment → 409', async () => {
    const mine = await file(deskReporter)
    expect((await post(reviewer, `/api/reports/${mine.id}/review`, { decision: 'approve', baseVersion: 1 })).status).toBe(200)
    await pushApplied(s, deskReporter.cookie, [amendOp({ ...mine, description: 'Två rutor' }, 2)])
    const amendmentId = s.db.prepare('SELECT id FROM pending_amendments WHERE report_id = ?').pluck().get(mine.id) as number
    const before = snapshot(s.db)
    for (const action of ['accept', 'dismiss']) {
      const res = await post(deskReporter, `/api/reports/${mine.id}/amendments/${amendmentId}`, { action, baseVersion: 2 })
      expect(res.status).toBe(409)
      expect((await jsonOf(res)).error.code).toBe('own_report')
    }
    expect(snapshot(s.db)).toEqual(before)
    expect((await post(reviewer, `/api/reports/${mine.id}/amendments/${amendmentId}`, { action: 'accept', baseVersion: 2 })).status).toBe(200)
  })

  it('the detail tells the desk whose report it is, so it can hide the actions', async () => {
    const mine = await file(deskReporter)
    const detail = await jsonOf<{ reporter: { id: number } }>(await s.request('GET', `/api/reports/${mine.id}`, { cookie: deskReporter.cookie }))
    expect(detail.reporter.id).toBe(deskReporter.userId)
  })

  it('an admin who is not a reviewer does not review: 403 on the queue, a report, a decision', async () => {
    const theirs = await file(guard)
    const before = snapshot(s.db)
    expect((await s.request('GET', '/api/reports?status=all', { cookie: adminOnly.cookie })).status).toBe(403)
    expect((await s.request('GET', `/api/reports/${theirs.id}`, { cookie: adminOnly.cookie })).status).toBe(403)
    expect((await post(adminOnly, `/api/reports/${theirs.id}/review`, { decision: 'approve', baseVersion: 1 })).status).toBe(403)
    expect(statusOf(theirs.id).status).toBe('submitted')
    const { audit_events: _a, ...after } = snapshot(s.db)
    const { audit_events: _b, ...was } = before
    expect(after).toEqual(was)
  })
})

describe('undoing a merge', () => {
  it('the duplicate counts on its own again with its status before the merge; both get a new version the phones pull; audited', async () => {
    const primary = await file(guard, { category: 'violence' })
    const waiting = await file(deskReporter, { category: 'violence' })
    const merged = await post(reviewer, `/api/reports/${primary.id}/merge`, { baseVersion: 1, duplicates: [{ id: waiting.id, baseVersion: 1 }] })
    expect(merged.status).toBe(200)
    expect(statusOf(waiting.id)).toEqual({ status: 'approved', version: 2, duplicate_of: primary.id })
    const cursor = (await pullPage(s, guard.cookie, 0, 1000)).nextCursor

    const res = await post(reviewer, `/api/reports/${waiting.id}/unmerge`, { baseVersion: 2 })
    expect(res.status).toBe(200)
    expect((await jsonOf<{ report: Report }>(res)).report).toMatchObject({ id: waiting.id, status: 'submitted', duplicateOf: null, version: 3 })
    expect(statusOf(primary.id)).toMatchObject({ status: 'approved', version: 3 })
    const audit = s.db.prepare(`SELECT actor_id, detail FROM audit_events WHERE action = 'merge_undone' AND target = ?`).all(waiting.id) as Array<{ actor_id: number; detail: string }>
    expect(audit.map(a => [a.actor_id, JSON.parse(a.detail)])).toEqual([[reviewer.userId, { primary: primary.id, status: 'submitted' }]])
    // The primary's reporter pulls the primary's new version; the duplicate's reporter pulls theirs.
    expect((await pullPage(s, guard.cookie, cursor, 1000)).changes.map(r => [r.id, r.version])).toEqual([[primary.id, 3]])
    expect((await pullPage(s, deskReporter.cookie, 0, 1000)).changes.find(r => r.id === waiting.id)).toMatchObject({ status: 'submitted', duplicateOf: null })
  })

  it('refuses a report that is not merged, a stale version, and one of their own', async () => {
    const a = await file(guard, { category: 'arson' })
    const b = await file(guard, { category: 'arson' })
    expect((await post(reviewer, `/api/reports/${a.id}/merge`, { baseVersion: 1, duplicates: [{ id: b.id, baseVersion: 1 }] })).status).toBe(200)
    const before = snapshot(s.db)
    const notMerged = await post(reviewer, `/api/reports/${a.id}/unmerge`, { baseVersion: 2 })
    const stale = await post(reviewer, `/api/reports/${b.id}/unmerge`, { baseVersion: 1 })
    const own = await file(deskReporter, { category: 'arson' })
    expect([notMerged.status, stale.status]).toEqual([409, 409])
    expect((await jsonOf(notMerged)).error.code).toBe('not_linked')
    expect((await jsonOf(stale)).error.code).toBe('version_conflict')
    const { reports: _r, revisions: _v, sync_ops: _o, change_seq: _c, ...rest } = snapshot(s.db)
    const { reports: _r2, revisions: _v2, sync_ops: _o2, change_seq: _c2, ...restBefore } = before
    expect(rest).toEqual(restBefore)
    expect((await post(reviewer, `/api/reports/${a.id}/merge`, { baseVersion: 2, duplicates: [{ id: own.id, baseVersion: 1 }] })).status).toBe(200)
    const mine = await post(deskReporter, `/api/reports/${own.id}/unmerge`, { baseVersion: 2 })
    expect(mine.status).toBe(409)
    expect((await jsonOf(mine)).error.code).toBe('own_report')
  })
})
