import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIpList } from '../services/ip-list.ts'
import { createLogger } from '../services/logger.ts'
import { PASSWORD, jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { createOp, newDraft, push } from '../../test/sync-ops.ts'

const lines: string[] = []
const capture = { write: (line: string) => { lines.push(line) } }

let s: TestServer
let reporter: string
let admin: string
beforeAll(async () => {
  s = await testServer({
    config: { metricsAllow: parseIpList('10.0.0.0/8', 'METRICS_ALLOW'), trustedProxies: parseIpList('127.0.0.1', 'TRUSTED_PROXIES') },
    deps: { log: createLogger('info', capture) },
  })
  reporter = (await s.signIn('vakt1', ['reporter'])).cookie
  // A desk role: signIn passes the second factor (TOTP enrolment through the API), as an admin does.
  admin = (await s.signIn('chef', ['admin'])).cookie
})
afterAll(() => s.close())

type Line = Record<string, unknown>
const parsed = () => lines.map(l => JSON.parse(l) as Line)

describe('structured request logs', () => {
  it('writes one JSON line per request with id, method, route pattern, status and duration', async () => {
    lines.length = 0
    const res = await s.request('GET', '/api/reports/0190a0a0-0000-7000-8000-000000000000?secret=query', { cookie: reporter, headers: { 'x-request-id': 'proxy-abc.123' } })
    expect(res.headers.get('x-request-id')).toBe('proxy-abc.123')
    const [line, ...rest] = parsed().filter(l => l.msg === 'request')
    expect(rest).toEqual([])
    expect(line).toMatchObject({ reqId: 'proxy-abc.123', method: 'GET', route: '/api/reports/:id', status: res.status, level: 30, service: 'lagesbild' })
    expect(line!.ms).toEqual(expect.any(Number))
    expect(JSON.stringify(line)).not.toContain('secret=query')
    expect(JSON.stringify(line)).not.toContain('0190a0a0')
  })

  it('makes a request id when none (or an unsafe one) comes in', async () => {
    lines.length = 0
    const a = await s.request('GET', '/api/health')
    const b = await s.request('GET', '/api/health', { headers: { 'x-request-id': 'bad id\twith "quotes" and spaces' } })
    const ids = [a.headers.get('x-request-id'), b.headers.get('x-request-id')]
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(ids[0]).not.toBe(ids[1])
    expect(parsed().map(l => l.reqId)).toEqual(ids)
  })

  it('never logs a password, token, cookie or free text', async () => {
    lines.length = 0
    const secretText = 'Hemlig fritext om Kalle Anka 19121212-1212'
    const login = await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: PASSWORD } })
    const setCookie = login.headers.get('set-cookie')!
    const cookie = setCookie.split(';')[0]!
    const token = cookie.split('=')[1]!
    await push(s, cookie, [createOp(newDraft({ description: secretText }))])
    await s.request('POST', '/api/auth/login', { body: { username: 'vakt1', password: 'a wrong passphrase here' } })
    await s.request('POST', '/api/sync/push', { cookie, body: '{"schemaVersion": 2, "ops": [' })
    const all = lines.join('\n')
    expect(parsed().map(l => `${l.method as string} ${l.route as string} ${l.status as number}`)).toEqual([
      'POST /api/auth/login 200', 'POST /api/sync/push 200', 'POST /api/auth/login 401', 'POST /api/sync/push 400',
    ])
    for (const secret of [PASSWORD, 'a wrong passphrase here', token, 'lb_session', secretText, 'Kalle', 'vakt1']) expect(all).not.toContain(secret)
  })

  it('logs the route pattern of unknown API routes and of the app\'s pages, not their paths', async () => {
    lines.length = 0
    await s.request('GET', '/api/no/such/thing')
    expect(parsed()[0]).toMatchObject({ route: '/api/*', status: 404 })
  })
})

