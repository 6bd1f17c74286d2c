import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PASSWORD, jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'

let s: TestServer
beforeEach(async () => { s = await testServer() })
afterEach(() => s.close())

describe('POST /api/auth/login', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    await s.signIn('vakt1', ['reporter'])
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'VAKT1', password: PASSWORD } })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^lb_session=/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(await jsonOf<object>(res)).toMatchObject({ username: 'vakt1', roles: ['reporter'], organisation: { name: 'Vaktbolaget' } })
  })

  it('takes the origin and the cookie shape from PUBLIC_ORIGIN, not from the URL the request names (behind-proxy.test.ts has the https case)', async () => {
    await s.signIn('vakt1', ['reporter'])
    const res = await s.app.request('https://lagesbild.example.se/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://lagesbild.example.se' },
      body: JSON.stringify({ username: 'vakt1', password: PASSWORD }),
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('answers a wrong password with 401 and the error shape, changing nothing but the audit log', async () => {
    await s.signIn('vakt1', ['reporter'])
    const { audit_events: auditBefore, ...before } = snapshot(s.db)
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: 'wrong password' } })
    expect(res.status).toBe(401)
    expect(await jsonOf(res)).toEqual({ error: { code: 'bad_credentials', message: 'wrong username or password' } })
    const { audit_events: auditAfter, ...after } = snapshot(s.db)
    expect(after).toEqual(before)
    expect(auditAfter!.length).toBe(auditBefore!.length + 1)
  })

  it('throttles an account after five failures, even with the right password', async () => {
    await s.signIn('vakt1', ['reporter'])
    for (let i = 0; i < 5; i++) {
      expect((await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: 'nope' } })).status).toBe(401)
    }
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: PASSWORD } })
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('refuses a disabled user', async () => {
    await s.signIn('vakt1', ['reporter'])
    s.db.prepare(`UPDATE users SET active = 0 WHERE username = 'vakt1'`).run()
    expect((await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: PASSWORD } })).status).toBe(401)
  })
})

describe('sessions', () => {
  it('GET /api/auth/me answers 401 without a session and the user with one', async () => {
    const me = await s.request('GET', '/api/auth/me')
    expect(me.status).toBe(401)
    expect((await jsonOf(me)).error.code).toBe('unauthenticated')
    const { cookie } = await s.signIn('vakt1', ['reporter'])
    expect((await s.request('GET', '/api/auth/me', { cookie })).status).toBe(200)
  })

  it('logout ends the session on the server', async () => {
    const { cookie } = await s.signIn('vakt1', ['reporter'])
    expect((await s.request('POST', '/api/auth/logout', { cookie, body: {} })).status).toBe(200)
    expect((await s.request('GET', '/api/auth/me', { cookie })).status).toBe(401)
  })

  it('an expired session is refused', async () => {
    const { cookie } = await s.signIn('granskare', ['reviewer'])
    s.db.prepare('UPDATE sessions SET last_seen_at = last_seen_at - 3 * 3600000').run()
    expect((await s.request('GET', '/api/auth/me', { cookie })).status).toBe(401)
  })

  it('a one-time password must be changed before anything else', async () => {
    const { cookie } = await s.signIn('boss', ['admin'])
    s.db.prepare(`UPDATE users SET must_change_password = 1 WHERE username = 'boss'`).run()
    expect((await s.request('GET', '/api/admin/users', { cookie })).status).toBe(403)
    const weak = await s.request('POST', '/api/auth/password', { cookie, body: { currentPassword: PASSWORD, newPassword: 'short' } })
    expect(weak.status).toBe(400)
    expect((await jsonOf(weak)).error.field).toBe('newPassword')
    const ok = await s.request('POST', '/api/auth/password', { cookie, body: { currentPassword: PASSWORD, newPassword: 'a much longer passphrase' } })
    expect(ok.status).toBe(200)
    const fresh = ok.headers.get('set-cookie')!.split(';')[0]!
    expect((await s.request('GET', '/api/admin/users', { cookie: fresh })).status).toBe(200)
    expect((await s.request('GET', '/api/admin/users', { cookie })).status).toBe(401)
  })
})
