import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PASSWORD, jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { createOrganisation, createUser } from '../services/accounts.ts'

let s: TestServer
beforeEach(async () => { s = await testServer() })
afterEach(() => s.close())

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!
const codeOf = async (res: Response) => (await jsonOf(res)).error.code

async function newDeskUser(username: string, roles: Array<'reviewer' | 'analyst' | 'admin'> = ['reviewer']) {
  const org = createOrganisation(s.db, { name: 'Stadsdelen', kind: 'municipal' })
  await createUser(s.db, { username, organisationId: org.id, roles, password: PASSWORD })
}

describe('second factor: enrolment at first sign-in', () => {
  it('a desk user without a second factor gets a session that may only enrol', async () => {
    await newDeskUser('granskare')
    const login = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD } })
    expect(login.status).toBe(200)
    expect(await jsonOf(login)).toMatchObject({ username: 'granskare', mustEnrolSecondFactor: true, secondFactorRequired: true })
    const cookie = cookieOf(login)
    expect(await jsonOf(await s.request('GET', '/api/auth/me', { cookie }))).toMatchObject({ mustEnrolSecondFactor: true })
    const queue = await s.request('GET', '/api/reports', { cookie })
    expect(queue.status).toBe(403)
    expect(await codeOf(queue)).toBe('second_factor_enrolment_required')
    const pull = await s.request('GET', '/api/sync/pull?cursor=0', { cookie })
    expect(await codeOf(pull)).toBe('second_factor_enrolment_required')

    const enrol = await s.request('POST', '/api/auth/totp/enrol', { cookie, body: {} })
    expect(enrol.status).toBe(200)
    const { secret, otpauthUrl } = await jsonOf<{ secret: string; otpauthUrl: string }>(enrol)
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/L%C3%A4gesbild:granskare\?.*secret=/)
    expect(otpauthUrl).toContain('algorithm=SHA1&digits=6&period=30')

    s.totp.add('granskare', secret)
    const wrong = await s.request('POST', '/api/auth/totp/confirm', { cookie, body: { code: '000000' === s.totp.at('granskare', Math.floor(s.clock.now() / 30_000)) ? '111111' : '000000' } })
    expect(wrong.status).toBe(400)
    expect(await codeOf(wrong)).toBe('second_factor_invalid')
    expect((await s.request('GET', '/api/reports', { cookie })).status).toBe(403)

    const code = s.totp.next('granskare')
    const confirm = await s.request('POST', '/api/auth/totp/confirm', { cookie, body: { code } })
    expect(confirm.status).toBe(200)
    const { recoveryCodes } = await jsonOf<{ recoveryCodes: string[] }>(confirm)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    // Stored hashed: no code appears in the database.
    expect(JSON.stringify(snapshot(s.db))).not.toContain(recoveryCodes[0]!.replace(/-/g, ''))
    expect(JSON.stringify(snapshot(s.db))).not.toContain(recoveryCodes[0]!)

    // The same session is now a full one.
    expect((await s.request('GET', '/api/reports', { cookie })).status).toBe(200)
    expect(await jsonOf(await s.request('GET', '/api/auth/me', { cookie }))).toMatchObject({ mustEnrolSecondFactor: false })
    // The confirming code is used up: it does not sign in.
    const replay = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, totp: code } })
    expect(replay.status).toBe(401)
    expect(await codeOf(replay)).toBe('second_factor_invalid')
    // Enrolling again is refused once confirmed (an admin resets it).
    expect((await s.request('POST', '/api/auth/totp/enrol', { cookie, body: {} })).status).toBe(409)
  })
})

