import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localParts, uuidv7, type AuditPage, type Category, type Place, type PullResponse, type UserSummary, type WeeklyPriority } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'

let s: TestServer
let admin: string
let reporter: string
let analyst: string
let reviewer: string
beforeAll(async () => {
  s = await testServer()
  admin = (await s.signIn('boss', ['admin'], 'Kommunen')).cookie
  reporter = (await s.signIn('vakt1', ['reporter'], 'Vaktbolaget')).cookie
  analyst = (await s.signIn('analytiker', ['analyst'], 'Kommunen')).cookie
  reviewer = (await s.signIn('granskare', ['reviewer'], 'Kommunen')).cookie
})
afterAll(() => s.close())

const head = () => s.db.prepare('SELECT value FROM change_seq').pluck().get() as number
const lastAudit = () => s.db.prepare('SELECT action, target, detail, actor_id FROM audit_events ORDER BY id DESC LIMIT 1').get() as { action: string; target: string | null; detail: string; actor_id: number | null }
const thisWeek = () => localParts(Date.now(), 'Europe/Stockholm').isoWeek
const nextWeek = () => localParts(Date.now() + 7 * 86_400_000, 'Europe/Stockholm').isoWeek
const reference = async () => jsonOf<{ categories: Category[]; places: Place[] }>(await s.request('GET', '/api/reference', { cookie: admin }))

/** What a reporter's device learns when it pulls from `cursor`. */
async function pulledReference(cursor: number) {
  const res = await s.request('GET', `/api/sync/pull?cursor=${cursor}`, { cookie: reporter })
  return (await jsonOf<PullResponse>(res)).reference
}

describe('categories', () => {
  it('adds a category at the end; devices pull it and the audit log records it', async () => {
    const cursor = head()
    const res = await s.request('POST', '/api/admin/categories', { cookie: admin, body: { code: 'graffiti_fresh', labelSv: 'Nyklotter', labelEn: 'Fresh graffiti' } })
    expect(res.status).toBe(201)
    const created = await jsonOf<Category>(res)
    expect(created).toMatchObject({ code: 'graffiti_fresh', labelSv: 'Nyklotter', hintSv: '', active: true })
    const { categories } = await reference()
    expect(categories.at(-1)!.code).toBe('graffiti_fresh')
    expect((await pulledReference(cursor))!.categories.map(c => c.code)).toContain('graffiti_fresh')
    expect(lastAudit()).toMatchObject({ action: 'category_created', target: 'graffiti_fresh' })
  })

  it('renames, retires and reactivates; a retired category keeps its reports', async () => {
    const reportId = uuidv7()
    const now = new Date().toISOString()
    const push = await s.request('POST', '/api/sync/push', { cookie: reporter, body: { schemaVersion: 2, ops: [{
      opId: uuidv7(), kind: 'create', reportId,
      report: { id: reportId, category: 'graffiti_fresh', occurredAt: now, location: { lat: 56.04, lon: 12.69, source: 'gps' }, description: '', createdAt: now },
    }] } })
    expect((await jsonOf<{ results: Array<{ status: string }> }>(push)).results[0]!.status).toBe('applied')

    const renamed = await s.request('PATCH', '/api/admin/categories/graffiti_fresh', { cookie: admin, body: { labelSv: 'Färskt klotter' } })
    expect(await jsonOf<Category>(renamed)).toMatchObject({ labelSv: 'Färskt klotter', labelEn: 'Fresh graffiti' })
    expect(JSON.parse(lastAudit().detail)).toEqual({ changes: { labelSv: { from: 'Nyklotter', to: 'Färskt klotter' } } })

    const cursor = head()
    const retired = await s.request('PATCH', '/api/admin/categories/graffiti_fresh', { cookie: admin, body: { active: false } })
    expect((await jsonOf<Category>(retired)).active).toBe(false)
    expect((await pulledReference(cursor))!.categories.find(c => c.code === 'graffiti_fresh')!.active).toBe(false)
    expect(s.db.prepare('SELECT category FROM reports WHERE id = ?').pluck().get(reportId)).toBe('graffiti_fresh')

    const back = await s.request('PATCH', '/api/admin/categories/graffiti_fresh', { cookie: admin, body: { active: true } })
    expect((await jsonOf<Category>(back)).active).toBe(true)
  })

  it('reorders when given every code once', async () => {
    const codes = (await reference()).categories.map(c => c.code).reverse()
    const cursor = head()
    const res = await s.request('PUT', '/api/admin/categories/order', { cookie: admin, body: { codes } })
    expect(res.status).toBe(200)
    expect((await jsonOf<Category[]>(res)).map(c => c.code)).toEqual(codes)
    expect((await pulledReference(cursor))!.categories.map(c => c.code)).toEqual(codes)
    expect(lastAudit().action).toBe('categories_reordered')
  })
})

