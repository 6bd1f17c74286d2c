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
  /** Creates a user (and the organisation when new) and returns a signed-in session cookie. */
  signIn(username: string, roles: Role[], orgName?: string): Promise<{ cookie: string; userId: number; organisationId: number }>
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
  const app = createApp({ ...deps, ...options.deps })

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
    return { cookie, userId: user.id, organisationId }
  }

  return { app, db, dir, request, signIn, close: () => { db.close(); rmSync(dir, { recursive: true, force: true }) } }
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