describe('second factor: sign-in', () => {
  it('enrolled: no code → second_factor_required; wrong → second_factor_invalid; right → 200; a code never twice', async () => {
    await s.signIn('granskare', ['reviewer'])
    const base = { username: 'granskare', password: PASSWORD }
    const none = await s.request('POST', '/api/auth/login', { body: base })
    expect(none.status).toBe(401)
    expect(await codeOf(none)).toBe('second_factor_required')
    expect(none.headers.get('set-cookie')).toBeNull()

    const right = s.totp.next('granskare')
    const wrongCode = right === '123456' ? '654321' : '123456'
    const wrong = await s.request('POST', '/api/auth/login', { body: { ...base, totp: wrongCode } })
    expect(wrong.status).toBe(401)
    expect(await codeOf(wrong)).toBe('second_factor_invalid')
    expect(wrong.headers.get('set-cookie')).toBeNull()

    const ok = await s.request('POST', '/api/auth/login', { body: { ...base, totp: right } })
    expect(ok.status).toBe(200)
    expect(await jsonOf(ok)).toMatchObject({ username: 'granskare', mustEnrolSecondFactor: false })
    expect((await s.request('GET', '/api/reports', { cookie: cookieOf(ok) })).status).toBe(200)

    const again = await s.request('POST', '/api/auth/login', { body: { ...base, totp: right } })
    expect(again.status).toBe(401)
    expect(await codeOf(again)).toBe('second_factor_invalid')
    // An older code (still inside the window) is refused too once a newer one was accepted.
    const older = s.totp.at('granskare', Math.floor(s.clock.now() / 30_000) - 1)
    expect((await s.request('POST', '/api/auth/login', { body: { ...base, totp: older } })).status).toBe(401)
  })

  it('a wrong password with a right code is still bad_credentials, and uses nothing up', async () => {
    await s.signIn('granskare', ['reviewer'])
    const code = s.totp.next('granskare')
    const res = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: 'wrong password!', totp: code } })
    expect(await codeOf(res)).toBe('bad_credentials')
    expect((await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, totp: code } })).status).toBe(200)
  })

  it('a recovery code signs in once', async () => {
    await s.signIn('granskare', ['reviewer'])
    const [first, second] = s.recoveryCodes.get('granskare')!
    const body = { username: 'granskare', password: PASSWORD }
    expect((await s.request('POST', '/api/auth/login', { body: { ...body, recoveryCode: first!.toUpperCase() } })).status).toBe(200)
    const reused = await s.request('POST', '/api/auth/login', { body: { ...body, recoveryCode: first } })
    expect(reused.status).toBe(401)
    expect(await codeOf(reused)).toBe('second_factor_invalid')
    expect((await s.request('POST', '/api/auth/login', { body: { ...body, recoveryCode: second } })).status).toBe(200)
    const status = await jsonOf<{ recoveryCodesLeft: number }>(await s.request('GET', '/api/auth/second-factor', { cookie: (await s.signIn('x1', ['reviewer'])).cookie }))
    expect(status.recoveryCodesLeft).toBe(10)
  })

  it('both a code and a recovery code, or a malformed code, is a 400 naming the field', async () => {
    await s.signIn('granskare', ['reviewer'])
    const both = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, totp: '123456', recoveryCode: 'abcd-efgh-jkmn' } })
    expect(both.status).toBe(400)
    expect((await jsonOf(both)).error.field).toBe('recoveryCode')
    const short = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, totp: '12345' } })
    expect(short.status).toBe(400)
    expect((await jsonOf(short)).error.field).toBe('totp')
    const extra = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, otp: '123456' } })
    expect(extra.status).toBe(400)
  })

  it('a reporter signs in with the password alone; a totp field for them is refused, never ignored', async () => {
    await s.signIn('vakt1', ['reporter'])
    const plain = await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: PASSWORD } })
    expect(plain.status).toBe(200)
    expect(await jsonOf(plain)).toMatchObject({ mustEnrolSecondFactor: false, secondFactorRequired: false })
    const withCode = await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: PASSWORD, totp: '123456' } })
    expect(withCode.status).toBe(400)
    expect(await jsonOf(withCode)).toMatchObject({ error: { code: 'second_factor_not_enrolled', field: 'totp' } })
    expect(withCode.headers.get('set-cookie')).toBeNull()
  })
})