describe('places', () => {
  it('adds a point at its own centre and an area at the mean of its ring', async () => {
    const point = await s.request('POST', '/api/admin/places', { cookie: admin, body: { name: 'Stortorget', kind: 'place', geometry: { type: 'Point', coordinates: [12.6945, 56.0465] } } })
    expect(point.status).toBe(201)
    expect(await jsonOf<Place>(point)).toMatchObject({ name: 'Stortorget', lat: 56.0465, lon: 12.6945, active: true })

    const ring = [[12.0, 56.0], [12.2, 56.0], [12.2, 56.2], [12.0, 56.2], [12.0, 56.0]]
    const area = await s.request('POST', '/api/admin/places', { cookie: admin, body: { name: 'Centrum', kind: 'area', geometry: { type: 'Polygon', coordinates: [ring] } } })
    const created = await jsonOf<Place>(area)
    expect(created.lat).toBeCloseTo(56.1, 9)
    expect(created.lon).toBeCloseTo(12.1, 9)
    expect(lastAudit()).toMatchObject({ action: 'place_created', target: String(created.id) })
  })

  it('renames, moves and retires a place, each bumping its seq', async () => {
    const id = (await reference()).places.find(p => p.name === 'Stortorget')!.id
    const cursor = head()
    const res = await s.request('PATCH', `/api/admin/places/${id}`, { cookie: admin, body: { name: 'Stortorget norra', geometry: { type: 'Point', coordinates: [12.695, 56.047] } } })
    expect(await jsonOf<Place>(res)).toMatchObject({ name: 'Stortorget norra', lat: 56.047, lon: 12.695 })
    expect(s.db.prepare('SELECT seq FROM places WHERE id = ?').pluck().get(id)).toBe(head())
    expect((await pulledReference(cursor))!.places.find(p => p.id === id)!.name).toBe('Stortorget norra')

    const retired = await s.request('PATCH', `/api/admin/places/${id}`, { cookie: admin, body: { active: false } })
    expect((await jsonOf<Place>(retired)).active).toBe(false)
    expect(JSON.parse(lastAudit().detail)).toEqual({ changes: { active: { from: true, to: false } } })
  })
})

describe('weekly priorities', () => {
  it('records next week, lets desk roles read it, and sends it to devices', async () => {
    const week = nextWeek()
    const [category] = (await reference()).categories
    const place = (await reference()).places[0]!
    const cursor = head()
    const body = { focusCategories: [category!.code], hotSpots: [{ placeId: place.id, responsibleOrgId: 1, action: 'Extra rundor 22–02' }], notes: 'Följs upp nästa vecka.' }
    const res = await s.request('PUT', `/api/admin/priorities/${week}`, { cookie: admin, body })
    expect(res.status).toBe(200)
    expect(await jsonOf<WeeklyPriority>(res)).toMatchObject({ isoWeek: week, ...body })
    expect(lastAudit()).toMatchObject({ action: 'priorities_set', target: week })

    for (const cookie of [analyst, reviewer, admin]) {
      const read = await jsonOf<{ isoWeek: string; priority: WeeklyPriority }>(await s.request('GET', `/api/priorities?week=${week}`, { cookie }))
      expect(read.priority).toMatchObject(body)
    }
    expect((await jsonOf<{ isoWeek: string }>(await s.request('GET', '/api/priorities', { cookie: analyst }))).isoWeek).toBe(thisWeek())
    expect((await pulledReference(cursor))!.priorities.find(p => p.isoWeek === week)).toMatchObject(body)
  })

  it('replaces a week wholesale and answers null for a week without a decision', async () => {
    const week = thisWeek()
    await s.request('PUT', `/api/admin/priorities/${week}`, { cookie: admin, body: { focusCategories: [], hotSpots: [], notes: 'Lugn vecka.' } })
    const read = await jsonOf<{ priority: WeeklyPriority }>(await s.request('GET', `/api/priorities?week=${week}`, { cookie: analyst }))
    expect(read.priority).toMatchObject({ focusCategories: [], hotSpots: [], notes: 'Lugn vecka.' })
    expect(await jsonOf<object>(await s.request('GET', '/api/priorities?week=2020-W01', { cookie: analyst }))).toEqual({ isoWeek: '2020-W01', priority: null })
  })
})

