import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Me, UserSummary } from '@lagesbild/domain'
import { PASSWORD, jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { dbPath } from '../db/connection.ts'
import { ONE_TIME_PASSWORD_TTL_MS } from '../services/accounts.ts'

let s: TestServer
let admin: { cookie: string; userId: number }
let reviewer: string
let analyst: string
let reporter: string
beforeAll(async () => {
  s = await testServer()
  admin = await s.signIn('boss', ['admin'], 'Kommunen')
  reviewer = (await s.signIn('granskare', ['reviewer'], 'Kommunen')).cookie
  analyst = (await s.signIn('analytiker', ['analyst'], 'Kommunen')).cookie
  reporter = (await s.signIn('vakt1', ['reporter'])).cookie
})
afterAll(() => s.close())

const OTP = /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/
const reset = (id: number | string, cookie = admin.cookie) => s.request('POST', `/api/admin/users/${id}/password/reset`, { cookie, body: {} })
const idOf = (username: string) => s.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number
const row = (username: string) => s.db.prepare('SELECT must_change_password, password_expires_at FROM users WHERE username = ?').get(username) as
  { must_change_password: number; password_expires_at: number | null }

/** Resets the user's password as the admin and returns the one-time password, checking the answer's shape. */
async function resetAsAdmin(username: string): Promise<string> {
  const res = await reset(idOf(username))
  expect(res.status).toBe(200)
  const body = await jsonOf<{ user: UserSummary; oneTimePassword: string }>(res)
  expect(body.user).toMatchObject({ id: idOf(username), username, active: true })
  expect(body.oneTimePassword).toMatch(OTP)
  return body.oneTimePassword
}

describe('an admin gives a user a new one-time password', () => {
  it('only an admin may: reviewer, analyst and reporter get 403, signed out 401, and nothing changes', async () => {
    const before = snapshot(s.db)
    for (const cookie of [reviewer, analyst, reporter]) {
      const res = await reset(idOf('vakt1'), cookie)
      expect(res.status).toBe(403)
      expect((await jsonOf(res)).error.code).toBe('forbidden')
    }
    expect((await s.request('POST', `/api/admin/users/${idOf('vakt1')}/password/reset`, { body: {} })).status).toBe(401)
    expect(snapshot(s.db)).toEqual(before)
  })

  it('the old password stops working, the user\'s sessions end, and the new one signs in once and must be changed', async () => {
    const before = s.clock.now()
    const otp = await resetAsAdmin('vakt1')
    expect(row('vakt1').must_change_password).toBe(1)
    expect(row('vakt1').password_expires_at).toBeGreaterThanOrEqual(before + ONE_TIME_PASSWORD_TTL_MS)
    expect(row('vakt1').password_expires_at).toBeLessThanOrEqual(s.clock.now() + ONE_TIME_PASSWORD_TTL_MS)

    expect((await s.request('GET', '/api/auth/me', { cookie: reporter })).status).toBe(401)
    const old = await s.login('vakt1', PASSWORD)
    expect(old.status).toBe(401)
    expect((await jsonOf(old)).error.code).toBe('bad_credentials')

    const login = await s.login('vakt1', otp)
    expect(login.status).toBe(200)
    expect(await jsonOf<Me>(login)).toMatchObject({ username: 'vakt1', mustChangePassword: true })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const changed = await s.request('POST', '/api/auth/password', { cookie, body: { currentPassword: otp, newPassword: 'ett helt nytt lösenord' } })
    expect(changed.status).toBe(200)
    expect(await jsonOf<Me>(changed)).toMatchObject({ mustChangePassword: false })
    expect(row('vakt1')).toEqual({ must_change_password: 0, password_expires_at: null })
  })

  it('the second factor stays: a desk user signs in with the one-time password and their code', async () => {
    const otp = await resetAsAdmin('granskare')
    const withoutCode = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: otp } })
    expect((await jsonOf(withoutCode)).error.code).toBe('second_factor_required')
    const login = await s.login('granskare', otp)
    expect(login.status).toBe(200)
    expect(await jsonOf<Me>(login)).toMatchObject({ mustChangePassword: true, mustEnrolSecondFactor: false })
  })

  it('is audited with who and whom, and the password is nowhere in the database\'s bytes', async () => {
    const otp = await resetAsAdmin('analytiker')
    const rows = s.db.prepare(`SELECT actor_id, target, detail FROM audit_events WHERE action = 'password_reset' AND target = 'analytiker'`).all()
    expect(rows).toEqual([{ actor_id: admin.userId, target: 'analytiker', detail: '{}' }])
    expect(JSON.stringify(s.db.prepare('SELECT * FROM audit_events').all())).not.toContain(otp)
    // Stored only as a scrypt hash: not in the file, nor in the write-ahead log.
    for (const file of [dbPath(s.dir), `${dbPath(s.dir)}-wal`].filter(f => existsSync(f))) {
      expect(readFileSync(file).includes(otp), file).toBe(false)
    }
  })

  it('lifts the account\'s sign-in back-off, so the user is not held back from trying the new password', async () => {
    await s.signIn('vakt2', ['reporter'])
    const from = '198.51.100.20'
    for (let i = 0; i < 5; i++) {
      expect((await s.request('POST', '/api/auth/login', { body: { username: 'vakt2', password: `fel lösenord ${i}` }, from })).status).toBe(401)
    }
    expect((await s.request('POST', '/api/auth/login', { body: { username: 'vakt2', password: PASSWORD }, from })).status).toBe(429)
    const otp = await resetAsAdmin('vakt2')
    expect((await s.request('POST', '/api/auth/login', { body: { username: 'vakt2', password: otp }, from })).status).toBe(200)
  })
})

describe('refusals answer in the error shape and change nothing', () => {
  async function refused(path: string | number, status: number, code: string, says?: RegExp) {
    const before = snapshot(s.db)
    const res = await reset(path)
    expect(res.status).toBe(status)
    const { error } = await jsonOf(res)
    expect(error.code).toBe(code)
    if (says) expect(error.message).toMatch(says)
    expect(snapshot(s.db)).toEqual(before)
  }

  it('an unknown user → 404', () => refused(99_999, 404, 'not_found'))
  it('the admin\'s own account → 409, pointing to "change password"', () => refused(admin.userId, 409, 'own_account', /change password/i))
  it('a disabled user → 409, saying it cannot be enabled again', async () => {
    await s.signIn('vakt3', ['reporter'])
    expect((await s.request('POST', `/api/admin/users/${idOf('vakt3')}/disable`, { cookie: admin.cookie, body: {} })).status).toBe(200)
    await refused(idOf('vakt3'), 409, 'account_disabled', /disabled .*cannot be enabled again/)
  })
  for (const id of ['abc', '0', '-1', '1.5', '1e3x']) {
    it(`a malformed id "${id}" → 400`, () => refused(id, 400, 'invalid_request'))
  }
})

describe('expiry', () => {
  // Last in the file: moving the clock 72 hours on ends every other session of this server.
  it('the new one-time password expires after 72 hours, like a new account\'s', async () => {
    await s.signIn('vakt4', ['reporter'])
    const otp = await resetAsAdmin('vakt4')
    s.clock.advance(ONE_TIME_PASSWORD_TTL_MS + 60_000)
    const login = await s.login('vakt4', otp)
    expect(login.status).toBe(401)
    expect((await jsonOf(login)).error.code).toBe('one_time_password_expired')
  })
})