describe('second factor: organisations and admin reset', () => {
  it('an admin turns the second factor on for an organisation: its reporters must enrol, others not', async () => {
    const admin = await s.signIn('boss', ['admin'], 'Kommunen')
    const guard = await s.signIn('vakt1', ['reporter'], 'Vaktbolaget')
    const other = await s.signIn('polis1', ['reporter'], 'Polisen')
    const orgId = s.db.prepare(`SELECT id FROM organisations WHERE name = 'Vaktbolaget'`).pluck().get() as number

    const bad = await s.request('PATCH', `/api/admin/organisations/${orgId}`, { cookie: admin.cookie, body: { requireSecondFactor: 'yes' } })
    expect(bad.status).toBe(400)
    const on = await s.request('PATCH', `/api/admin/organisations/${orgId}`, { cookie: admin.cookie, body: { requireSecondFactor: true } })
    expect(on.status).toBe(200)
    expect(await jsonOf(on)).toMatchObject({ id: orgId, requireSecondFactor: true })
    expect((await s.request('GET', '/api/admin/organisations', { cookie: admin.cookie })).status).toBe(200)

    const pull = await s.request('GET', '/api/sync/pull?cursor=0', { cookie: guard.cookie })
    expect(await codeOf(pull)).toBe('second_factor_enrolment_required')
    // The session says so, so the phone's menu links to the second-factor page for them too.
    expect(await jsonOf(await s.request('GET', '/api/auth/me', { cookie: guard.cookie }))).toMatchObject({ mustEnrolSecondFactor: true, secondFactorRequired: true })
    expect(await jsonOf(await s.request('GET', '/api/auth/me', { cookie: other.cookie }))).toMatchObject({ secondFactorRequired: false })
    expect((await s.request('GET', '/api/sync/pull?cursor=0', { cookie: other.cookie })).status).toBe(200)
    const audit = s.db.prepare(`SELECT actor_id, detail FROM audit_events WHERE action = 'organisation_second_factor'`).all()
    expect(audit).toEqual([{ actor_id: admin.userId, detail: JSON.stringify({ requireSecondFactor: true }) }])

    expect((await s.request('PATCH', `/api/admin/organisations/${orgId}`, { cookie: admin.cookie, body: { requireSecondFactor: false } })).status).toBe(200)
    expect((await s.request('GET', '/api/sync/pull?cursor=0', { cookie: guard.cookie })).status).toBe(200)
    expect((await s.request('PATCH', `/api/admin/organisations/${orgId}`, { cookie: guard.cookie, body: { requireSecondFactor: true } })).status).toBe(403)
  })

  it('an admin resets a user\'s second factor: sessions end, the next sign-in enrols again, audited', async () => {
    const admin = await s.signIn('boss', ['admin'])
    const reviewer = await s.signIn('granskare', ['reviewer'])
    const users = await jsonOf<Array<{ username: string; secondFactorEnrolled: boolean }>>(await s.request('GET', '/api/admin/users', { cookie: admin.cookie }))
    expect(users.find(u => u.username === 'granskare')?.secondFactorEnrolled).toBe(true)

    expect((await s.request('POST', `/api/admin/users/${reviewer.userId}/second-factor/reset`, { cookie: reviewer.cookie, body: {} })).status).toBe(403)
    expect((await s.request('POST', '/api/admin/users/9999/second-factor/reset', { cookie: admin.cookie, body: {} })).status).toBe(404)
    const reset = await s.request('POST', `/api/admin/users/${reviewer.userId}/second-factor/reset`, { cookie: admin.cookie, body: {} })
    expect(reset.status).toBe(200)
    expect(await jsonOf(reset)).toMatchObject({ username: 'granskare', secondFactorEnrolled: false })
    expect((await s.request('GET', '/api/auth/me', { cookie: reviewer.cookie })).status).toBe(401)

    const login = await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD } })
    expect(await jsonOf(login)).toMatchObject({ mustEnrolSecondFactor: true })
    const recovery = s.recoveryCodes.get('granskare')![0]!
    expect((await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, recoveryCode: recovery } })).status).toBe(400)
    const rows = s.db.prepare(`SELECT actor_id, target FROM audit_events WHERE action = 'second_factor_reset'`).all()
    expect(rows).toEqual([{ actor_id: admin.userId, target: 'granskare' }])
  })
})

describe('audit of sign-ins', () => {
  it('records logins, logouts, enrolment and failures; failed sign-ins at most once a minute per account and address', async () => {
    const { cookie } = await s.signIn('granskare', ['reviewer'])
    const actions = () => s.db.prepare('SELECT action FROM audit_events ORDER BY id').pluck().all()
    expect(actions()).toEqual(['login', 'second_factor_enrol_started', 'second_factor_enrolled'])
    for (let i = 0; i < 4; i++) await s.request('POST', '/api/auth/login', { body: { username: '  ＧＲＡＮＳＫＡＲＥ ', password: `wrong ${i}` } })
    await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: PASSWORD, totp: '000000' === s.totp.next('granskare') ? '111111' : '000000' } })
    await s.request('POST', '/api/auth/logout', { cookie, body: {} })
    expect(actions()).toEqual(['login', 'second_factor_enrol_started', 'second_factor_enrolled', 'login_failed', 'second_factor_failed', 'logout'])
    const failed = s.db.prepare(`SELECT target, detail FROM audit_events WHERE action = 'login_failed'`).get() as { target: string; detail: string }
    expect(failed.target).toBe('granskare')
    expect(JSON.parse(failed.detail)).toEqual({ reason: 'bad_credentials', failures: 1 })

    // A minute later the next row carries the three that were not written.
    s.clock.advance(61_000)
    await s.request('POST', '/api/auth/login', { body: { username: 'granskare', password: 'wrong again' } })
    const rows = s.db.prepare(`SELECT detail FROM audit_events WHERE action = 'login_failed' ORDER BY id`).pluck().all() as string[]
    expect(rows.map(r => JSON.parse(r) as { failures: number }).map(r => r.failures)).toEqual([1, 4])
  })

  it('stores a long or odd username bounded and normalised', async () => {
    await s.request('POST', '/api/auth/login', { body: { username: 'Ａ'.repeat(100), password: 'whatever it is' } })
    const target = s.db.prepare(`SELECT target FROM audit_events WHERE action = 'login_failed'`).pluck().get() as string
    expect(target).toBe('a'.repeat(64))
  })
})
