import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { amendOp, createOp, newDraft, pullPage, push, pushApplied, review, withdrawOp } from '../../test/sync-ops.ts'
import { nextSeq } from '../services/seq.ts'

let s: TestServer
let vakt: { cookie: string; userId: number }
let other: { cookie: string; userId: number }
let reviewer: { cookie: string; userId: number }

beforeAll(async () => {
  s = await testServer()
  vakt = await s.signIn('vakt1', ['reporter'])
  other = await s.signIn('vakt2', ['reporter'], 'Securitas')
  reviewer = await s.signIn('granskare', ['reviewer'], 'Kommunen')
})
afterAll(() => s.close())

const count = (sql: string, ...params: unknown[]) => s.db.prepare(sql).pluck().get(...params) as number

describe('POST /api/sync/push', () => {
  it('needs a signed-in reporter or reviewer', async () => {
    const analyst = await s.signIn('analytiker', ['analyst'], 'Kommunen')
    const before = snapshot(s.db)
    expect((await push(s, '', [createOp(newDraft())])).status).toBe(401)
    expect((await push(s, analyst.cookie, [createOp(newDraft())])).status).toBe(403)
    expect(snapshot(s.db)).toEqual(before)
  })

  it('makes one report of the same op pushed 50 times at once: one applied, the rest duplicate, all with one version', async () => {
    const op = createOp(newDraft())
    const answers = await Promise.all(Array.from({ length: 50 }, () => push(s, vakt.cookie, [op])))
    expect(answers.map(a => a.status)).toEqual(Array(50).fill(200))
    const results = answers.map(a => a.results[0]!)
    expect(results.filter(r => r.status === 'applied')).toHaveLength(1)
    expect(results.filter(r => r.status === 'duplicate')).toHaveLength(49)
    expect(new Set(results.map(r => `${r.opId} v${r.version}`))).toEqual(new Set([`${op.opId} v1`]))
    expect(count('SELECT count(*) FROM reports WHERE id = ?', op.reportId)).toBe(1)
    expect(count('SELECT count(*) FROM revisions WHERE report_id = ?', op.reportId)).toBe(1)
    expect(count('SELECT count(*) FROM sync_ops WHERE op_id = ?', op.opId)).toBe(1)
  })

  it('answers a batch pushed again after a lost reply with the stored results and writes nothing', async () => {
    const a = newDraft(), b = newDraft({ category: 'graffiti' })
    const first = [createOp(a), createOp(b)]
    await pushApplied(s, vakt.cookie, first)
    const ops = [...first, amendOp({ ...a, description: 'Mer skräp än först sagt' }, 1)]
    const sent = await push(s, vakt.cookie, ops)
    expect(sent.results.map(r => [r.status, r.version])).toEqual([['duplicate', 1], ['duplicate', 1], ['applied', 2]])
    const before = snapshot(s.db)
    const again = await push(s, vakt.cookie, ops)
    expect(again.results).toEqual([
      { opId: ops[0]!.opId, status: 'duplicate', version: 1 },
      { opId: ops[1]!.opId, status: 'duplicate', version: 1 },
      { opId: ops[2]!.opId, status: 'duplicate', version: 2 },
    ])
    expect(snapshot(s.db)).toEqual(before)
  })

  it('answers the same report id with other content and no baseVersion as a conflict, leaving the row as it was', async () => {
    const draft = newDraft()
    await pushApplied(s, vakt.cookie, [createOp(draft)])
    const before = snapshot(s.db)
    const { results } = await push(s, vakt.cookie, [createOp({ ...draft, description: 'Något helt annat' })])
    expect(results[0]).toMatchObject({ status: 'conflict', version: 1 })
    expect(results[0]!.reason).toMatch(/already exists/)
    const { sync_ops: _ops, ...after } = snapshot(s.db)
    const { sync_ops: _opsBefore, ...unchanged } = before
    expect(after).toEqual(unchanged)
  })

  it('treats the same content under a new opId as a duplicate, whatever the order of its JSON keys', async () => {
    const draft = newDraft()
    await pushApplied(s, vakt.cookie, [createOp(draft)])
    const reordered = { ...draft, location: { source: 'gps' as const, accuracyM: 8, lon: draft.location.lon, lat: draft.location.lat } }
    const { results } = await push(s, vakt.cookie, [createOp(reordered)])
    expect(results[0]).toMatchObject({ status: 'duplicate', version: 1 })
  })

  it('accepts the previous schemaVersion', async () => {
    const op = createOp(newDraft())
    expect((await push(s, vakt.cookie, [op], 1)).results).toEqual([{ opId: op.opId, status: 'applied', version: 1 }])
  })

  it.each([0, 3, 99])('refuses schemaVersion %i with 400 naming the field, writing nothing', async version => {
    const before = snapshot(s.db)
    const res = await s.request('POST', '/api/sync/push', { cookie: vakt.cookie, body: { schemaVersion: version, ops: [createOp(newDraft())] } })
    expect(res.status).toBe(400)
    expect((await jsonOf(res)).error).toMatchObject({ code: 'unsupported_schema_version', field: 'schemaVersion' })
    expect(snapshot(s.db)).toEqual(before)
  })

  it('rejects malformed ops one by one with a reason naming the field, and applies the rest of the batch', async () => {
    const good1 = newDraft(), good2 = newDraft()
    const noCategory = createOp(newDraft())
    const { category: _c, ...withoutCategory } = noCategory.report!
    const future = newDraft({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() })
    const unknownCategory = newDraft({ category: 'ufo_landing' })
    const long = newDraft({ description: 'x'.repeat(2001) })
    const badUuid = { ...createOp(newDraft()), reportId: 'not-a-uuid' }
    const extra = { ...createOp(newDraft()), colour: 'red' }
    const extraInReport = createOp(newDraft())
    const ops = [createOp(good1), { ...noCategory, report: withoutCategory }, badUuid, extra, { ...extraInReport, report: { ...extraInReport.report, colour: 'red' } },
      createOp(future), createOp(unknownCategory), createOp(long), { ...createOp(newDraft()), kind: 'delete' }, createOp(good2)]
    const before = snapshot(s.db)
    const { status, results } = await push(s, vakt.cookie, ops)
    expect(status).toBe(200)
    expect(results.map(r => [r.status, r.field])).toEqual([
      ['applied', undefined],
      ['rejected', 'report.category'],
      ['rejected', 'reportId'],
      ['rejected', 'colour'],
      ['rejected', 'report.colour'],
      ['rejected', 'report.occurredAt'],
      ['rejected', 'report.category'],
      ['rejected', 'report.description'],
      ['rejected', 'kind'],
      ['applied', undefined],
    ])
    for (const r of results) if (r.field) expect(r.reason).toContain(r.field)
    expect(results.map(r => r.opId)).toEqual(ops.map(o => o.opId))

    const after = snapshot(s.db)
    const newIds = (after.reports as Array<{ id: string }>).map(r => r.id).filter(id => !(before.reports as Array<{ id: string }>).some(r => r.id === id))
    expect(newIds.sort()).toEqual([good1.id, good2.id].sort())
    expect(after.revisions!.length).toBe(before.revisions!.length + 2)
    // Ops that do not parse leave no trace; the two that parse but break a rule keep their rejection under
    // their opId, so a repeat gets the same answer even after the clock has caught up with the event.
    const recorded = (after.sync_ops as Array<{ op_id: string; status: string }>).filter(o => !(before.sync_ops as Array<{ op_id: string }>).some(b => b.op_id === o.op_id))
    expect(recorded.map(o => [o.op_id, o.status]).sort()).toEqual([
      [ops[0]!.opId, 'applied'], [ops[5]!.opId, 'rejected'], [ops[6]!.opId, 'rejected'], [ops[9]!.opId, 'applied'],
    ].sort())
    const again = await push(s, vakt.cookie, [ops[5], ops[6]])
    expect(again.results.map(r => [r.status, r.reason])).toEqual([results[5], results[6]].map(r => [r!.status, r!.reason]))
  })

  it.each([
    ['ops', { schemaVersion: 2, ops: 'all of them' }],
    ['ops', { schemaVersion: 2, ops: Array.from({ length: 501 }, () => ({})) }],
    ['schemaVersion', { ops: [] }],
    ['device', { schemaVersion: 2, ops: [], device: 'phone' }],
  ])('answers a malformed push body with 400 naming %s, writing nothing', async (field, body) => {
    const before = snapshot(s.db)
    const res = await s.request('POST', '/api/sync/push', { cookie: vakt.cookie, body })
    expect(res.status).toBe(400)
    const { error } = await jsonOf(res)
    expect(error.code).toBe('invalid_request')
    expect(error.field).toBe(field)
    expect(snapshot(s.db)).toEqual(before)
  })
})

