import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditPage, ReportQueue, StatsReportPage } from '@lagesbild/domain'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { createOp, newDraft, pushApplied } from '../../test/sync-ops.ts'
import { DEFAULT_DENIAL_AUDIT } from '../middleware/audit-denials.ts'

type Session = { cookie: string; userId: number; organisationId: number }

let s: TestServer
let guard: Session
let police: Session
let anna: Session
let bertil: Session
let admin: Session
let reportId: string
let nearId: string

beforeAll(async () => {
  s = await testServer()
  ;[guard, police, anna, bertil, admin] = await Promise.all([
    s.signIn('vakt1', ['reporter'], 'Vaktbolaget'),
    s.signIn('polis1', ['reporter'], 'Polisen'),
    s.signIn('anna', ['reviewer'], 'Kommunen'),
    s.signIn('bertil', ['reviewer'], 'Kommunen'),
    s.signIn('dso', ['admin'], 'Kommunen'),
  ])
  const mine = newDraft({ category: 'vandalism', description: '=Anna Svensson såg allt' })
  const near = newDraft({ category: 'vandalism', description: 'Samma händelse, sedd av polisen' })
  await pushApplied(s, guard.cookie, [createOp(mine)])
  await pushApplied(s, police.cookie, [createOp(near)])
  reportId = mine.id
  nearId = near.id
}, 60_000)
afterAll(() => s.close())

const auditRows = (action: string) => s.db.prepare('SELECT actor_id, target, detail FROM audit_events WHERE action = ? ORDER BY id').all(action) as Array<{ actor_id: number | null; target: string | null; detail: string }>

describe('reads that return free text are audited views', () => {
  it('the queue, even status=all with 200 a page, carries no free text', async () => {
    const res = await s.request('GET', '/api/reports?status=all&limit=200', { cookie: anna.cookie })
    const queue = await jsonOf<ReportQueue>(res)
    expect(queue.items.map(i => i.id).sort()).toEqual([reportId, nearId].sort())
    const text = JSON.stringify(queue)
    expect(text).not.toContain('Anna Svensson')
    expect(text).not.toContain('polisen')
    for (const item of queue.items) expect(Object.keys(item)).not.toContain('description')
  })

  it("a report's view records the candidates shown beside it as seen too", async () => {
    await s.request('GET', `/api/reports/${reportId}`, { cookie: anna.cookie })
    const view = auditRows('report_viewed').at(-1)!
    expect(view).toMatchObject({ actor_id: anna.userId, target: reportId })
    expect(JSON.parse(view.detail)).toMatchObject({ related: [nearId] })
  })
})

