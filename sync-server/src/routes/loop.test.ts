import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localParts, uuidv7, type OpResult, type PriorityVersion, type VisitSummary, type WeeklyPriority } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { pullPage, push } from '../../test/sync-ops.ts'
import { expireVisits } from '../services/visits.ts'

// The loop's decisions, action and visit ops, and the admin's GeoJSON import, through the API.

const TZ = 'Europe/Stockholm'
const WEEK_MS = 7 * 86_400_000
const weekAt = (ms: number) => localParts(ms, TZ).isoWeek

let s: TestServer
let admin: string
let reviewer: string
let analyst: string
let guard: { cookie: string; userId: number; organisationId: number }
let guard2: { cookie: string; organisationId: number }
let police: { cookie: string; organisationId: number }
beforeAll(async () => {
  s = await testServer()
  admin = (await s.signIn('boss', ['admin'], 'Kommunen')).cookie
  reviewer = (await s.signIn('granskare', ['reviewer'], 'Kommunen')).cookie
  analyst = (await s.signIn('analytiker', ['analyst'], 'Kommunen')).cookie
  guard = await s.signIn('vakt1', ['reporter'], 'Vaktbolaget')
  guard2 = await s.signIn('vakt2', ['reporter'], 'Vaktbolaget')
  police = await s.signIn('polis1', ['reporter'], 'Polisen')
}, 60_000)
afterAll(() => s.close())

const SQUARE = { type: 'Polygon', coordinates: [[[12.690, 56.040], [12.700, 56.040], [12.700, 56.046], [12.690, 56.046], [12.690, 56.040]]] }
const decision = (orgId: number) => ({
  focusCategories: ['drugs', 'gathering'],
  hotSpots: [
    { placeId: 1, radiusM: 200, responsibleOrgId: orgId, action: 'Extra rundor fre–lör 22–02' },
    { geometry: SQUARE, label: 'Kring Knutpunkten', responsibleOrgId: police.organisationId, action: 'Synlig närvaro' },
    { placeId: 12, action: 'Belysning ses över' },
  ],
  notes: 'Följs upp nästa möte.',
})
const put = (week: string, body: unknown, cookie = reviewer) => s.request('PUT', `/api/priorities/${week}`, { cookie, body })
const lastAudit = () => s.db.prepare('SELECT action, target, detail FROM audit_events ORDER BY id DESC LIMIT 1').get() as { action: string; target: string; detail: string }

