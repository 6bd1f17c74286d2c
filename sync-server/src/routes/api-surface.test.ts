import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'

type OpenApiDoc = { paths: Record<string, Record<string, { 'x-access'?: unknown }>> }

let s: TestServer
let admin: string
let reporter: string
beforeAll(async () => {
  s = await testServer()
  admin = (await s.signIn('boss', ['admin'], 'Kommunen')).cookie
  reporter = (await s.signIn('vakt1', ['reporter'], 'Vaktbolaget')).cookie
})
afterAll(() => s.close())

async function rejected(res: Response, status: number, field?: string) {
  expect(res.status).toBe(status)
  const body = await jsonOf(res)
  expect(body.error.code).toEqual(expect.any(String))
  expect(body.error.message).toEqual(expect.any(String))
  if (field) expect(body.error.message).toContain(field)
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
}

describe('bad input never changes the database', () => {
  const cases: Array<[string, () => Promise<Response>, number, string?]> = [
    ['malformed JSON', () => s.request('POST', '/api/admin/organisations', { cookie: admin, body: '{"name": "Polisen",' }), 400],
    ['a non-JSON body', () => s.request('POST', '/api/admin/organisations', { cookie: admin, body: 'name=Polisen&kind=police', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
    ['an unknown field', () => s.request('POST', '/api/admin/organisations', { cookie: admin, body: { name: 'Polisen', kind: 'police', colour: 'blue' } }), 400, 'colour'],
    ['an out-of-range value', () => s.request('POST', '/api/admin/organisations', { cookie: admin, body: { name: 'Polisen', kind: 'army' } }), 400, 'kind'],
    ['a too short name', () => s.request('POST', '/api/admin/organisations', { cookie: admin, body: { name: 'P', kind: 'police' } }), 400, 'name'],
    ['a user in a missing organisation', () => s.request('POST', '/api/admin/users', { cookie: admin, body: { username: 'x1', organisationId: 999, roles: ['reporter'] } }), 400, 'organisationId'],
    ['a user with an unknown role', () => s.request('POST', '/api/admin/users', { cookie: admin, body: { username: 'x1', organisationId: 1, roles: ['king'] } }), 400, 'roles'],
    ['a request without a session', () => s.request('POST', '/api/admin/organisations', { body: { name: 'Polisen', kind: 'police' } }), 401],
    ['a request from another origin', () => s.request('POST', '/api/admin/organisations', { cookie: admin, body: { name: 'Polisen', kind: 'police' }, headers: { origin: 'https://evil.example' } }), 403],
    ['a body over the size limit', () => s.request('POST', '/api/sync/push', { cookie: admin, body: { schemaVersion: 2, ops: [], pad: 'x'.repeat(3 * 1024 * 1024) } }), 413],
    ['a reporter calling an admin route', () => s.request('POST', '/api/admin/organisations', { cookie: reporter, body: { name: 'Polisen', kind: 'police' } }), 403],
  ]
  for (const [name, send, status, field] of cases) {
    it(`${name} → ${status}`, async () => {
      const before = snapshot(s.db)
      const res = await send()
      await rejected(res, status, field)
      expect(snapshot(s.db)).toEqual(before)
    })
  }

  it('an unknown API route answers 404 in the error shape', async () => {
    await rejected(await s.request('GET', '/api/nothing-here', { cookie: admin }), 404)
  })
})

describe('every route declares who may call it', () => {
  it('lists x-access for every operation in /api/openapi.json', async () => {
    const doc = await jsonOf<OpenApiDoc>(await s.request('GET', '/api/openapi.json'))
    const operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, access: op['x-access'] })))
    expect(operations.length).toBeGreaterThan(8)
    for (const op of operations) expect(op.access, `${op.method} ${op.path}`).toBeDefined()
  })

  it('answers 401 without a session on every non-public operation', async () => {
    const doc = await jsonOf<OpenApiDoc>(await s.request('GET', '/api/openapi.json'))
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op['x-access'] === 'public') continue
        const url = path.replace(/\{[^}]+\}/g, '1')
        const res = await s.request(method.toUpperCase(), url, method === 'get' ? {} : { body: {} })
        expect(res.status, `${method} ${path}`).toBe(401)
      }
    }
  })

  it('sends no-store on the API and a strict CSP everywhere', async () => {
    const res = await s.request('GET', '/api/health')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-eval')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
