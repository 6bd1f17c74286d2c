import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PASSWORD, jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { listen, post, type Answer, type Listening } from '../../test/listen.ts'
import { DEFAULT_THROTTLE, createLoginThrottle } from './throttle.ts'

let s: TestServer
let server: Listening
beforeEach(async () => {
  s = await testServer()
  s.clock.freeze()
  server = await listen(s.app)
})
afterEach(async () => {
  await server.close()
  s.close()
})

const tally = (answers: Answer[]) => answers.reduce<Record<number, number>>((t, a) => ({ ...t, [a.status]: (t[a.status] ?? 0) + 1 }), {})
const login = (body: object, from?: string) => post(server.port, '/api/auth/login', body, from)

describe('login throttling under concurrency (a real server, real parallel connections)', () => {
  it('40 parallel wrong passwords for one account from one address: only 5 are checked, the rest are 429 with Retry-After', async () => {
    await s.signIn('boss', ['admin'])
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login({ username: 'boss', password: `guess number ${i}` })))
    expect(tally(answers)).toEqual({ 401: 5, 429: 35 })
    for (const a of answers.filter(a => a.status === 429)) {
      expect(a.code).toBe('too_many_attempts')
      expect(Number(a.retryAfter)).toBeGreaterThan(0)
    }
    // The attacker's address is locked out, even with the password; the admin at another address is not.
    expect((await login({ username: 'boss', password: PASSWORD })).status).toBe(429)
    const fromAdmin = await login({ username: 'boss', password: PASSWORD, totp: s.totp.next('boss') }, '127.0.0.2')
    expect(fromAdmin.status).toBe(200)
  })

  it('the back-off is short at first and doubles: after it, one attempt at a time is checked again', async () => {
    await s.signIn('boss', ['admin'])
    for (let i = 0; i < 5; i++) expect((await login({ username: 'boss', password: `guess ${i}` })).status).toBe(401)
    const locked = await login({ username: 'boss', password: PASSWORD })
    expect(locked.status).toBe(429)
    expect(Number(locked.retryAfter)).toBe(30)
    s.clock.advance(30_000)
    // Back-off over: of ten parallel attempts, one is checked.
    expect(tally(await Promise.all(Array.from({ length: 10 }, (_, i) => login({ username: 'boss', password: `again ${i}` }))))).toEqual({ 401: 1, 429: 9 })
    expect(Number((await login({ username: 'boss', password: PASSWORD })).retryAfter)).toBe(60)
    s.clock.advance(60_000)
    const back = await login({ username: 'boss', password: PASSWORD, totp: s.totp.next('boss') })
    expect(back.status).toBe(200)
    // A full sign-in forgets the pair's failures.
    expect((await login({ username: 'boss', password: 'one more wrong' })).status).toBe(401)
  })

  it('120 parallel wrong passwords from one address across accounts: never more than 50 are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => login({ username: `user${i}`, password: 'password guess' }, '127.0.0.3')))
    const checked = answers.filter(a => a.status === 401).length
    expect(checked).toBeGreaterThan(0)
    expect(checked).toBeLessThanOrEqual(50)
    expect(checked + answers.filter(a => a.status === 429 && Number(a.retryAfter) > 0).length).toBe(120)
    // Two at a time (under the hash cap), the address gets exactly 50 checked failures in the window, then only 429.
    let total = checked
    for (let i = 120; total < 60; i += 2) {
      const pair = await Promise.all([login({ username: `user${i}`, password: 'password guess' }, '127.0.0.3'), login({ username: `user${i + 1}`, password: 'password guess' }, '127.0.0.3')])
      total += pair.filter(a => a.status === 401).length
      if (pair.some(a => a.status === 429)) break
    }
    expect(total).toBe(50)
    // Another address is unaffected.
    expect((await login({ username: 'user1', password: 'password guess' }, '127.0.0.4')).status).toBe(401)
  }, 120_000)

  it('the current password in "change password" is guarded by the same throttle', async () => {
    const { cookie } = await s.signIn('vakt1', ['reporter'])
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      post(server.port, '/api/auth/password', { currentPassword: `not it ${i}`, newPassword: 'a brand new passphrase' }, '127.0.0.1', cookie)))
    expect(tally(answers)).toEqual({ 400: 5, 429: 7 })
    expect(answers.filter(a => a.status === 429).every(a => Number(a.retryAfter) > 0)).toBe(true)
  })
})

describe('the cap on concurrent password hashes', () => {
  it('beyond two running and sixteen waiting, a sign-in is told to come back (429 busy, Retry-After) instead of queueing', async () => {
    // Warm the dummy hash used for unknown usernames, then start 40 sign-ins in the same tick: every one of
    // them reaches the cap before the first hash can finish, so the counts do not depend on speed.
    await s.request('POST', '/api/auth/login', { body: { username: 'warm-up', password: 'anything at all' } })
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      s.request('POST', '/api/auth/login', { body: { username: `nobody${i}`, password: 'anything at all' } })))
    expect(tally(answers.map(r => ({ status: r.status, retryAfter: null, code: null, cookie: null })))).toEqual({ 401: 18, 429: 22 })
    const busy = answers.find(r => r.status === 429)!
    expect(busy.headers.get('retry-after')).toBe('1')
    expect((await jsonOf(busy)).error.code).toBe('busy')
  })
})

describe('forgetAccount (an admin gave the account a new password)', () => {
  it('lifts that account\'s back-off from every address, but not another account\'s, nor an address\'s cap', () => {
    const throttle = createLoginThrottle({ ...DEFAULT_THROTTLE, maxPerAddress: 6 })
    const fail = (account: string, address: string, times: number) => {
      for (let i = 0; i < times; i++) {
        const admission = throttle.begin(account, address, 1000)
        if (!admission.ok) throw new Error(`${account} from ${address} was refused at failure ${i + 1}`)
        admission.attempt.failed(1000)
      }
    }
    fail('vakt1', '198.51.100.1', 5)
    fail('vakt10', '198.51.100.2', 5)
    fail('vakt1', '198.51.100.3', 5)
    fail('anna', '198.51.100.3', 1)
    for (const [account, address] of [['vakt1', '198.51.100.1'], ['vakt10', '198.51.100.2'], ['vakt1', '198.51.100.3']] as const) {
      expect(throttle.begin(account, address, 1000).ok).toBe(false)
    }
    throttle.forgetAccount('vakt1')
    expect(throttle.begin('vakt1', '198.51.100.1', 1000).ok).toBe(true)
    expect(throttle.begin('vakt10', '198.51.100.2', 1000).ok).toBe(false)
    // Six failures from this address in the window: the address waits, whichever account it tries.
    expect(throttle.begin('vakt1', '198.51.100.3', 1000).ok).toBe(false)
  })
})