describe('GET /api/metrics', () => {
  it('answers an admin with Prometheus text: requests, latency, push outcomes, queue, database, WAL, event-loop lag', async () => {
    const cookie = (await s.signIn('vakt2', ['reporter'])).cookie
    await push(s, cookie, [createOp(newDraft()), createOp(newDraft()), { opId: 'x', kind: 'create' }])
    const res = await s.request('GET', '/api/metrics', { cookie: admin })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1])
    expect(value(/^lagesbild_push_ops_total\{outcome="applied"\} (\d+)$/m)).toBeGreaterThanOrEqual(2)
    expect(value(/^lagesbild_push_ops_total\{outcome="rejected"\} (\d+)$/m)).toBeGreaterThanOrEqual(1)
    expect(text).toMatch(/^lagesbild_http_requests_total\{method="POST",route="\/api\/sync\/push",status="200"\} \d+$/m)
    expect(text).toMatch(/^lagesbild_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/api\/sync\/push"\} \d+$/m)
    const queue = s.db.prepare(`SELECT count(*) FROM reports WHERE status = 'submitted'`).pluck().get() as number
    expect(value(/^lagesbild_review_queue_length (\d+)$/m)).toBe(queue)
    expect(value(/^lagesbild_database_bytes (\d+)$/m)).toBeGreaterThan(0)
    expect(text).toMatch(/^lagesbild_wal_bytes \d+$/m)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m)
    // Route patterns only: a concrete report id never becomes a label.
    expect(text).not.toMatch(/route="\/api\/reports\/[0-9a-f]{8}/)
  })

  it('answers an address in METRICS_ALLOW without a session, also when a trusted proxy forwards it', async () => {
    expect((await s.request('GET', '/api/metrics', { from: '10.1.2.3' })).status).toBe(200)
    expect((await s.request('GET', '/api/metrics', { from: '::ffff:10.1.2.3' })).status).toBe(200)
    expect((await s.request('GET', '/api/metrics', { from: '::ffff:127.0.0.1', headers: { 'x-forwarded-for': '10.9.9.9' } })).status).toBe(200)
  })

  it('refuses everyone else: no session 401, a reporter 403, a spoofed forward 401', async () => {
    expect((await s.request('GET', '/api/metrics', { from: '192.0.2.1' })).status).toBe(401)
    expect((await s.request('GET', '/api/metrics')).status).toBe(401)
    expect((await s.request('GET', '/api/metrics', { from: '192.0.2.1', headers: { 'x-forwarded-for': '10.9.9.9' } })).status).toBe(401)
    const r = await s.request('GET', '/api/metrics', { cookie: reporter, from: '192.0.2.1' })
    expect(r.status).toBe(403)
    expect(await r.text()).not.toContain('lagesbild_')
  })

  it('is declared in the route table with who may call it', async () => {
    const doc = await jsonOf<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(await s.request('GET', '/api/openapi.json'))
    expect(doc.paths['/api/metrics']!.get).toMatchObject({ 'x-access': ['admin'], 'x-access-addresses': 'METRICS_ALLOW' })
    expect(doc.paths['/api/health/live']!.get!['x-access']).toBe('public')
    expect(doc.paths['/api/health/ready']!.get!['x-access']).toBe('public')
  })
})

describe('health', () => {
  it('liveness answers, readiness checks the database, migrations and disk', async () => {
    expect(await jsonOf(await s.request('GET', '/api/health/live'))).toEqual({ status: 'ok' })
    const ready = await s.request('GET', '/api/health/ready')
    expect(ready.status).toBe(200)
    expect(await jsonOf(ready)).toMatchObject({ status: 'ok', checks: { database: { ok: true }, migrations: { ok: true }, disk: { ok: true } } })
    expect((await s.request('GET', '/api/health')).status).toBe(200)
  })

  it('readiness answers 503 and says why when the disk is too full or the schema is behind', async () => {
    const t = await testServer({ config: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } })
    try {
      const full = await t.request('GET', '/api/health/ready')
      expect(full.status).toBe(503)
      const body = await jsonOf<{ status: string; checks: Record<string, { ok: boolean; detail: string }> }>(full)
      expect(body.status).toBe('unavailable')
      expect(body.checks.disk).toMatchObject({ ok: false, detail: expect.stringContaining('MIN_FREE_DISK_MB') })
      const version = t.db.pragma('user_version', { simple: true }) as number
      t.db.pragma(`user_version = ${version - 1}`)
      const behind = await jsonOf<{ checks: Record<string, { ok: boolean; detail: string }> }>(await t.request('GET', '/api/health/ready'))
      expect(behind.checks.migrations).toEqual({ ok: false, detail: `schema ${version - 1}, this code expects ${version}` })
      expect((await t.request('GET', '/api/health/live')).status).toBe(200)
    } finally {
      t.close()
    }
  })
})