describe('GET /api/sync/pull', () => {
  type Page = Awaited<ReturnType<typeof pullPage>>
  async function pullAll(cookie: string, cursor: number, limit: number, between?: (pages: Page[]) => Promise<void>) {
    const pages: Page[] = []
    for (;;) {
      const page = await pullPage(s, cookie, cursor, limit)
      pages.push(page)
      cursor = page.nextCursor
      if (!page.hasMore) return { pages, cursor }
      await between?.(pages)
    }
  }

  it('gives a reporter only their own reports', async () => {
    const mine = newDraft(), theirs = newDraft()
    await pushApplied(s, vakt.cookie, [createOp(mine)])
    await pushApplied(s, other.cookie, [createOp(theirs)])
    const { pages } = await pullAll(vakt.cookie, 0, 1000)
    const changes = pages.flatMap(p => p.changes)
    expect(changes.map(c => c.id)).toContain(mine.id)
    expect(changes.map(c => c.id)).not.toContain(theirs.id)
    expect(changes.every(c => c.reporterId === vakt.userId)).toBe(true)
  })

  it('pages by cursor, missing nothing and repeating only what changed, while writes happen between pages', async () => {
    const pager = await s.signIn('sidvis', ['reporter'])
    const drafts = Array.from({ length: 30 }, () => newDraft())
    await pushApplied(s, pager.cookie, drafts.map(createOp))
    const delivered: string[] = []
    const { pages } = await pullAll(pager.cookie, 0, 7, async sofar => {
      const page = sofar.length
      const seen = sofar.flatMap(p => p.changes.map(c => c.id))
      const unseen = drafts.filter(d => !seen.includes(d.id))
      if (page === 1) {
        await pushApplied(s, pager.cookie, [createOp(newDraft()), amendOp({ ...drafts.find(d => d.id === seen[0])!, description: 'Ändrad efter första sidan' }, 1)])
        await pushApplied(s, pager.cookie, [amendOp({ ...unseen[0]!, description: 'Ändrad innan den hämtats' }, 1)])
      }
      if (page === 2) {
        await pushApplied(s, pager.cookie, [withdrawOp(seen[1]!), createOp(newDraft())])
        review(s.db, unseen.at(-1)!.id, reviewer.userId, { status: 'approved', note: 'Tack' })
      }
    })
    const changes = pages.flatMap(p => p.changes)
    for (const c of changes) delivered.push(`${c.id}@${c.version}`)
    expect(pages.length).toBeGreaterThan(4)
    expect(pages.slice(0, -1).every(p => p.hasMore && p.changes.length === 7)).toBe(true)

    const server = s.db.prepare('SELECT id, version FROM reports WHERE reporter_id = ?').all(pager.userId) as Array<{ id: string; version: number }>
    expect(server).toHaveLength(32)
    const last = new Map(changes.map(c => [c.id, c.version]))
    expect(new Map(server.map(r => [r.id, r.version]))).toEqual(last)
    // A report comes again only when it changed after it was delivered: never twice at one version.
    expect(new Set(delivered).size).toBe(delivered.length)
    expect(changes.length).toBe(32 + 2)
  })

  it('brings the reference data on the first pull, and again only when it changed', async () => {
    const first = await pullPage(s, vakt.cookie, 0, 1000)
    expect(first.reference?.categories.map(c => c.code)).toContain('littering')
    expect(first.reference?.places.length).toBeGreaterThan(0)
    const quiet = await pullPage(s, vakt.cookie, first.nextCursor, 1000)
    expect(quiet.reference).toBeNull()

    const place = first.reference!.places[0]!
    s.db.prepare('UPDATE places SET name = ?, seq = ? WHERE id = ?').run('Stortorget (norra)', nextSeq(s.db), place.id)
    const changed = await pullPage(s, vakt.cookie, quiet.nextCursor, 1000)
    expect(changed.reference?.places.find(p => p.id === place.id)?.name).toBe('Stortorget (norra)')
    expect((await pullPage(s, vakt.cookie, changed.nextCursor, 1000)).reference).toBeNull()
  })

  it("brings the reviewer's decision and note to the reporter", async () => {
    const draft = newDraft()
    await pushApplied(s, vakt.cookie, [createOp(draft)])
    const { cursor } = await pullAll(vakt.cookie, 0, 1000)
    review(s.db, draft.id, reviewer.userId, { status: 'needs_info', note: 'Vilken busshållplats?' })
    const page = await pullPage(s, vakt.cookie, cursor, 1000)
    expect(page.changes).toHaveLength(1)
    expect(page.changes[0]).toMatchObject<Partial<Report>>({ id: draft.id, status: 'needs_info', reviewNote: 'Vilken busshållplats?', version: 2, reviewedBy: reviewer.userId })

    review(s.db, draft.id, reviewer.userId, { status: 'rejected', note: 'Utanför kommunen' })
    const next = await pullPage(s, vakt.cookie, page.nextCursor, 1000)
    expect(next.changes.map(c => [c.status, c.reviewNote, c.version])).toEqual([['rejected', 'Utanför kommunen', 3]])
  })

  it.each([
    ['cursor', 'cursor=-1'], ['cursor', 'cursor=abc'], ['limit', 'limit=0'], ['limit', 'limit=5001'], ['limit', 'limit=2.5'],
  ])('answers a bad %s (%s) with 400 naming it', async (field, query) => {
    const res = await s.request('GET', `/api/sync/pull?${query}`, { cookie: vakt.cookie })
    expect(res.status).toBe(400)
    expect((await jsonOf(res)).error.field).toBe(field)
  })

  it('needs a signed-in reporter or reviewer', async () => {
    expect((await s.request('GET', '/api/sync/pull')).status).toBe(401)
  })
})
