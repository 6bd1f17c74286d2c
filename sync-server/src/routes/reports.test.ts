import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  uuidv7,
  type BulkItemResult, type OpResult, type PullResponse, type Report, type ReportDetail, type ReportDraft, type ReportQueue,
} from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'

const HOUR = 3_600_000
// Demo place 1 (Stortorget) and 6 (Norra hamnen, about 700 m north).
const STORTORGET = { lat: 56.0459, lon: 12.6937 }
const NORRA_HAMNEN = { lat: 56.052, lon: 12.6895 }

type Session = { cookie: string; userId: number; organisationId: number }

/** Files a report through the real push, as a phone does, and returns its id. */
async function file(s: TestServer, who: Session, over: Partial<ReportDraft> = {}): Promise<string> {
  const report: ReportDraft = {
    id: uuidv7(), category: 'vandalism', occurredAt: new Date(Date.now() - HOUR).toISOString(),
    location: { ...STORTORGET, source: 'place' }, placeId: 1, description: 'Krossad ruta i busskuren',
    createdAt: new Date().toISOString(), ...over,
  }
  const res = await s.request('POST', '/api/sync/push', { cookie: who.cookie, body: { schemaVersion: 2, ops: [{ opId: uuidv7(), kind: 'create', reportId: report.id, report }] } })
  const { results } = await jsonOf<{ results: OpResult[] }>(res)
  expect(results[0]?.status).toBe('applied')
  return report.id
}

async function amend(s: TestServer, who: Session, id: string, baseVersion: number, over: Partial<ReportDraft>) {
  const detail = await jsonOf<ReportDetail>(await s.request('GET', `/api/reports/${id}`, { cookie: who.cookie }))
  const { category, occurredAt, location, placeId, description, createdAt } = detail.report
  const report = { id, category, occurredAt, location, ...(placeId ? { placeId } : {}), description, createdAt, ...over }
  const res = await s.request('POST', '/api/sync/push', { cookie: who.cookie, body: { schemaVersion: 2, ops: [{ opId: uuidv7(), kind: 'amend', reportId: id, baseVersion, report }] } })
  return (await jsonOf<{ results: OpResult[] }>(res)).results[0]!
}

async function pulled(s: TestServer, who: Session, id: string): Promise<Report | undefined> {
  const page = await jsonOf<PullResponse>(await s.request('GET', '/api/sync/pull?cursor=0', { cookie: who.cookie }))
  return page.changes.find(r => r.id === id)
}

const review = (s: TestServer, who: Session, id: string, body: unknown) => s.request('POST', `/api/reports/${id}/review`, { cookie: who.cookie, body })
const detailOf = async (s: TestServer, who: Session, id: string) => jsonOf<ReportDetail>(await s.request('GET', `/api/reports/${id}`, { cookie: who.cookie }))
const auditCount = (s: TestServer, action: string, target: string) =>
  s.db.prepare('SELECT count(*) FROM audit_events WHERE action = ? AND target = ?').pluck().get(action, target) as number
const countedEvents = (s: TestServer, ids: string[]) =>
  s.db.prepare(`SELECT count(*) FROM reports WHERE status = 'approved' AND duplicate_of IS NULL AND id IN (${ids.map(() => '?').join(', ')})`).pluck().get(...ids) as number

let s: TestServer
let reporter: Session
let police: Session
let reviewer: Session
let reviewer2: Session
let analyst: Session
let admin: Session
beforeAll(async () => {
  s = await testServer()
  ;[reporter, police, reviewer, reviewer2, analyst, admin] = await Promise.all([
    s.signIn('vakt1', ['reporter'], 'Vaktbolaget'),
    s.signIn('polis1', ['reporter'], 'Polisen'),
    s.signIn('granskare', ['reviewer'], 'Kommunen'),
    s.signIn('granskare2', ['reviewer'], 'Kommunen'),
    s.signIn('analytiker', ['analyst'], 'Kommunen'),
    s.signIn('boss', ['admin'], 'Kommunen'),
  ])
})
afterAll(() => s.close())

