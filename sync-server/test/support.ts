import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Role } from '@lagesbild/domain'
import { createApp, type App } from '../src/app.ts'
import { configFromEnv, type Config } from '../src/config.ts'
import type { Db } from '../src/db/connection.ts'
import type { Deps } from '../src/env.ts'
import { prepare } from '../src/server.ts'
import { createOrganisation, createUser } from '../src/services/accounts.ts'
import { TotpCodes } from './totp-codes.ts'

export const ORIGIN = 'http://localhost'
export const PASSWORD = 'correct horse battery'

export interface TestServer {
  app: App
  db: Db
  dir: string
  /**
   * A JSON request as the PWA makes it, optionally with a session cookie; `from` is the TCP peer's address
   * (app.request has no socket otherwise, and the client address is then "unknown").
   */
  request(method: string, path: string, options?: { body?: unknown; cookie?: string; headers?: Record<string, string>; from?: string }): Promise<Response>
  /**
   * Creates a user (and the organisation when new) and returns a signed-in session cookie. Users who need a
   * second factor (desk roles) enrol TOTP through the API on the way, as a person would at first sign-in;
   * their secret and recovery codes are kept in `totp` and `recoveryCodes`.
   */
  signIn(username: string, roles: Role[], orgName?: string): Promise<{ cookie: string; userId: number; organisationId: number }>
  /** Enrols TOTP for a password-only session that must enrol (as a person does at first sign-in). */
  enrolTotp(username: string, cookie: string): Promise<void>
  /** Signs an existing user in again through POST /api/auth/login, with a fresh TOTP code when enrolled. */
  login(username: string, password?: string): Promise<Response>
  /** The test's clock (deps.now): real time plus whatever the TOTP helper skipped forward. */
  clock: { now(): number; advance(ms: number): void; freeze(): void }
  /** TOTP secrets of enrolled users; `totp.next(username)` is a code not used before. */
  totp: TotpCodes
  recoveryCodes: Map<string, string[]>
  close(): void
}

/**
 * A real app on a real SQLite file in a temp folder; call close() in afterEach/afterAll. `config` overrides
 * settings (PUBLIC_ORIGIN, TRUSTED_PROXIES …), `deps` adds a logger.
 */
export async function testServer(options: { config?: Partial<Config>; deps?: Pick<Deps, 'log'> } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lagesbild-test-'))
  const config = { ...configFromEnv({}), dataDir: dir, staticDir: null, tileUrl: '', publicOrigin: ORIGIN, ...options.config }
  const { deps, db } = await prepare(config)
  let skew = 0
  let frozen: number | null = null
  const clock = {
    now: () => frozen ?? Date.now() + skew,
    advance: (ms: number) => { if (frozen !== null) frozen += ms; else skew += ms },
    /** Stops the clock, so a test about back-off cannot depend on how fast the machine is. */
    freeze: () => { frozen = Date.now() + skew },
  }
  const app = createApp({ ...deps, now: clock.now, ...options.deps })
  const totp = new TotpCodes(clock)
  const recoveryCodes = new Map<string, string[]>()

  const request: TestServer['request'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { origin: ORIGIN, ...options.headers }
    if (options.cookie) headers.cookie = options.cookie
    let body: string | undefined
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json'
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    }
    const env = options.from ? { incoming: { socket: { remoteAddress: options.from, remotePort: 40000, remoteFamily: options.from.includes(':') ? 'IPv6' : 'IPv4' } } } : undefined
    return Promise.resolve(app.request(ORIGIN + path, { method, headers, ...(body !== undefined ? { body } : {}) }, env))
  }

  const signIn: TestServer['signIn'] = async (username, roles, orgName = 'Vaktbolaget') => {
    const existing = db.prepare('SELECT id FROM organisations WHERE name = ?').pluck().get(orgName) as number | undefined
    const organisationId = existing ?? createOrganisation(db, { name: orgName, kind: 'security' }).id
    const { user } = await createUser(db, { username, organisationId, roles, password: PASSWORD })
    const res = await request('POST', '/api/auth/login', { body: { username, password: PASSWORD } })
    if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    if ((await jsonOf<{ mustEnrolSecondFactor: boolean }>(res)).mustEnrolSecondFactor) await enrolTotp(username, cookie)
    return { cookie, userId: user.id, organisationId }
  }

  /** Enrols TOTP for the session's user through the API; the same session becomes a full one. */
  async function enrolTotp(username: string, cookie: string): Promise<void> {
    const enrol = await request('POST', '/api/auth/totp/enrol', { cookie, body: {} })
    if (enrol.status !== 200) throw new Error(`TOTP enrolment of ${username} failed: ${enrol.status} ${await enrol.text()}`)
    totp.add(username, (await jsonOf<{ secret: string }>(enrol)).secret)
    const confirm = await request('POST', '/api/auth/totp/confirm', { cookie, body: { code: totp.next(username) } })
    if (confirm.status !== 200) throw new Error(`TOTP confirmation of ${username} failed: ${confirm.status} ${await confirm.text()}`)
    recoveryCodes.set(username, (await jsonOf<{ recoveryCodes: string[] }>(confirm)).recoveryCodes)
  }

  const login: TestServer['login'] = (username, password = PASSWORD) =>
    request('POST', '/api/auth/login', { body: { username, password, ...(totp.has(username) ? { totp: totp.next(username) } : {}) } })

  return {
    app, db, dir, request, signIn, login, enrolTotp, clock, totp, recoveryCodes,
    close: () => { db.close(); rmSync(dir, { recursive: true, force: true }) },
  }
}

/**
 * Every row of every table, to show that a rejected request changed nothing. The audit log's record of a refusal
 * (403, 429: middleware/audit-denials.ts) is left out: recording it is all a refused request is meant to change.
 */
export function snapshot(db: Db): Record<string, unknown[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]
  return Object.fromEntries(tables.map(t => [t, db.prepare(t === 'audit_events'
    ? `SELECT * FROM audit_events WHERE action NOT IN ('access_denied', 'rate_limited')`
    : `SELECT * FROM "${t}"`).all()]))
}

/** The parsed JSON body, typed as the caller expects it; the assertions that follow check the shape. */
export async function jsonOf<T = { error: { code: string; message: string; field?: string } }>(res: Response): Promise<T> {
  return (await res.json()) as T
}