describe('decisions', () => {
  it('a reviewer decides next week; every version is kept; the decision resolves each hot-spot\'s shape', async () => {
    const week = weekAt(Date.now() + WEEK_MS)
    const first = await put(week, decision(guard.organisationId))
    expect(first.status).toBe(200)
    const p = await jsonOf<WeeklyPriority>(first)
    expect(p).toMatchObject({ isoWeek: week, version: 1, locked: false, focusCategories: ['drugs', 'gathering'] })
    expect(p.hotSpots[0]).toMatchObject({ index: 0, placeId: 1, radiusM: 200, actionStatus: 'planned', shape: { type: 'Circle', coordinates: [12.6937, 56.0459], radiusM: 200 } })
    expect(p.hotSpots[1]).toMatchObject({ index: 1, geometry: SQUARE, label: 'Kring Knutpunkten', shape: SQUARE })
    expect(p.hotSpots[2]).toMatchObject({ index: 2, placeId: 12, radiusM: 150, shape: { type: 'Circle', radiusM: 150 } })
    expect(lastAudit()).toMatchObject({ action: 'priorities_set', target: week })

    const second = await put(week, { ...decision(guard.organisationId), notes: 'Ändrat.', baseVersion: 1 })
    expect((await jsonOf<WeeklyPriority>(second)).version).toBe(2)
    const versions = await jsonOf<{ versions: PriorityVersion[] }>(await s.request('GET', `/api/priorities/${week}/versions`, { cookie: analyst }))
    expect(versions.versions.map(v => [v.version, v.notes, v.late, v.decidedBy?.username])).toEqual([[2, 'Ändrat.', false, 'granskare'], [1, 'Följs upp nästa möte.', false, 'granskare']])
  })

  it('answers 409 to an edit from an older version, and changes nothing', async () => {
    const week = weekAt(Date.now() + WEEK_MS)
    const before = snapshot(s.db)
    const res = await put(week, { ...decision(guard.organisationId), baseVersion: 1 })
    expect(res.status).toBe(409)
    expect((await jsonOf(res)).error.code).toBe('version_conflict')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('locks a week once it has started; an admin may still correct it, recorded as late minutes', async () => {
    const week = weekAt(Date.now())
    const before = snapshot(s.db)
    const refused = await put(week, decision(guard.organisationId))
    expect(refused.status).toBe(409)
    expect((await jsonOf(refused)).error.code).toBe('decision_locked')
    expect(snapshot(s.db)).toEqual(before)

    const late = await put(week, decision(guard.organisationId), admin)
    expect(late.status).toBe(200)
    expect(await jsonOf<WeeklyPriority>(late)).toMatchObject({ version: 1, locked: true })
    expect(lastAudit()).toMatchObject({ action: 'priorities_corrected_late', target: week })
    const versions = await jsonOf<{ versions: PriorityVersion[] }>(await s.request('GET', `/api/priorities/${week}/versions`, { cookie: reviewer }))
    expect(versions.versions[0]).toMatchObject({ version: 1, late: true })
  })

  const bad: Array<[string, () => unknown, string]> = [
    ['neither place nor area', () => ({ ...decision(1), hotSpots: [{ action: 'Rundor' }] }), 'hotSpots.0.placeId'],
    ['both place and area', () => ({ ...decision(1), hotSpots: [{ placeId: 1, geometry: SQUARE, action: 'Rundor' }] }), 'hotSpots.0.placeId'],
    ['an open ring', () => ({ ...decision(1), hotSpots: [{ geometry: { type: 'Polygon', coordinates: [SQUARE.coordinates[0]!.slice(0, 4).concat([[12.69, 56.041]])] }, action: 'x' }] }), 'hotSpots.0.geometry'],
    ['a bow-tie', () => ({ ...decision(1), hotSpots: [{ geometry: { type: 'Polygon', coordinates: [[[12.69, 56.04], [12.70, 56.046], [12.70, 56.04], [12.69, 56.046], [12.69, 56.04]]] }, action: 'x' }] }), 'hotSpots.0.geometry'],
    ['an area in another town', () => ({ ...decision(1), hotSpots: [{ geometry: { type: 'Polygon', coordinates: [[[18.0, 59.3], [18.1, 59.3], [18.1, 59.4], [18.0, 59.3]]] }, action: 'x' }] }), 'hotSpots.0.geometry'],
    ['a radius round a drawn area', () => ({ ...decision(1), hotSpots: [{ geometry: SQUARE, radiusM: 100, action: 'x' }] }), 'hotSpots.0.radiusM'],
    ['a radius out of range', () => ({ ...decision(1), hotSpots: [{ placeId: 1, radiusM: 5, action: 'x' }] }), 'hotSpots.0.radiusM'],
  ]
  for (const [name, body, field] of bad) {
    it(`refuses ${name} with 400 naming ${field}, changing nothing`, async () => {
      const before = snapshot(s.db)
      const res = await put(weekAt(Date.now() + 2 * WEEK_MS), body())
      expect(res.status).toBe(400)
      expect((await jsonOf(res)).error.field).toBe(field)
      expect(snapshot(s.db)).toEqual(before)
    })
  }

  it('lets only reviewers and admins decide, and desk roles read', async () => {
    const week = weekAt(Date.now() + 2 * WEEK_MS)
    expect((await put(week, decision(1), analyst)).status).toBe(403)
    expect((await put(week, decision(1), guard.cookie)).status).toBe(403)
    expect((await s.request('GET', `/api/priorities/${week}/versions`, { cookie: guard.cookie })).status).toBe(403)
    expect((await s.request('GET', `/api/followup?week=${week}`, { cookie: guard.cookie })).status).toBe(403)
    expect((await s.request('GET', `/api/visits?week=${week}`, { cookie: guard.cookie })).status).toBe(403)
  })
})

describe('action and visit ops', () => {
  const week = weekAt(Date.now() - 60_000)
  const action = (hotSpot: number, status: string, comment?: string) => ({ opId: uuidv7(), kind: 'action', week, hotSpot, status, ...(comment ? { comment } : {}) })
  const visit = (hotSpot: number, at = Date.now() - 60_000, w = week) => ({ opId: uuidv7(), kind: 'visit', visitId: uuidv7(), week: w, hotSpot, at: new Date(at).toISOString() })
  const statuses = (results: OpResult[]) => results.map(r => r.status)

  beforeAll(async () => {
    expect((await put(week, decision(guard.organisationId), admin)).status).toBe(200)
  })

  it('lets the responsible organisation mark its action, last writer wins, every change kept; phones pull the state', async () => {
    const cursor = (await pullPage(s, guard.cookie, 0, 100)).nextCursor
    const done = action(0, 'done', 'Två rundor gjorda')
    expect(statuses((await push(s, guard.cookie, [done])).results)).toEqual(['applied'])
    expect(statuses((await push(s, guard.cookie, [done])).results)).toEqual(['duplicate'])
    expect(statuses((await push(s, guard2.cookie, [action(0, 'not_done', 'Ingen bil')])).results)).toEqual(['applied'])

    const pulled = await pullPage(s, guard.cookie, cursor, 100)
    const spot = pulled.reference!.priorities.find(p => p.isoWeek === week)!.hotSpots[0]!
    expect(spot).toMatchObject({ actionStatus: 'not_done', actionComment: 'Ingen bil' })
    const history = s.db.prepare('SELECT status, comment FROM hot_spot_action_history WHERE iso_week = ? AND hot_spot = 0 ORDER BY id').all(week)
    expect(history).toEqual([{ status: 'done', comment: 'Två rundor gjorda' }, { status: 'not_done', comment: 'Ingen bil' }])
    const read = await jsonOf<{ priority: WeeklyPriority }>(await s.request('GET', `/api/priorities?week=${week}`, { cookie: analyst }))
    expect(read.priority!.hotSpots[0]).toMatchObject({ actionStatus: 'not_done', actionComment: 'Ingen bil' })
  })

  it('rejects an action by another organisation, on a missing hot-spot or week, each alone', async () => {
    const before = snapshot(s.db)
    const { results } = await push(s, police.cookie, [action(0, 'done'), action(7, 'done'), { ...action(0, 'done'), week: '2020-W01' }, { ...action(0, 'done'), status: 'maybe' }, action(2, 'done')])
    expect(statuses(results)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected'])
    expect(results.map(r => r.field)).toEqual(['hotSpot', 'hotSpot', 'week', 'status', 'hotSpot'])
    const { sync_ops: _a, ...rest } = snapshot(s.db)
    const { sync_ops: _b, ...restBefore } = before
    expect(rest).toEqual(restBefore)
  })

  it('logs visits per organisation, without the user, cut to the hour; a repeat is a duplicate', async () => {
    const v = visit(1)
    const { results } = await push(s, police.cookie, [v, visit(1), visit(0)])
    expect(statuses(results)).toEqual(['applied', 'applied', 'applied'])
    expect(statuses((await push(s, police.cookie, [v])).results)).toEqual(['duplicate'])
    expect(statuses((await push(s, police.cookie, [{ ...v, opId: uuidv7() }])).results)).toEqual(['duplicate'])
    expect(statuses((await push(s, police.cookie, [{ ...v, opId: uuidv7(), hotSpot: 0 }])).results)).toEqual(['conflict'])
    expect(statuses((await push(s, guard.cookie, [visit(1)])).results)).toEqual(['applied'])

    const row = s.db.prepare('SELECT * FROM visits WHERE id = ?').get(v.visitId) as Record<string, unknown>
    expect(Object.keys(row).sort()).toEqual(['at_hour', 'hot_spot', 'id', 'iso_week', 'organisation_id'])
    expect(row.at_hour).toBe(Math.floor(Date.parse(v.at) / 3_600_000) * 3_600_000)
    // The push log keeps neither the visit's id nor its time of day.
    const op = s.db.prepare('SELECT report_id, at FROM sync_ops WHERE op_id = ?').get(v.opId) as { report_id: string; at: number }
    expect(op.report_id).toBe('')
    expect(op.at % 86_400_000).toBe(0)

    const summary = await jsonOf<VisitSummary>(await s.request('GET', `/api/visits?week=${week}`, { cookie: analyst }))
    const one = summary.hotSpots.find(h => h.index === 1)!
    expect(one.visits).toBe(3)
    expect(one.organisations.map(o => [o.organisationId, o.visits])).toEqual([[guard.organisationId, 1], [police.organisationId, 2]].sort((a, b) => a[0]! - b[0]!))
    expect(one.organisations.find(o => o.organisationId === police.organisationId)!.hours[localParts(Date.parse(v.at), TZ).hour]).toBe(2)
  })

  it('rejects a visit outside its week, in the future, or at a hot-spot that is not there', async () => {
    const { results } = await push(s, police.cookie, [visit(1, Date.now() - 8 * 86_400_000), visit(1, Date.now() + 3_600_000), visit(9), visit(0, Date.now() - 60_000, '2020-W01')])
    expect(statuses(results)).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
    expect(results.map(r => r.field)).toEqual(['at', 'at', 'hotSpot', 'week'])
  })

  it('expires visits older than the retention period with their op records', async () => {
    const old = Date.now() - 200 * 86_400_000
    s.db.prepare('INSERT INTO visits (id, iso_week, hot_spot, organisation_id, at_hour) VALUES (?, ?, 0, ?, ?)').run(uuidv7(), weekAt(old), police.organisationId, old)
    s.db.prepare(`INSERT INTO sync_ops (op_id, user_id, report_id, kind, status, at) VALUES (?, ?, '', 'visit', 'applied', ?)`).run(uuidv7(), guard.userId, old)
    const count = () => s.db.prepare('SELECT count(*) FROM visits').pluck().get() as number
    const n = count()
    expect(expireVisits(s.db, Date.now())).toBe(1)
    expect(count()).toBe(n - 1)
    expect(s.db.prepare(`SELECT count(*) FROM sync_ops WHERE kind = 'visit' AND at < ?`).pluck().get(Date.now() - 190 * 86_400_000)).toBe(0)
    expect(expireVisits(s.db, Date.now())).toBe(0)

    // An admin setting of 12 months keeps a visit of 200 days ago.
    s.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('retention.visitMonths', '12', 0)`).run()
    s.db.prepare('INSERT INTO visits (id, iso_week, hot_spot, organisation_id, at_hour) VALUES (?, ?, 0, ?, ?)').run(uuidv7(), weekAt(old), police.organisationId, old)
    expect(expireVisits(s.db, Date.now())).toBe(0)
    s.db.prepare(`DELETE FROM settings WHERE key = 'retention.visitMonths'`).run()
    expect(expireVisits(s.db, Date.now())).toBe(1)
  })

  it('lists every op kind in the push body of /api/openapi.json', async () => {
    const doc = await jsonOf<{ paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: { ops: { items: { oneOf: Array<{ $ref: string }> } } } } }> } } }>; components: { schemas: Record<string, { properties: { kind: { enum?: string[]; const?: string } } }> } }>(await s.request('GET', '/api/openapi.json'))
    const items = doc.paths['/api/sync/push']!.post.requestBody.content['application/json']!.schema.properties.ops.items
    const kinds = items.oneOf.flatMap(r => {
      const kind = doc.components.schemas[r.$ref.split('/').at(-1)!]!.properties.kind
      return kind.enum ?? [kind.const]
    })
    expect(kinds.sort()).toEqual(['action', 'amend', 'create', 'visit', 'withdraw'])
  })
})