describe('403 and 429 answers are recorded, without flooding the log', () => {
  it('records a refused route with who, where and why', async () => {
    expect((await s.request('GET', '/api/admin/users', { cookie: guard.cookie })).status).toBe(403)
    expect(auditRows('access_denied').at(-1)).toEqual({ actor_id: guard.userId, target: 'GET /api/admin/users', detail: JSON.stringify({ status: 403, code: 'forbidden' }) })
    expect((await s.request('POST', '/api/sync/push', { body: {}, headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect(auditRows('access_denied').at(-1)).toMatchObject({ actor_id: null, target: 'POST /api/sync/push', detail: JSON.stringify({ status: 403, code: 'cross_origin' }) })
  })

  it('records a 429', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) statuses.push((await s.request('POST', '/api/auth/login', { body: { username: 'polis1', password: 'fel lösenord igen' } })).status)
    expect(statuses).toContain(429)
    expect(auditRows('rate_limited').length).toBeGreaterThan(0)
    expect(auditRows('rate_limited').at(-1)).toMatchObject({ target: 'POST /api/auth/login' })
  })

  it('a flood of 200 parallel refused requests from one user writes at most the limit, the last one saying so', async () => {
    const flooder = await s.signIn('flood', ['reporter'], 'Vaktbolaget')
    const before = s.db.prepare(`SELECT count(*) FROM audit_events WHERE actor_id = ?`).pluck().get(flooder.userId) as number
    const answers = await Promise.all(Array.from({ length: 200 }, () => s.request('GET', '/api/admin/audit', { cookie: flooder.cookie })))
    expect(answers.every(r => r.status === 403)).toBe(true)
    const events = s.db.prepare(`SELECT detail FROM audit_events WHERE actor_id = ? AND action = 'access_denied'`).pluck().all(flooder.userId) as string[]
    expect(before).toBe(1) // the sign-in
    expect(events).toHaveLength(DEFAULT_DENIAL_AUDIT.perKey)
    expect(events.filter(e => e.includes('"suppressed":true'))).toHaveLength(1)
    // Another user is not silenced by the first one's flood.
    expect((await s.request('GET', '/api/admin/audit', { cookie: police.cookie })).status).toBe(403)
    expect(auditRows('access_denied').at(-1)).toMatchObject({ actor_id: police.userId })
  })
})

describe('the audit log for a data-protection officer', () => {
  it('answers "who saw this report, when", filtered by report, user, action and days, as a page and as CSV', async () => {
    await s.request('GET', `/api/reports/${nearId}`, { cookie: bertil.cookie }) // shows reportId as a candidate
    await s.request('GET', `/api/reports/${reportId}`, { cookie: bertil.cookie })
    const list = await s.request('GET', '/api/stats/reports?pageSize=50', { cookie: bertil.cookie })
    expect(list.status).toBe(200)
    expect((await jsonOf<StatsReportPage>(list)).rows).toHaveLength(0) // nothing approved yet: nothing listed, nothing recorded

    const page = async (q: string) => jsonOf<AuditPage>(await s.request('GET', `/api/admin/audit?${q}`, { cookie: admin.cookie }))
    const byReport = await page(`report=${reportId}`)
    expect(byReport.events.every(e => e.target === reportId || JSON.stringify(e.detail).includes(reportId))).toBe(true)
    const viewers = byReport.events.filter(e => e.action === 'report_viewed').map(e => e.actorUsername)
    expect(viewers).toEqual(['bertil', 'bertil', 'anna'])
    expect((await page(`report=${reportId}&actor=anna`)).events.map(e => e.action)).toEqual(['report_viewed'])
    expect((await page(`report=${reportId}&action=report_viewed&actor=bertil`)).events).toHaveLength(2)
    const today = new Date().toISOString().slice(0, 10)
    expect((await page(`report=${reportId}&from=2020-01-01&to=2020-12-31`)).events).toEqual([])
    expect((await page(`report=${reportId}&from=${today}&to=${today}`)).events.length).toBeGreaterThanOrEqual(3)

    const csv = await s.request('GET', `/api/admin/audit.csv?report=${reportId}&action=report_viewed`, { cookie: admin.cookie })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer()).split('\r\n').filter(Boolean)
    expect(lines[0]).toBe('\uFEFFid;tidpunkt;utc;användare;användar_id;händelse;mål;detaljer;adress')
    expect(lines.slice(1).map(l => l.split(';')[3])).toEqual(['anna', 'bertil', 'bertil'])
    expect(auditRows('audit_exported').at(-1)).toMatchObject({ actor_id: admin.userId, target: reportId })
    // The log holds no free text of the report.
    expect(JSON.stringify(s.db.prepare('SELECT * FROM audit_events').all())).not.toContain('Anna Svensson')
  })

  it('refuses bad filters and other roles', async () => {
    for (const q of ['report=nej', 'from=2026-13-01', 'action=DROP TABLE']) {
      expect((await s.request('GET', `/api/admin/audit?${q}`, { cookie: admin.cookie })).status, q).toBe(400)
      expect((await s.request('GET', `/api/admin/audit.csv?${q}`, { cookie: admin.cookie })).status, q).toBe(400)
    }
    expect((await s.request('GET', '/api/admin/audit.csv', { cookie: anna.cookie })).status).toBe(403)
  })
})
