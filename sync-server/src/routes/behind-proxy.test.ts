import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../services/accounts.ts'
import { parseIpList } from '../services/ip-list.ts'
import { PASSWORD, jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'

const PUBLIC = 'https://lagesbild.example.se'
const PROXY = '::ffff:127.0.0.1'

const lastAudit = (s: TestServer, action: string) =>
  s.db.prepare('SELECT ip FROM audit_events WHERE action = ? ORDER BY id DESC LIMIT 1').pluck().get(action) as string | null

describe('behind a TLS-terminating proxy (PUBLIC_ORIGIN https, TRUSTED_PROXIES 127.0.0.1)', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await testServer({ config: { publicOrigin: PUBLIC, trustedProxies: parseIpList('127.0.0.1', 'TRUSTED_PROXIES') } })
    const org = s.db.prepare('SELECT id FROM organisations LIMIT 1').pluck().get() as number
    await createUser(s.db, { username: 'vakt1', organisationId: org, roles: ['reporter'], password: PASSWORD })
  })
  afterAll(() => s.close())

  const login = (headers: Record<string, string>, from = PROXY, password = PASSWORD) =>
    s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password }, headers, from })

  it('signs in although the request reaches the app as http:// on another host, and sets a __Host- Secure cookie', async () => {
    // The proxy forwards to http://localhost with the public Host; only the browser's Origin is the public one.
    const res = await login({ origin: PUBLIC, host: 'lagesbild.example.se', 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^__Host-lb_session=/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).not.toMatch(/Domain=/i)
    const me = await s.request('GET', '/api/auth/me', { cookie: cookie.split(';')[0]!, from: PROXY })
    expect(me.status).toBe(200)
  })

  it('the audit and the throttle see the forwarded client, not the proxy', async () => {
    await login({ origin: PUBLIC, 'x-forwarded-for': '203.0.113.50' })
    expect(lastAudit(s, 'login')).toBe('203.0.113.50')
    // A client-written X-Forwarded-For to the left of the proxy's entry is not believed.
    await login({ origin: PUBLIC, 'x-forwarded-for': '6.6.6.6, 203.0.113.51' }, PROXY, 'wrong password')
    expect(lastAudit(s, 'login_failed')).toBe('203.0.113.51')
  })

  it('from a socket that is not a trusted proxy, X-Forwarded-For is ignored', async () => {
    await login({ origin: PUBLIC, 'x-forwarded-for': '203.0.113.52' }, '::ffff:192.0.2.10', 'wrong password')
    expect(lastAudit(s, 'login_failed')).toBe('192.0.2.10')
  })

  it.each([
    ['the app\'s own http URL', 'http://localhost'],
    ['the Host it was given', 'https://evil.example'],
    ['a loopback name', 'http://127.0.0.1:8787'],
    ['http on the public host', 'http://lagesbild.example.se'],
  ])('refuses an unsafe request whose Origin is %s, whatever the Host header says', async (_name, origin) => {
    const before = snapshot(s.db)
    const res = await login({ origin, host: new URL(origin).host, 'x-forwarded-host': new URL(origin).host })
    expect(res.status).toBe(403)
    expect((await jsonOf(res)).error.code).toBe('cross_origin')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('refuses a cross-site request without Origin by Sec-Fetch-Site', async () => {
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: PASSWORD }, headers: { origin: '', 'sec-fetch-site': 'cross-site' }, from: PROXY })
    expect(res.status).toBe(403)
  })

  it('ignores a plain-http session cookie name: the cookie is __Host- only', async () => {
    const ok = await login({ origin: PUBLIC })
    const token = ok.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!
    const res = await s.request('GET', '/api/auth/me', { cookie: `lb_session=${token}`, from: PROXY })
    expect(res.status).toBe(401)
  })
})

describe('on plain localhost (the default PUBLIC_ORIGIN)', () => {
  let s: TestServer
  beforeAll(async () => { s = await testServer() })
  afterAll(() => s.close())

  it('uses an unprefixed cookie without Secure, and the socket address', async () => {
    const org = s.db.prepare('SELECT id FROM organisations LIMIT 1').pluck().get() as number
    await createUser(s.db, { username: 'vakt2', organisationId: org, roles: ['reporter'], password: PASSWORD })
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'vakt2', password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.9' }, from: '::ffff:127.0.0.1' })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^lb_session=/)
    expect(cookie).not.toMatch(/Secure/)
    expect(lastAudit(s, 'login')).toBe('127.0.0.1')
  })
})