describe('users and the audit log', () => {
  it('changes roles, ends the user\'s sessions and records roles_changed', async () => {
    const { cookie, userId } = await s.signIn('vakt2', ['reporter'], 'Vaktbolaget')
    const res = await s.request('PUT', `/api/admin/users/${userId}/roles`, { cookie: admin, body: { roles: ['reviewer', 'reporter'] } })
    expect(res.status).toBe(200)
    expect((await jsonOf<UserSummary>(res)).roles).toEqual(['reporter', 'reviewer'])
    expect(lastAudit()).toMatchObject({ action: 'roles_changed', target: 'vakt2' })
    expect(JSON.parse(lastAudit().detail)).toEqual({ from: ['reporter'], to: ['reporter', 'reviewer'] })
    expect((await s.request('GET', '/api/auth/me', { cookie })).status).toBe(401)
  })

  it('pages through the audit log newest first', async () => {
    const first = await jsonOf<AuditPage>(await s.request('GET', '/api/admin/audit?limit=2', { cookie: admin }))
    expect(first.events).toHaveLength(2)
    expect(first.events[0]!.action).toBe('roles_changed')
    expect(first.events[0]!.actorUsername).toBe('boss')
    const second = await jsonOf<AuditPage>(await s.request('GET', `/api/admin/audit?limit=2&before=${first.nextBefore}`, { cookie: admin }))
    expect(second.events[0]!.id).toBeLessThan(first.events[1]!.id)
    const logins = await jsonOf<AuditPage>(await s.request('GET', '/api/admin/audit?action=login&limit=200', { cookie: admin }))
    expect(logins.events.length).toBeGreaterThanOrEqual(5)
    expect(logins.events.every(e => e.action === 'login')).toBe(true)
    expect(logins.nextBefore).toBeNull()
  })
})

