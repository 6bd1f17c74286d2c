import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '@lagesbild/domain'
import { createSession, hashToken } from '../auth/session-store.ts'
import { operationsOf, requestFor, type FuzzRequest, type Known, type OpenApi, type Operation } from '../../test/fuzz/requests.ts'
import { ORIGIN, testServer, type TestServer } from '../../test/support.ts'
import { amendOp, createOp, newDraft, pushApplied, review } from '../../test/sync-ops.ts'

/*
 * Fuzzing every route of /api/openapi.json: requests generated from the document itself (test/fuzz/requests.ts)
 * with each role's session and signed out. Nothing may answer 5xx, every 4xx is an `{error: {code, message}}`,
 * the app keeps answering, and a rejected (4xx) request leaves the database's content exactly as it was: a hash of
 * every table's rows, ordered. Routes added later are covered as soon as they are in the document.
 *
 * FUZZ_SEED replays a run (the seed is printed first); FUZZ_RUNS changes the number of requests (default 10,500).
 * Bookkeeping that a refused request may legitimately write is left out of the hash, and nothing else: the audit
 * log (append-only, enforced by the database's own triggers; refusals and failed sign-ins are audited) and a
 * session's sliding idle time.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_500)
const BOOKKEEPING: Record<string, string[] | '*'> = { audit_events: '*', sessions: ['last_seen_at'] }
/** Routes that hash a password on most requests get a quarter of the share (~100 ms each); the rest share the remainder. */
const HASHING = new Set(['POST /api/auth/login', 'POST /api/auth/password', 'POST /api/admin/users'])
/** Requests come from a few socket addresses, so the per-address throttle is reached as well. */
const ADDRESSES = ['198.51.100.7', '198.51.100.8', '2001:db8::1', '::ffff:203.0.113.9']

type Identity = 'signed out' | Role
const IDENTITIES: Identity[] = ['signed out', 'reporter', 'reviewer', 'analyst', 'admin']

let s: TestServer
let doc: OpenApi
let operations: Operation[]
let known: Known
const cookies = new Map<Identity, string>()
let signIns = 0
let cookieName = ''

/** A signed-in session of the role (a new user each time, so one the fuzzer ended is simply replaced). */
async function signIn(role: Role): Promise<void> {
  const { cookie } = await s.signIn(`fuzz-${role}-${++signIns}`, [role], role === 'reporter' ? 'Vaktbolaget' : 'Kommunen')
  cookies.set(role, cookie)
  cookieName = cookie.split('=')[0]!
}

/** The fuzzer may sign its own sessions out, disable their users or change their roles: then they are renewed. */
async function ensureSession(identity: Identity): Promise<string | undefined> {
  if (identity === 'signed out') return undefined
  const cookie = cookies.get(identity)
  const alive = cookie && s.db.prepare(`SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id JOIN user_roles r ON r.user_id = u.id
    WHERE s.token_hash = ? AND u.active = 1 AND r.role = ?`).get(hashToken(decodeURIComponent(cookie.split('=')[1]!)), identity)
  if (!alive) {
    // Signed out by the fuzzer: a new session for the same user (no password hash to pay); else a new user.
    const userId = s.db.prepare(`SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.username LIKE 'fuzz-' || ? || '-%' AND u.active = 1 AND r.role = ?
      AND (SELECT count(*) FROM user_roles x WHERE x.user_id = u.id) = 1 AND u.must_change_password = 0 ORDER BY u.id DESC`).pluck().get(identity, identity) as number | undefined
    if (userId !== undefined) cookies.set(identity, `${cookieName}=${createSession(s.db, userId, [identity])}`)
    else await signIn(identity)
    baseline = undefined
  }
  return cookies.get(identity)
}

let hashStatements: Array<{ table: string; all(): unknown[][] }> | undefined
let hashed: { changes: number; hash: string } | undefined
/**
 * SHA-256 over every table's rows in a fixed order, without the bookkeeping columns above. Every write goes through
 * this one connection, and SQLite's total_changes() counts every row a statement (or a trigger) inserted, updated or
 * deleted, rolled back or not: while it stands still the content cannot have changed, and the last hash stands.
 */
function contentHash(): string {
  const changes = s.db.prepare('SELECT total_changes()').pluck().get() as number
  if (hashed?.changes === changes) return hashed.hash
  hashed = { changes, hash: fullHash() }
  return hashed.hash
}

function fullHash(): string {
  hashStatements ??= (s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[])
    .filter(t => BOOKKEEPING[t] !== '*')
    .map(table => {
      const skip = BOOKKEEPING[table] ?? []
      const cols = (s.db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(table) as string[]).filter(c => !skip.includes(c))
      const statement = s.db.prepare(`SELECT ${cols.map(c => `"${c}"`).join(', ')} FROM "${table}" ORDER BY ${cols.map((_, i) => i + 1).join(', ')}`).raw()
      return { table, all: () => statement.all() as unknown[][] }
    })
  const h = createHash('sha256')
  for (const { table, all } of hashStatements) {
    h.update(table)
    for (const row of all()) h.update(JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v)))
  }
  return h.digest('hex')
}

function describeRequest(identity: Identity, req: FuzzRequest): string {
  const body = req.body === undefined ? '' : typeof req.body === 'string' ? req.body : `bytes ${Buffer.from(req.body).toString('hex')}`
  return `${identity}: ${req.method} ${req.url.length > 300 ? req.url.slice(0, 300) + '…' : req.url} [${req.kind}; content-type ${req.contentType}] ${body.length > 500 ? body.slice(0, 500) + `… (${body.length} chars)` : body}`
}

