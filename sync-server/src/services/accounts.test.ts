import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PASSWORD, jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { isCommonPassword } from '../auth/common-passwords.ts'
import { dbPath, openDb } from '../db/connection.ts'
import { dictionary } from '@zxcvbn-ts/language-common'

let s: TestServer
beforeEach(async () => { s = await testServer() })
afterEach(() => s.close())

describe('common passwords', () => {
  it('the shipped list holds at least 10,000 and is checked after NFKC, case-insensitively', () => {
    expect((dictionary['passwords-common'] as string[]).length).toBeGreaterThanOrEqual(10_000)
    expect(isCommonPassword('qwerty123456')).toBe(true)
    expect(isCommonPassword('QWERTY123456')).toBe(true)
    expect(isCommonPassword('ｑｗｅｒｔｙ１２３４５６')).toBe(true) // full-width forms
    expect(isCommonPassword('password')).toBe(true)
    expect(isCommonPassword('en lång lösenfras för test')).toBe(false)
  })

  it('are refused with a clear message by the admin API and by "change password", changing nothing', async () => {
    const admin = await s.signIn('boss', ['admin'])
    const before = snapshot(s.db)
    const created = await s.request('POST', '/api/admin/users', { cookie: admin.cookie, body: { username: 'ny', organisationId: admin.organisationId, roles: ['reporter'], password: '1q2w3e4r5t6y' } })
    expect(created.status).toBe(400)
    expect(await jsonOf(created)).toMatchObject({ error: { code: 'common_password', field: 'password', message: expect.stringMatching(/most common/) } })
    expect(snapshot(s.db).users).toEqual(before.users)

    const reporter = await s.signIn('vakt1', ['reporter'])
    const changed = await s.request('POST', '/api/auth/password', { cookie: reporter.cookie, body: { currentPassword: PASSWORD, newPassword: 'Qwerty123456' } })
    expect(changed.status).toBe(400)
    expect(await jsonOf(changed)).toMatchObject({ error: { code: 'common_password', field: 'newPassword' } })
    expect((await s.request('GET', '/api/auth/me', { cookie: reporter.cookie })).status).toBe(200)
  })
})

describe('one-time passwords', () => {
  it('expire after 72 hours', async () => {
    const admin = await s.signIn('boss', ['admin'])
    const make = async (username: string) => (await jsonOf<{ oneTimePassword: string }>(await s.request('POST', '/api/admin/users', { cookie: admin.cookie, body: { username, organisationId: admin.organisationId, roles: ['reporter'] } }))).oneTimePassword
    const fresh = await make('vakt1')
    const old = await make('vakt2')
    s.clock.advance(71 * 3_600_000)
    expect((await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: fresh } })).status).toBe(200)
    s.clock.advance(2 * 3_600_000)
    const expired = await s.request('POST', '/api/auth/login', { body: { username: 'vakt2', password: old } })
    expect(expired.status).toBe(401)
    expect((await jsonOf(expired)).error.code).toBe('one_time_password_expired')
  })
})

describe('the data folder and database file', () => {
  it('are created readable by the owner only (0700 and 0600)', () => {
    const parent = mkdtempSync(join(tmpdir(), 'lagesbild-modes-'))
    try {
      const dir = join(parent, 'data')
      const db = openDb(dbPath(dir))
      db.exec('CREATE TABLE t (x)')
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      expect(statSync(dbPath(dir)).mode & 0o777).toBe(0o600)
      expect(statSync(dbPath(dir) + '-wal').mode & 0o777).toBe(0o600)
      db.close()
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })
})

describe('headers', () => {
  it('Permissions-Policy allows geolocation for the app only, and no camera or microphone', async () => {
    const res = await s.request('GET', '/api/health')
    expect(res.headers.get('permissions-policy')).toBe('geolocation=(self), camera=(), microphone=()')
  })

  it('the API guard\'s own 403 and 415 answers are not cacheable', async () => {
    const cross = await s.request('POST', '/api/auth/login', { body: { username: 'a', password: 'b' }, headers: { origin: 'https://evil.example' } })
    expect(cross.status).toBe(403)
    expect(cross.headers.get('cache-control')).toBe('no-store')
    const form = await s.request('POST', '/api/auth/login', { body: 'username=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(form.status).toBe(415)
    expect(form.headers.get('cache-control')).toBe('no-store')
  })
})