describe('bad input changes nothing', () => {
  const adminId = () => s.db.prepare(`SELECT id FROM users WHERE username = 'boss'`).pluck().get() as number
  const vaktId = () => s.db.prepare(`SELECT id FROM users WHERE username = 'vakt1'`).pluck().get() as number
  const codes = () => s.db.prepare('SELECT code FROM categories ORDER BY sort').pluck().all() as string[]
  const cases: Array<[string, () => Promise<Response>, number, string?]> = [
    ['a duplicate category code', () => s.request('POST', '/api/admin/categories', { cookie: admin, body: { code: 'graffiti_fresh', labelSv: 'X', labelEn: 'X' } }), 409, 'code'],
    ['a category code with capitals', () => s.request('POST', '/api/admin/categories', { cookie: admin, body: { code: 'Graffiti', labelSv: 'X', labelEn: 'X' } }), 400, 'code'],
    ['a category without an English label', () => s.request('POST', '/api/admin/categories', { cookie: admin, body: { code: 'nytt', labelSv: 'Nytt' } }), 400, 'labelEn'],
    ['an empty category patch', () => s.request('PATCH', '/api/admin/categories/graffiti_fresh', { cookie: admin, body: {} }), 400],
    ['a patch of a missing category', () => s.request('PATCH', '/api/admin/categories/saknas', { cookie: admin, body: { active: false } }), 404],
    ['an unknown field in a category patch', () => s.request('PATCH', '/api/admin/categories/graffiti_fresh', { cookie: admin, body: { sort: 1 } }), 400, 'sort'],
    ['an order missing a category', () => s.request('PUT', '/api/admin/categories/order', { cookie: admin, body: { codes: codes().slice(1) } }), 400, 'codes'],
    ['an order with an unknown code', () => s.request('PUT', '/api/admin/categories/order', { cookie: admin, body: { codes: [...codes().slice(1), 'saknas'] } }), 400, 'codes'],
    ['an order naming a code twice', () => s.request('PUT', '/api/admin/categories/order', { cookie: admin, body: { codes: [...codes(), codes()[0]] } }), 400, 'codes'],
    ['a place latitude out of range', () => s.request('POST', '/api/admin/places', { cookie: admin, body: { name: 'Nordpolen', kind: 'place', geometry: { type: 'Point', coordinates: [12, 91] } } }), 400, 'geometry'],
    ['an open polygon ring', () => s.request('POST', '/api/admin/places', { cookie: admin, body: { name: 'Öppen', kind: 'area', geometry: { type: 'Polygon', coordinates: [[[12, 56], [12.1, 56], [12.1, 56.1], [12, 56.1]]] } } }), 400, 'geometry.coordinates'],
    ['a LineString', () => s.request('POST', '/api/admin/places', { cookie: admin, body: { name: 'Gata', kind: 'place', geometry: { type: 'LineString', coordinates: [[12, 56], [12.1, 56]] } } }), 400, 'geometry'],
    ['an unknown place kind', () => s.request('POST', '/api/admin/places', { cookie: admin, body: { name: 'Torg', kind: 'square', geometry: { type: 'Point', coordinates: [12, 56] } } }), 400, 'kind'],
    ['a patch of a missing place', () => s.request('PATCH', '/api/admin/places/9999', { cookie: admin, body: { name: 'Inget' } }), 404],
    ['a week that does not exist', () => s.request('PUT', '/api/admin/priorities/2025-W53', { cookie: admin, body: { focusCategories: [], hotSpots: [], notes: '' } }), 400, 'isoWeek'],
    ['a malformed week', () => s.request('PUT', '/api/admin/priorities/v48', { cookie: admin, body: { focusCategories: [], hotSpots: [], notes: '' } }), 400, 'isoWeek'],
    ['an unknown focus category', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { cookie: admin, body: { focusCategories: ['saknas'], hotSpots: [], notes: '' } }), 400, 'focusCategories.0'],
    ['a hot-spot at a missing place', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { cookie: admin, body: { focusCategories: [], hotSpots: [{ placeId: 9999, action: 'Rundor' }], notes: '' } }), 400, 'hotSpots.0.placeId'],
    ['a hot-spot for a missing organisation', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { cookie: admin, body: { focusCategories: [], hotSpots: [{ placeId: 1, responsibleOrgId: 9999, action: 'Rundor' }], notes: '' } }), 400, 'hotSpots.0.responsibleOrgId'],
    ['a hot-spot without an action', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { cookie: admin, body: { focusCategories: [], hotSpots: [{ action: ' ' }], notes: '' } }), 400, 'hotSpots.0.action'],
    ['priorities without notes', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { cookie: admin, body: { focusCategories: [], hotSpots: [] } }), 400, 'notes'],
    ['a bad week filter', () => s.request('GET', '/api/priorities?week=2026-48', { cookie: analyst }), 400, 'week'],
    ['an unknown role', () => s.request('PUT', `/api/admin/users/${vaktId()}/roles`, { cookie: admin, body: { roles: ['king'] } }), 400, 'roles'],
    ['no roles at all', () => s.request('PUT', `/api/admin/users/${vaktId()}/roles`, { cookie: admin, body: { roles: [] } }), 400, 'roles'],
    ['roles of a missing user', () => s.request('PUT', '/api/admin/users/9999/roles', { cookie: admin, body: { roles: ['reporter'] } }), 404],
    ['an admin changing their own roles', () => s.request('PUT', `/api/admin/users/${adminId()}/roles`, { cookie: admin, body: { roles: ['reporter'] } }), 409],
    ['an admin disabling themselves', () => s.request('POST', `/api/admin/users/${adminId()}/disable`, { cookie: admin, body: {} }), 409],
    ['an audit page size over 200', () => s.request('GET', '/api/admin/audit?limit=500', { cookie: admin }), 400, 'limit'],
    ['an audit cursor that is not a number', () => s.request('GET', '/api/admin/audit?before=abc', { cookie: admin }), 400, 'before'],
    ['a reporter adding a category', () => s.request('POST', '/api/admin/categories', { cookie: reporter, body: { code: 'nytt', labelSv: 'Nytt', labelEn: 'New' } }), 403],
    ['a reporter retiring a place', () => s.request('PATCH', '/api/admin/places/1', { cookie: reporter, body: { active: false } }), 403],
    ['a reporter setting priorities', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { cookie: reporter, body: { focusCategories: [], hotSpots: [], notes: '' } }), 403],
    ['a reporter reading priorities', () => s.request('GET', '/api/priorities', { cookie: reporter }), 403],
    ['a reporter reading the audit log', () => s.request('GET', '/api/admin/audit', { cookie: reporter }), 403],
    ['an analyst reading the audit log', () => s.request('GET', '/api/admin/audit', { cookie: analyst }), 403],
    ['a reporter changing roles', () => s.request('PUT', `/api/admin/users/${vaktId()}/roles`, { cookie: reporter, body: { roles: ['admin'] } }), 403],
    ['signed out: adding a category', () => s.request('POST', '/api/admin/categories', { body: { code: 'nytt', labelSv: 'Nytt', labelEn: 'New' } }), 401],
    ['signed out: reordering', () => s.request('PUT', '/api/admin/categories/order', { body: { codes: codes() } }), 401],
    ['signed out: moving a place', () => s.request('PATCH', '/api/admin/places/1', { body: { name: 'X' } }), 401],
    ['signed out: setting priorities', () => s.request('PUT', `/api/admin/priorities/${thisWeek()}`, { body: { focusCategories: [], hotSpots: [], notes: '' } }), 401],
    ['signed out: reading priorities', () => s.request('GET', '/api/priorities'), 401],
    ['signed out: reading the audit log', () => s.request('GET', '/api/admin/audit'), 401],
    ['signed out: changing roles', () => s.request('PUT', '/api/admin/users/1/roles', { body: { roles: ['admin'] } }), 401],
  ]
  for (const [name, send, status, field] of cases) {
    it(`${name} → ${status}`, async () => {
      const before = snapshot(s.db)
      const res = await send()
      expect(res.status).toBe(status)
      const body = await jsonOf(res)
      expect(body.error.code).toEqual(expect.any(String))
      if (field) expect(body.error.message).toContain(field)
      expect(snapshot(s.db)).toEqual(before)
    })
  }
})