describe('who may call the review routes', () => {
  type Who = 'signedOut' | 'reporter' | 'analyst' | 'reviewer' | 'admin'
  const WHO: Who[] = ['signedOut', 'reporter', 'analyst', 'reviewer', 'admin']
  const cookieOf = (who: Who) => (who === 'signedOut' ? undefined : { reporter, analyst, reviewer, admin }[who].cookie)

  /** Each case makes its own fresh report, so an allowed call succeeds and a refused one shows no change. */
  const cases: Array<{ route: string; expect: Record<Who, number>; call: () => Promise<{ method: string; path: string; body?: unknown }> }> = [
    { route: 'GET /api/reports', expect: { signedOut: 401, reporter: 403, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'GET', path: '/api/reports' }) },
    { route: "GET /api/reports/{id}, the reporter's own", expect: { signedOut: 401, reporter: 200, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'GET', path: `/api/reports/${await file(s, reporter)}` }) },
    { route: 'GET /api/reports/{id}, another organisation\'s', expect: { signedOut: 401, reporter: 404, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'GET', path: `/api/reports/${await file(s, police)}` }) },
    { route: 'GET /api/reports/{id}, a missing one', expect: { signedOut: 401, reporter: 404, analyst: 403, reviewer: 404, admin: 403 },
      call: async () => ({ method: 'GET', path: `/api/reports/${uuidv7()}` }) },
    { route: "POST /api/reports/{id}/review, the reporter's own", expect: { signedOut: 401, reporter: 403, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'POST', path: `/api/reports/${await file(s, reporter)}/review`, body: { decision: 'approve', baseVersion: 1 } }) },
    { route: "POST /api/reports/{id}/review, another organisation's", expect: { signedOut: 401, reporter: 403, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'POST', path: `/api/reports/${await file(s, police)}/review`, body: { decision: 'reject', note: 'Fel kommun', baseVersion: 1 } }) },
    { route: 'POST /api/reports/{id}/merge', expect: { signedOut: 401, reporter: 403, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'POST', path: `/api/reports/${await file(s, reporter)}/merge`, body: { baseVersion: 1, duplicates: [{ id: await file(s, police), baseVersion: 1 }] } }) },
    { route: 'POST /api/reports/bulk-approve', expect: { signedOut: 401, reporter: 403, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => ({ method: 'POST', path: '/api/reports/bulk-approve', body: { items: [{ id: await file(s, police), baseVersion: 1 }] } }) },
    { route: 'POST /api/reports/{id}/amendments/{amendmentId}', expect: { signedOut: 401, reporter: 403, analyst: 403, reviewer: 200, admin: 403 },
      call: async () => {
        const id = await file(s, reporter)
        expect((await review(s, reviewer, id, { decision: 'approve', baseVersion: 1 })).status).toBe(200)
        expect((await amend(s, reporter, id, 2, { description: 'Två krossade rutor' })).reason).toBe('pending_review')
        const amendmentId = s.db.prepare('SELECT id FROM pending_amendments WHERE report_id = ?').pluck().get(id) as number
        return { method: 'POST', path: `/api/reports/${id}/amendments/${amendmentId}`, body: { action: 'accept', baseVersion: 2 } }
      } },
  ]

  for (const c of cases) {
    for (const who of WHO) {
      it(`${c.route} as ${who} → ${c.expect[who]}`, async () => {
        const { method, path, body } = await c.call()
        const before = snapshot(s.db)
        const cookie = cookieOf(who)
        const res = await s.request(method, path, { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { body } : {}) })
        expect(res.status).toBe(c.expect[who])
        if (res.status >= 400) {
          expect((await jsonOf(res)).error.code).toEqual(expect.any(String))
          expect(snapshot(s.db)).toEqual(before)
        }
      })
    }
  }

  it("a reporter's view of their own report shows no other reports and no other people's names", async () => {
    const mine = await file(s, reporter)
    await file(s, police) // a candidate: same category, place and hour
    expect((await review(s, reviewer, mine, { decision: 'needs_info', note: 'Vilken busskur?', baseVersion: 1 })).status).toBe(200)
    const asDesk = await detailOf(s, reviewer, mine)
    expect(asDesk.candidates.length).toBeGreaterThan(0)
    const asReporter = await detailOf(s, reporter, mine)
    expect(asReporter.candidates).toEqual([])
    expect(asReporter.sources).toEqual([])
    expect(asReporter.report.reviewNote).toBe('Vilken busskur?')
    expect(asReporter.history.map(h => h.author.name)).toEqual(['vakt1', null])
  })
})