const statuses = new Map<string, Map<number, number>>()
/** The content hash after the last request (recomputed only when something may have changed it). */
let baseline: string | undefined
const timing = { hash: 0, request: 0, session: 0 }
let sent = 0

async function send(identity: Identity, req: FuzzRequest, address: string, counts: Map<number, number>): Promise<void> {
  let t = performance.now()
  const cookie = await ensureSession(identity)
  timing.session += performance.now() - t
  const headers: Record<string, string> = { origin: ORIGIN }
  if (cookie) headers.cookie = cookie
  if (req.contentType) headers['content-type'] = req.contentType
  t = performance.now()
  const before = baseline ?? contentHash()
  timing.hash += performance.now() - t
  t = performance.now()
  const res = await s.app.request(ORIGIN + req.url, { method: req.method, headers, ...(req.body !== undefined ? { body: req.body } : {}) },
    { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' } } })
  const text = await res.text()
  timing.request += performance.now() - t
  counts.set(-1, (counts.get(-1) ?? 0) + performance.now() - t)
  sent++
  counts.set(res.status, (counts.get(res.status) ?? 0) + 1)
  const where = `${describeRequest(identity, req)}\n→ ${res.status} ${text.slice(0, 300)}\nreplay with FUZZ_SEED=${SEED}`
  expect(res.status, where).toBeLessThan(500)
  if (res.status >= 400) {
    let error: { code?: unknown; message?: unknown } | undefined
    try { error = (JSON.parse(text) as { error?: typeof error }).error } catch { /* checked below */ }
    expect(typeof error?.code === 'string' && typeof error.message === 'string', `a ${res.status} without {error: {code, message}}:\n${where}`).toBe(true)
  }
  t = performance.now()
  baseline = contentHash()
  timing.hash += performance.now() - t
  if (res.status >= 400) expect(baseline, `a ${res.status} changed the database:\n${where}`).toBe(before)
}

beforeAll(async () => {
  console.log(`fuzz seed: ${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run --project server sync-server/src/routes/fuzz.test.ts)`)
  s = await testServer()
  for (const role of ['reporter', 'reviewer', 'analyst', 'admin'] as const) await signIn(role)
  // Something for the ids in paths to find: reports in every state, a pending amendment, this week's priorities.
  const reviewerId = s.db.prepare("SELECT id FROM users WHERE username LIKE 'fuzz-reviewer-%'").pluck().get() as number
  const drafts = Array.from({ length: 6 }, (_, i) => newDraft({ description: `Fuzz ${i}`, placeId: 1 + i }))
  await pushApplied(s, cookies.get('reporter')!, drafts.map(createOp))
  review(s.db, drafts[0]!.id, reviewerId, { status: 'approved' })
  review(s.db, drafts[1]!.id, reviewerId, { status: 'needs_info', note: 'Var exakt?' })
  review(s.db, drafts[2]!.id, reviewerId, { status: 'rejected', note: 'Dubblett' })
  await pushApplied(s, cookies.get('reporter')!, [amendOp({ ...drafts[0]!, description: 'Fuzz 0, mer' }, 2)])
  doc = (await (await s.request('GET', '/api/openapi.json')).json()) as OpenApi
  operations = operationsOf(doc)
  const col = (sql: string) => s.db.prepare(sql).pluck().all() as Array<string | number>
  known = {
    strings: [...col('SELECT id FROM reports'), ...col('SELECT code FROM categories'), ...col('SELECT username FROM users')].map(String),
    integers: [...col('SELECT id FROM users'), ...col('SELECT id FROM organisations'), ...col('SELECT id FROM places LIMIT 5'), ...col('SELECT id FROM pending_amendments'), 1, 2].map(Number),
  }
}, 120_000)

afterAll(() => s?.close())

describe('fuzzing every route of /api/openapi.json', () => {
  it(`answers ${RUNS} generated requests with no 5xx, and every refused one changes nothing`, async () => {
    expect(operations.length).toBeGreaterThan(20)
    const hashing = operations.filter(op => HASHING.has(`${op.method} ${op.path}`)).length
    const share = RUNS / (operations.length - hashing * 0.75)
    for (const [index, op] of operations.entries()) {
      const perOperation = Math.ceil(HASHING.has(`${op.method} ${op.path}`) ? share / 4 : share)
      const counts = new Map<number, number>()
      statuses.set(`${op.method} ${op.path}`, counts)
      await fc.assert(fc.asyncProperty(fc.constantFrom(...IDENTITIES), requestFor(op, doc, known), fc.constantFrom(...ADDRESSES), async (identity, req, address) => {
        await send(identity, req, address, counts)
      }), { seed: SEED + index, numRuns: perOperation, endOnFailure: true })
    }
    // Still up and answering.
    expect((await s.request('GET', '/api/health')).status).toBe(200)
    expect(sent).toBeGreaterThanOrEqual(RUNS)
    const summary = [...statuses].map(([op, counts]) => `  ${op}: ${Math.round(counts.get(-1) ?? 0)} ms; ${[...counts].filter(([st]) => st > 0).sort((a, b) => a[0] - b[0]).map(([st, n]) => `${st}×${n}`).join(' ')}`)
    console.log(`fuzz answers per operation:\n${summary.join('\n')}`)
    console.log(`fuzz timing (ms): ${JSON.stringify(Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])))}`)
    console.log(`fuzz: ${sent} requests over ${operations.length} operations × ${IDENTITIES.length} identities, ${signIns} sign-ins (seed ${SEED})`)
  }, 600_000)
})
