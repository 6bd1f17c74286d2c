import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReportDraft } from '@lagesbild/domain'
import { snapshot, testServer, type TestServer } from '../../test/support.ts'
import { amendOp, createOp, newDraft, pullPage, push, pushApplied, review, withdrawOp } from '../../test/sync-ops.ts'

let s: TestServer
let vakt: { cookie: string; userId: number }
let other: { cookie: string; userId: number }
let reviewerId: number

beforeAll(async () => {
  s = await testServer()
  vakt = await s.signIn('vakt1', ['reporter'])
  other = await s.signIn('vakt2', ['reporter'], 'Securitas')
  reviewerId = (await s.signIn('granskare', ['reviewer'], 'Kommunen')).userId
})
afterAll(() => s.close())

interface Row { version: number; status: string; description: string; category: string; people_involved: number | null; review_note: string | null }
const row = (id: string) => s.db.prepare('SELECT version, status, description, category, people_involved, review_note FROM reports WHERE id = ?').get(id) as Row
const revisions = (id: string) => (s.db.prepare('SELECT version, kind, changes FROM revisions WHERE report_id = ? ORDER BY id').all(id) as Array<{ version: number; kind: string; changes: string }>)
  .map(r => ({ ...r, changes: JSON.parse(r.changes) as Record<string, unknown> }))

async function created(overrides: Partial<ReportDraft> = {}): Promise<ReportDraft> {
  const draft = newDraft(overrides)
  await pushApplied(s, vakt.cookie, [createOp(draft)])
  return draft
}

/** Everything but the sync_ops record of the op itself. */
function state() {
  const { sync_ops: _ops, ...rest } = snapshot(s.db)
  return rest
}

describe('amend', () => {
  it('applies an amendment on the current version as the next version, recording only what changed', async () => {
    const draft = await created()
    const { results } = await push(s, vakt.cookie, [amendOp({ ...draft, description: 'Nedskräpning och en trasig bänk' }, 1)])
    expect(results[0]).toMatchObject({ status: 'applied', version: 2 })
    expect(results[0]!.reason).toBeUndefined()
    expect(row(draft.id)).toMatchObject({ version: 2, description: 'Nedskräpning och en trasig bänk' })
    expect(revisions(draft.id).at(-1)).toEqual({ version: 2, kind: 'amend', changes: { description: { from: draft.description, to: 'Nedskräpning och en trasig bänk' } } })
  })

  it('merges an amendment made on an older version when the two sides changed different fields', async () => {
    const draft = await created()
    await pushApplied(s, vakt.cookie, [amendOp({ ...draft, category: 'vandalism' }, 1)])
    const { results } = await push(s, vakt.cookie, [amendOp({ ...draft, peopleInvolved: 3 }, 1)])
    expect(results[0]).toMatchObject({ status: 'applied', version: 3 })
    expect(results[0]!.reason).toBeUndefined()
    expect(row(draft.id)).toMatchObject({ version: 3, category: 'vandalism', people_involved: 3, description: draft.description })
  })

  it("keeps the reviewer's value when both sides changed a field, records the reporter's, and says so", async () => {
    const draft = await created()
    review(s.db, draft.id, reviewerId, { status: 'needs_info', note: 'Vilken hållplats?', fields: { description: 'Nedskräpning (granskad)' } })
    const op = amendOp({ ...draft, description: 'Nedskräpning vid Knutpunkten', peopleInvolved: 2 }, 1)
    const { results } = await push(s, vakt.cookie, [op])
    expect(results[0]).toMatchObject({ status: 'applied', version: 3 })
    expect(results[0]!.reason).toBe('overruled: description')
    expect(row(draft.id)).toMatchObject({ version: 3, status: 'submitted', description: 'Nedskräpning (granskad)', people_involved: 2 })
    expect(revisions(draft.id).at(-1)!.changes).toEqual({
      peopleInvolved: { from: null, to: 2 },
      overruled: { description: { from: 'Nedskräpning (granskad)', to: 'Nedskräpning vid Knutpunkten' } },
    })
    // The device that missed this answer gets the same one again, reason included.
    const again = await push(s, vakt.cookie, [op])
    expect(again.results[0]).toEqual({ ...results[0], status: 'duplicate' })
  })

  it('keeps an amendment after review as a pending amendment, leaves the report as decided, and tells the device', async () => {
    const draft = await created()
    review(s.db, draft.id, reviewerId, { status: 'approved', note: 'Ok', fields: { category: 'vandalism' } })
    const cursor = (await pullPage(s, vakt.cookie, 0, 5000)).nextCursor
    const before = row(draft.id)
    const { results } = await push(s, vakt.cookie, [amendOp({ ...draft, description: 'Det var också klotter' }, 1)])
    expect(results[0]).toMatchObject({ status: 'applied', version: 2, reason: 'pending_review' })
    expect(row(draft.id)).toEqual(before)
    // Only what the reporter changed waits for the reviewer: not the reviewer's own category edit undone.
    const pending = s.db.prepare('SELECT base_version, changes, state FROM pending_amendments WHERE report_id = ?').all(draft.id)
    expect(pending).toEqual([{ base_version: 1, state: 'pending', changes: JSON.stringify({ description: { from: draft.description, to: 'Det var också klotter' } }) }])
    const page = await pullPage(s, vakt.cookie, cursor, 5000)
    expect(page.changes.map(c => [c.id, c.status, c.version, c.pendingAmendment])).toEqual([[draft.id, 'approved', 2, true]])
  })

  it('answers an amendment that changes nothing as a duplicate without a new version', async () => {
    const draft = await created()
    const before = state()
    expect((await push(s, vakt.cookie, [amendOp(draft, 1)])).results[0]).toMatchObject({ status: 'duplicate', version: 1 })
    expect(state()).toEqual(before)
  })

  it.each([
    ['baseVersion', (d: ReportDraft) => ({ ...amendOp(d, 1), baseVersion: undefined })],
    ['baseVersion', (d: ReportDraft) => amendOp(d, 7)],
    ['report', (d: ReportDraft) => ({ ...amendOp(d, 1), report: undefined })],
    ['report.id', (d: ReportDraft) => ({ ...amendOp(d, 1), reportId: newDraft().id })],
  ])('rejects an amendment with a bad %s and changes nothing', async (field, make) => {
    const draft = await created()
    const before = state()
    const { results } = await push(s, vakt.cookie, [make({ ...draft, description: 'Ändrad' })])
    expect(results[0]).toMatchObject({ status: 'rejected', field })
    expect(state()).toEqual(before)
  })
})