describe('POST /api/reports/{id}/review', () => {
  it('approves on the version seen; the reporter pulls the outcome and the note', async () => {
    const id = await file(s, reporter)
    const res = await review(s, reviewer, id, { decision: 'approve', note: 'Tack, vidarebefordrat till fastighetsägaren', baseVersion: 1 })
    expect(res.status).toBe(200)
    expect((await jsonOf<{ report: Report }>(res)).report).toMatchObject({ status: 'approved', version: 2, reviewedBy: reviewer.userId })
    expect(await pulled(s, reporter, id)).toMatchObject({ status: 'approved', version: 2, reviewNote: 'Tack, vidarebefordrat till fastighetsägaren' })
    expect(auditCount(s, 'report_reviewed', id)).toBe(1)
  })

  it('two reviewers deciding on the same version: one applied, one 409, and the row is the winner\'s', async () => {
    const id = await file(s, reporter)
    const [a, b] = await Promise.all([
      review(s, reviewer, id, { decision: 'approve', note: 'Godkänd av den första', baseVersion: 1 }),
      review(s, reviewer2, id, { decision: 'reject', note: 'Avvisad av den andra', baseVersion: 1 }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a]
    const won = (await jsonOf<{ report: Report }>(winner)).report
    const lost = await jsonOf(loser)
    expect(lost.error).toMatchObject({ code: 'version_conflict', field: 'baseVersion' })
    const row = s.db.prepare('SELECT status, review_note, reviewed_by, version FROM reports WHERE id = ?').get(id)
    expect(row).toEqual({ status: won.status, review_note: won.reviewNote, reviewed_by: won.reviewedBy, version: 2 })
    expect(s.db.prepare(`SELECT count(*) FROM revisions WHERE report_id = ? AND kind = 'review'`).pluck().get(id)).toBe(1)
    expect(auditCount(s, 'report_reviewed', id)).toBe(1)
  })

  it('every decision writes one audit event naming the reviewer and the decision', async () => {
    for (const [decision, note] of [['approve', undefined], ['reject', 'Utanför kommunen'], ['needs_info', 'Vilken tid?']] as const) {
      const id = await file(s, reporter)
      expect((await review(s, reviewer2, id, { decision, baseVersion: 1, ...(note ? { note } : {}) })).status).toBe(200)
      const events = s.db.prepare(`SELECT actor_id, detail FROM audit_events WHERE action = 'report_reviewed' AND target = ?`).all(id) as Array<{ actor_id: number; detail: string }>
      expect(events.map(e => [e.actor_id, (JSON.parse(e.detail) as { decision: string }).decision])).toEqual([[reviewer2.userId, decision]])
    }
  })

  it('a stale baseVersion answers 409 and changes nothing', async () => {
    const id = await file(s, reporter)
    expect((await review(s, reviewer, id, { decision: 'needs_info', note: 'Hur många rutor?', baseVersion: 1 })).status).toBe(200)
    const before = snapshot(s.db)
    const res = await review(s, reviewer2, id, { decision: 'approve', baseVersion: 1 })
    expect(res.status).toBe(409)
    expect((await jsonOf(res)).error.message).toContain('version 2')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('keeps the reviewer\'s corrections as a revision that the reporter pulls', async () => {
    const id = await file(s, reporter, { description: 'Klotter på väggen, ring 070-123 45 67' })
    const occurredAt = new Date(Date.now() - 3 * HOUR).toISOString()
    const res = await review(s, reviewer, id, {
      decision: 'approve', baseVersion: 1,
      changes: { category: 'graffiti', occurredAt, placeId: 6, description: 'Klotter på väggen' },
    })
    expect(res.status).toBe(200)
    const detail = await detailOf(s, reviewer, id)
    expect(detail.report).toMatchObject({ category: 'graffiti', occurredAt, placeId: 6, description: 'Klotter på väggen', privacyFlags: [], location: { ...NORRA_HAMNEN, source: 'place' } })
    expect(detail.placeName).toBe('Norra hamnen')
    const last = detail.history.at(-1)!
    expect(last).toMatchObject({ version: 2, kind: 'review', author: { id: reviewer.userId, name: 'granskare' } })
    expect(last.changes).toMatchObject({
      category: { from: 'vandalism', to: 'graffiti' }, placeId: { from: 1, to: 6 },
      description: { from: 'Klotter på väggen, ring 070-123 45 67', to: 'Klotter på väggen' },
      status: { from: 'submitted', to: 'approved' },
    })
    expect(await pulled(s, reporter, id)).toMatchObject({ category: 'graffiti', description: 'Klotter på väggen', status: 'approved' })
  })

  it('flags personal data in the description for the reviewer', async () => {
    const id = await file(s, reporter, { description: 'Bil ABC 123 stod parkerad, ägaren nås på 070-123 45 67' })
    expect((await detailOf(s, reviewer, id)).report.privacyFlags).toEqual(['phone', 'plate'])
  })

  describe('bad input answers 4xx and changes nothing', () => {
    const cases: Array<[string, (id: string) => Promise<Response>, number, string?]> = [
      ['a rejection without a reason', id => review(s, reviewer, id, { decision: 'reject', baseVersion: 1 }), 400, 'note'],
      ['a rejection with a blank reason', id => review(s, reviewer, id, { decision: 'reject', note: '   ', baseVersion: 1 }), 400, 'note'],
      ['needs_info without a question', id => review(s, reviewer, id, { decision: 'needs_info', baseVersion: 1 }), 400, 'note'],
      ['an unknown decision', id => review(s, reviewer, id, { decision: 'maybe', baseVersion: 1 }), 400, 'decision'],
      ['no baseVersion', id => review(s, reviewer, id, { decision: 'approve' }), 400, 'baseVersion'],
      ['an unknown field', id => review(s, reviewer, id, { decision: 'approve', baseVersion: 1, status: 'approved' }), 400, 'status'],
      ['a change to a field reviewers do not edit', id => review(s, reviewer, id, { decision: 'approve', baseVersion: 1, changes: { reporterId: 1 } }), 400, 'reporterId'],
      ['an unknown category', id => review(s, reviewer, id, { decision: 'approve', baseVersion: 1, changes: { category: 'aliens' } }), 400, 'changes.category'],
      ['an unknown place', id => review(s, reviewer, id, { decision: 'approve', baseVersion: 1, changes: { placeId: 999 } }), 400, 'changes.placeId'],
      ['an event time in the future', id => review(s, reviewer, id, { decision: 'approve', baseVersion: 1, changes: { occurredAt: new Date(Date.now() + 5 * HOUR).toISOString() } }), 400, 'changes.occurredAt'],
      ['a note over 1,000 characters', id => review(s, reviewer, id, { decision: 'reject', note: 'x'.repeat(1001), baseVersion: 1 }), 400, 'note'],
      ['a malformed id', () => review(s, reviewer, 'not-a-uuid', { decision: 'approve', baseVersion: 1 }), 400, 'id'],
      ['a missing report', () => review(s, reviewer, uuidv7(), { decision: 'approve', baseVersion: 1 }), 404],
      ['a body that is not JSON', id => s.request('POST', `/api/reports/${id}/review`, { cookie: reviewer.cookie, body: 'decision=approve', headers: { 'content-type': 'text/plain' } }), 415],
    ]
    for (const [name, send, status, field] of cases) {
      it(`${name} → ${status}`, async () => {
        const id = await file(s, reporter)
        const before = snapshot(s.db)
        const res = await send(id)
        expect(res.status).toBe(status)
        const body = await jsonOf(res)
        if (field) expect(body.error.message).toContain(field)
        expect(snapshot(s.db)).toEqual(before)
      })
    }

    it('a withdrawn report cannot be decided', async () => {
      const id = await file(s, reporter)
      await s.request('POST', '/api/sync/push', { cookie: reporter.cookie, body: { schemaVersion: 2, ops: [{ opId: uuidv7(), kind: 'withdraw', reportId: id }] } })
      const before = snapshot(s.db)
      const res = await review(s, reviewer, id, { decision: 'approve', baseVersion: 2 })
      expect(res.status).toBe(409)
      expect((await jsonOf(res)).error.code).toBe('withdrawn')
      expect(snapshot(s.db)).toEqual(before)
    })
  })
})

describe('GET /api/reports/{id}', () => {
  it('shows history, organisation and reporter, and audits every view', async () => {
    const id = await file(s, police, { description: 'Folksamling vid fontänen' })
    const first = await detailOf(s, reviewer, id)
    expect(first.organisation).toMatchObject({ id: police.organisationId, name: 'Polisen' })
    expect(first.reporter).toEqual({ id: police.userId, name: 'polis1' })
    expect(first.placeName).toBe('Stortorget')
    expect(first.history).toMatchObject([{ version: 1, kind: 'create', author: { id: police.userId } }])
    await detailOf(s, reviewer2, id)
    await detailOf(s, police, id)
    const views = s.db.prepare(`SELECT actor_id FROM audit_events WHERE action = 'report_viewed' AND target = ? ORDER BY id`).pluck().all(id)
    expect(views).toEqual([reviewer.userId, reviewer2.userId, police.userId])
  })
})

describe('duplicates across organisations', () => {
  it('suggests reports of the same category close in place and time, and not others', async () => {
    const t = Date.now() - 2 * HOUR
    const guard = await file(s, reporter, { category: 'arson', occurredAt: new Date(t).toISOString() })
    const near = await file(s, police, { category: 'arson', occurredAt: new Date(t + 20 * 60_000).toISOString(), location: { lat: STORTORGET.lat + 0.001, lon: STORTORGET.lon, source: 'gps' } })
    const far = await file(s, police, { category: 'arson', occurredAt: new Date(t).toISOString(), location: { ...NORRA_HAMNEN, source: 'gps' }, placeId: 6 })
    const later = await file(s, police, { category: 'arson', occurredAt: new Date(t - 3 * HOUR).toISOString() })
    const other = await file(s, police, { category: 'littering', occurredAt: new Date(t).toISOString() })
    const { candidates } = await detailOf(s, reviewer, guard)
    const ids = candidates.map(c => c.id)
    expect(ids).toContain(near)
    for (const no of [far, later, other]) expect(ids).not.toContain(no)
    expect(candidates.find(c => c.id === near)).toMatchObject({ organisation: { name: 'Polisen' }, minutesApart: 20, distanceM: 111 })
  })

  it('a merged event is approved, counted once, and keeps every source', async () => {
    const t = Date.now() - 2 * HOUR
    const guard = await file(s, reporter, { category: 'violence', occurredAt: new Date(t).toISOString() })
    const cop = await file(s, police, { category: 'violence', occurredAt: new Date(t + 10 * 60_000).toISOString() })
    const summaryTotal = async () => {
      const res = await s.request('GET', '/api/stats/total?category=violence', { cookie: analyst.cookie })
      expect(res.status).toBe(200)
      return (await jsonOf<{ total: number }>(res)).total
    }
    expect(countedEvents(s, [guard, cop])).toBe(0)
    expect(await summaryTotal()).toBe(0)
    const res = await s.request('POST', `/api/reports/${guard}/merge`, { cookie: reviewer.cookie, body: { baseVersion: 1, duplicates: [{ id: cop, baseVersion: 1 }], note: 'Samma händelse som en annan rapport' } })
    expect(res.status).toBe(200)
    expect(countedEvents(s, [guard, cop])).toBe(1)
    expect(await summaryTotal()).toBe(1)
    const primary = await detailOf(s, reviewer, guard)
    expect(primary.report.status).toBe('approved')
    expect(primary.sources.map(r => [r.id, r.organisation.name])).toEqual([[cop, 'Polisen']])
    expect(primary.candidates.map(c => c.id)).not.toContain(cop)
    const linked = await detailOf(s, reviewer, cop)
    expect(linked.report).toMatchObject({ status: 'approved', duplicateOf: guard })
    expect(linked.sources.map(r => r.id)).toEqual([guard])
    expect(linked.history.at(-1)).toMatchObject({ kind: 'merge', changes: { duplicateOf: { from: null, to: guard } } })
    expect(await pulled(s, police, cop)).toMatchObject({ status: 'approved', duplicateOf: guard, reviewNote: 'Samma händelse som en annan rapport' })
    expect(auditCount(s, 'reports_merged', guard)).toBe(1)
  })

  it('refuses a stale duplicate, a chain and a rejected report, changing nothing', async () => {
    const a = await file(s, reporter)
    const b = await file(s, police)
    const c = await file(s, police)
    expect((await s.request('POST', `/api/reports/${a}/merge`, { cookie: reviewer.cookie, body: { baseVersion: 1, duplicates: [{ id: b, baseVersion: 1 }] } })).status).toBe(200)
    const rejected = await file(s, police)
    expect((await review(s, reviewer, rejected, { decision: 'reject', note: 'Dubblett av test', baseVersion: 1 })).status).toBe(200)
    const attempts: Array<[string, unknown, number, string]> = [
      [c, { baseVersion: 1, duplicates: [{ id: b, baseVersion: 1 }] }, 409, 'version_conflict'],
      [c, { baseVersion: 1, duplicates: [{ id: b, baseVersion: 2 }] }, 409, 'already_linked'],
      [c, { baseVersion: 1, duplicates: [{ id: a, baseVersion: 2 }] }, 409, 'already_linked'],
      [b, { baseVersion: 2, duplicates: [{ id: c, baseVersion: 1 }] }, 409, 'already_linked'],
      [c, { baseVersion: 1, duplicates: [{ id: rejected, baseVersion: 2 }] }, 409, 'not_mergeable'],
      [c, { baseVersion: 1, duplicates: [{ id: c, baseVersion: 1 }] }, 400, 'invalid_request'],
      [c, { baseVersion: 1, duplicates: [] }, 400, 'invalid_request'],
      [c, { baseVersion: 1, duplicates: [{ id: uuidv7(), baseVersion: 1 }] }, 404, 'not_found'],
    ]
    for (const [primary, body, status, code] of attempts) {
      const before = snapshot(s.db)
      const res = await s.request('POST', `/api/reports/${primary}/merge`, { cookie: reviewer.cookie, body })
      expect(res.status, JSON.stringify(body)).toBe(status)
      expect((await jsonOf(res)).error.code).toBe(code)
      expect(snapshot(s.db)).toEqual(before)
    }
  })
})

describe('POST /api/reports/bulk-approve', () => {
  it('answers each item on its own base version; only the fresh ones change', async () => {
    const fresh = await file(s, reporter)
    const stale = await file(s, police)
    const decided = await file(s, police)
    const missing = uuidv7()
    expect((await review(s, reviewer, stale, { decision: 'needs_info', note: 'Vilken tid?', baseVersion: 1 })).status).toBe(200)
    expect((await review(s, reviewer, decided, { decision: 'reject', note: 'Inte i kommunen', baseVersion: 1 })).status).toBe(200)
    const rowsBefore = s.db.prepare('SELECT * FROM reports WHERE id IN (?, ?)').all(stale, decided)
    const res = await s.request('POST', '/api/reports/bulk-approve', { cookie: reviewer.cookie, body: { items: [
      { id: fresh, baseVersion: 1 }, { id: stale, baseVersion: 1 }, { id: missing, baseVersion: 1 }, { id: decided, baseVersion: 2 },
    ] } })
    expect(res.status).toBe(200)
    const { results } = await jsonOf<{ results: BulkItemResult[] }>(res)
    expect(results.map(r => [r.id, r.status])).toEqual([[fresh, 'applied'], [stale, 'conflict'], [missing, 'not_found'], [decided, 'refused']])
    expect(s.db.prepare('SELECT * FROM reports WHERE id IN (?, ?)').all(stale, decided)).toEqual(rowsBefore)
    expect(await pulled(s, reporter, fresh)).toMatchObject({ status: 'approved', version: 2 })
    expect(auditCount(s, 'report_reviewed', fresh)).toBe(1)
  })

  it('refuses an empty or oversized selection', async () => {
    const before = snapshot(s.db)
    expect((await s.request('POST', '/api/reports/bulk-approve', { cookie: reviewer.cookie, body: { items: [] } })).status).toBe(400)
    const many = Array.from({ length: 201 }, () => ({ id: uuidv7(), baseVersion: 1 }))
    expect((await s.request('POST', '/api/reports/bulk-approve', { cookie: reviewer.cookie, body: { items: many } })).status).toBe(400)
    expect(snapshot(s.db)).toEqual(before)
  })
})

describe('amendments after review', () => {
  async function approvedAndAmended() {
    const id = await file(s, reporter)
    expect((await review(s, reviewer, id, { decision: 'approve', baseVersion: 1 })).status).toBe(200)
    expect(await amend(s, reporter, id, 2, { description: 'Två krossade rutor, inte en' })).toMatchObject({ status: 'applied', reason: 'pending_review' })
    const detail = await detailOf(s, reviewer, id)
    expect(detail.amendments).toMatchObject([{ authorId: reporter.userId, changes: { description: { to: 'Två krossade rutor, inte en' } } }])
    return { id, amendmentId: detail.amendments[0]!.id }
  }

  it('accepting applies the change as a new version the reporter pulls', async () => {
    const { id, amendmentId } = await approvedAndAmended()
    const res = await s.request('POST', `/api/reports/${id}/amendments/${amendmentId}`, { cookie: reviewer.cookie, body: { action: 'accept', baseVersion: 2 } })
    expect(res.status).toBe(200)
    expect(await pulled(s, reporter, id)).toMatchObject({ description: 'Två krossade rutor, inte en', status: 'approved', version: 3, pendingAmendment: false })
    expect((await detailOf(s, reviewer, id)).history.at(-1)).toMatchObject({ kind: 'amendment_accepted', changes: { description: { to: 'Två krossade rutor, inte en' } } })
    expect(auditCount(s, 'amendment_accepted', id)).toBe(1)
  })

  it('dismissing keeps the report and tells the device nothing is pending', async () => {
    const { id, amendmentId } = await approvedAndAmended()
    expect(await pulled(s, reporter, id)).toMatchObject({ pendingAmendment: true })
    const res = await s.request('POST', `/api/reports/${id}/amendments/${amendmentId}`, { cookie: reviewer.cookie, body: { action: 'dismiss', baseVersion: 2 } })
    expect(res.status).toBe(200)
    expect(await pulled(s, reporter, id)).toMatchObject({ description: 'Krossad ruta i busskuren', version: 2, pendingAmendment: false })
    const before = snapshot(s.db)
    const again = await s.request('POST', `/api/reports/${id}/amendments/${amendmentId}`, { cookie: reviewer.cookie, body: { action: 'accept', baseVersion: 2 } })
    expect(again.status).toBe(409)
    expect(snapshot(s.db)).toEqual(before)
  })

  it('an amendment of another report, or on a stale version, is refused unchanged', async () => {
    const { id, amendmentId } = await approvedAndAmended()
    const other = await file(s, reporter)
    const before = snapshot(s.db)
    expect((await s.request('POST', `/api/reports/${other}/amendments/${amendmentId}`, { cookie: reviewer.cookie, body: { action: 'accept', baseVersion: 1 } })).status).toBe(404)
    expect((await s.request('POST', `/api/reports/${id}/amendments/${amendmentId}`, { cookie: reviewer.cookie, body: { action: 'accept', baseVersion: 1 } })).status).toBe(409)
    expect((await s.request('POST', `/api/reports/${id}/amendments/${amendmentId}`, { cookie: reviewer.cookie, body: { action: 'keep', baseVersion: 2 } })).status).toBe(400)
    expect(snapshot(s.db)).toEqual(before)
  })
})

describe('GET /api/reports: the queue', () => {
  let q: TestServer
  let guard: Session
  let cop: Session
  let desk: Session
  const ids = { first: '', second: '', third: '', decided: '' }
  const list = async (query = '') => {
    const res = await q.request('GET', `/api/reports${query}`, { cookie: desk.cookie })
    expect(res.status).toBe(200)
    return jsonOf<ReportQueue>(res)
  }
  const pause = () => new Promise(r => setTimeout(r, 3))

  beforeAll(async () => {
    q = await testServer()
    ;[guard, cop, desk] = await Promise.all([q.signIn('vakt1', ['reporter'], 'Vaktbolaget'), q.signIn('polis1', ['reporter'], 'Polisen'), q.signIn('granskare', ['reviewer'], 'Kommunen')])
    ids.first = await file(q, guard, { category: 'graffiti', occurredAt: '2026-11-02T23:30:00+01:00', description: 'Taggar på 100% av fasaden' })
    await pause()
    ids.second = await file(q, cop, { category: 'drugs', occurredAt: '2026-11-03T00:30:00+01:00', placeId: 2, location: { lat: 56.0433, lon: 12.6937, source: 'place' } })
    await pause()
    ids.third = await file(q, guard, { category: 'drugs', occurredAt: '2026-11-08T12:00:00+01:00' })
    await pause()
    ids.decided = await file(q, cop, { category: 'theft', occurredAt: '2026-11-05T12:00:00+01:00' })
    expect((await review(q, desk, ids.decided, { decision: 'approve', baseVersion: 1 })).status).toBe(200)
  })
  afterAll(() => q.close())

  it('lists what waits, oldest first, with the count waiting and the organisations', async () => {
    const queue = await list()
    expect(queue.items.map(r => r.id)).toEqual([ids.first, ids.second, ids.third])
    expect(queue).toMatchObject({ total: 3, waiting: 3 })
    expect(queue.items[1]).toMatchObject({ organisationName: 'Polisen', placeName: 'Knutpunkten', status: 'submitted', candidateCount: 0, sourceCount: 0 })
    expect(queue.organisations.map(o => o.name)).toEqual(['Kommunen', 'Polisen', 'Vaktbolaget'])
  })

  it('filters by organisation, category, local date, place, status and text', async () => {
    expect((await list(`?org=${cop.organisationId}`)).items.map(r => r.id)).toEqual([ids.second])
    expect((await list(`?org=${cop.organisationId}&org=${guard.organisationId}`)).total).toBe(3)
    expect((await list('?category=drugs')).items.map(r => r.id)).toEqual([ids.second, ids.third])
    expect((await list('?category=drugs&category=graffiti')).total).toBe(3)
    // 23:30 on 2 November in Stockholm is 22:30 UTC: the local day decides.
    expect((await list('?from=2026-11-02&to=2026-11-02')).items.map(r => r.id)).toEqual([ids.first])
    expect((await list('?from=2026-11-03')).items.map(r => r.id)).toEqual([ids.second, ids.third])
    expect((await list('?place=2')).items.map(r => r.id)).toEqual([ids.second])
    expect((await list('?status=approved')).items.map(r => r.id)).toEqual([ids.decided])
    expect((await list('?status=all')).total).toBe(4)
    const approved = await list('?status=approved')
    expect(approved).toMatchObject({ total: 1, waiting: 3 })
    expect((await list('?q=100%25')).items.map(r => r.id)).toEqual([ids.first])
    expect((await list('?q=%25')).items.map(r => r.id)).toEqual([ids.first])
    expect((await list('?limit=1&offset=1')).items.map(r => r.id)).toEqual([ids.second])
  })

  it('a reviewed report with a pending amendment waits again', async () => {
    await amend(q, cop, ids.decided, 2, { description: 'Cykelstöld, två cyklar' })
    const queue = await list()
    expect(queue.items.map(r => r.id)).toContain(ids.decided)
    expect(queue.items.find(r => r.id === ids.decided)).toMatchObject({ status: 'approved', pendingAmendment: true })
    expect(queue.waiting).toBe(4)
  })

  it('a bad filter answers 400 naming the field', async () => {
    for (const [query, field] of [['?org=abc', 'org'], ['?category=Drugs!', 'category'], ['?from=2026-13-01', 'from'], ['?status=open', 'status'], ['?limit=500', 'limit'], ['?place=-1', 'place']]) {
      const res = await q.request('GET', `/api/reports${query}`, { cookie: desk.cookie })
      expect(res.status, query).toBe(400)
      expect((await jsonOf(res)).error.message, query).toContain(field)
    }
  })
})