describe('withdraw', () => {
  it('withdraws a report not yet reviewed; withdrawing again is a duplicate and amending it is rejected', async () => {
    const draft = await created()
    expect((await push(s, vakt.cookie, [withdrawOp(draft.id)])).results[0]).toMatchObject({ status: 'applied', version: 2 })
    expect(row(draft.id)).toMatchObject({ status: 'withdrawn', version: 2 })
    expect((await push(s, vakt.cookie, [withdrawOp(draft.id)])).results[0]).toMatchObject({ status: 'duplicate', version: 2 })
    const amended = await push(s, vakt.cookie, [amendOp({ ...draft, description: 'Ångrar mig' }, 2)])
    expect(amended.results[0]).toMatchObject({ status: 'rejected', reason: 'the report has been withdrawn' })
    expect(row(draft.id)).toMatchObject({ status: 'withdrawn', version: 2, description: draft.description })
  })

  it('answers a withdrawal after review as a conflict and leaves the decision standing', async () => {
    const draft = await created()
    review(s.db, draft.id, reviewerId, { status: 'approved', note: null })
    const before = state()
    expect((await push(s, vakt.cookie, [withdrawOp(draft.id)])).results[0]).toMatchObject({ status: 'conflict', version: 2, reason: 'the report has already been reviewed' })
    expect(state()).toEqual(before)
  })

  it('lets a reporter withdraw a report that waits for more information', async () => {
    const draft = await created()
    review(s.db, draft.id, reviewerId, { status: 'needs_info', note: 'När?' })
    expect((await push(s, vakt.cookie, [withdrawOp(draft.id)])).results[0]).toMatchObject({ status: 'applied', version: 3 })
  })
})

describe("another user's report", () => {
  it('is answered exactly like a report that does not exist, and left as it was', async () => {
    const theirs = newDraft({ description: 'Securitas rapport' })
    await pushApplied(s, other.cookie, [createOp(theirs)])
    const missing = newDraft()
    const before = state()
    const tries = [amendOp({ ...theirs, description: 'Kapad' }, 1), withdrawOp(theirs.id)]
    const controls = [amendOp({ ...missing, description: 'Kapad' }, 1), withdrawOp(missing.id)]
    const { results } = await push(s, vakt.cookie, [...tries, ...controls])
    const strip = ({ opId: _id, ...rest }: { opId: string }) => rest
    expect(results.slice(0, 2).map(strip)).toEqual(results.slice(2).map(strip))
    expect(results.every(r => r.status === 'rejected' && r.version === undefined)).toBe(true)
    expect(JSON.stringify(results)).not.toContain('Securitas')
    expect(state()).toEqual(before)
  })

  it('cannot be overwritten by a create with its id, which is answered exactly like an id no phone makes', async () => {
    const theirs = newDraft({ description: 'Securitas rapport' })
    await pushApplied(s, other.cookie, [createOp(theirs)])
    const before = state()
    const v4 = newDraft({ id: theirs.id.slice(0, 14) + '4' + theirs.id.slice(15) })
    const { results } = await push(s, vakt.cookie, [createOp(theirs), createOp({ ...theirs, description: 'Annat' }), createOp(v4)])
    const strip = ({ opId: _id, ...rest }: { opId: string }) => rest
    expect(strip(results[0]!)).toEqual(strip(results[2]!))
    expect(strip(results[1]!)).toEqual(strip(results[2]!))
    expect(results[0]).toMatchObject({ status: 'rejected', field: 'reportId' })
    expect(results[0]!.version).toBeUndefined()
    expect(JSON.stringify(results)).not.toContain('Securitas')
    expect(state()).toEqual(before)
  })

  it('never shows up in the pull', async () => {
    const theirs = newDraft()
    await pushApplied(s, other.cookie, [createOp(theirs)])
    const page = await pullPage(s, vakt.cookie, 0, 5000)
    expect(page.hasMore).toBe(false)
    expect(page.changes.some(c => c.id === theirs.id || c.reporterId !== vakt.userId)).toBe(false)
  })
})
