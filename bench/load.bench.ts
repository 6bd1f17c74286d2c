// Monday-morning load (DESIGN.md budget): the real server (`npm start`'s process, API only) on a copy of the million
// approved reports, on loopback. 10 analysts page through the summary (the aggregates the summary page asks for, under
// six filters) and 2 export the week (CSV and GeoJSON), continuously; meanwhile, 300 phones come in at once, each
// pushing the week's 20 reports in one batch and then pulling. Driven by autocannon; every response time is kept per
// route, so p50/p99 are exact. Budget: 0 errors (transport errors, timeouts, non-2xx, a push op not applied, a pull
// without the phone's reports), server RSS ≤ 250 MB (VmRSS of the server process, sampled from /proc). Also reported:
// the server's event-loop delay over the load, from the server's own /api/metrics (prom-client's event-loop gauges, a
// perf_hooks histogram that every scrape reads and starts afresh: scraped once as the load starts, once as it ends).
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Client as CannonClient, type Request as CannonRequest } from 'autocannon'
import { uuidv7, type OpResult, type PullResponse } from '@lagesbild/domain'
import { createSession } from '../sync-server/src/auth/session-store.ts'
import { configFromEnv } from '../sync-server/src/config.ts'
import { dbPath, openDb } from '../sync-server/src/db/connection.ts'
import { prepare } from '../sync-server/src/server.ts'
import { createUser } from '../sync-server/src/services/accounts.ts'
import { anyMillionReports } from './million.ts'
import { startServerProcess } from './server-process.ts'
import { machine, median, percentile, writeResult } from './support.ts'

const PHONES = 300
const REPORTS_PER_PHONE = 20
const ANALYSTS = Number(process.env.LOAD_ANALYSTS ?? 10)
const EXPORTERS = Number(process.env.LOAD_EXPORTERS ?? 2)
/** How long the analysts and exports run; the phones arrive STORM_AT seconds in. */
const SECONDS = Number(process.env.LOAD_SECONDS ?? 40)
const STORM_AT = 5
/**
 * Pacing: an analyst's summary page asks for its ~10 aggregates when a filter changes, say every 5 s — 2 requests/s
 * per analyst; an exporter starts an export at most once a second. LOAD_PACED=0 drops the pacing: every connection
 * sends its next request the moment the previous one is answered (a hammer, not ten people).
 */
const PACED = process.env.LOAD_PACED !== '0'
const BUDGET = { errors: 0, rssMB: 250 }

const FILTERS = ['', 'category=drugs', 'week=2026-W47', 'org=3&weekday=6&weekday=7', 'hourFrom=22&hourTo=4', 'bbox=12.685,56.038,12.700,56.050&from=2026-09-01&to=2026-11-24']
// What the summary page asks for when a filter changes.
const SUMMARY = ['total', 'categories', 'trend?weeks=12', 'weekday-hour', 'places', 'grid?cell=250', 'hotspots', 'change', 'reports?pageSize=50', 'points?limit=10000']
const ANALYST_PATHS = FILTERS.flatMap(f => SUMMARY.map(a => {
  const [route, own] = a.split('?')
  const q = [own, f].filter(Boolean).join('&')
  return { route: `GET /api/stats/${route}`, path: `/api/stats/${route}${q ? '?' + q : ''}` }
}))
const EXPORT_PATHS = [
  { route: 'GET /api/export/reports.csv', path: '/api/export/reports.csv?week=2026-W47' },
  { route: 'GET /api/export/reports.geojson', path: '/api/export/reports.geojson?week=2026-W47' },
]

const { dir: million, current } = await anyMillionReports()
const dataDir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-load-'))
const t0 = performance.now()
cpSync(million, dataDir, { recursive: true })
console.log(`copied the million reports from ${million}${current ? '' : ' (made by earlier sources; migrated forward below)'} to ${dataDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

// Accounts and sessions, made straight in the database: phones on a Monday morning are signed in already (a field
// session lasts 14 days), and password hashing is not what this measures. One hash serves every account.
const setup = await prepare({ ...configFromEnv({}), dataDir, staticDir: null, tileUrl: '' })
const orgs = setup.db.prepare('SELECT id FROM organisations WHERE active = 1 ORDER BY id').pluck().all() as number[]
const first = await createUser(setup.db, { username: 'load-phone-1', organisationId: orgs[0]!, roles: ['reporter'], password: 'load password 1234' })
const hash = setup.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(first.user.id) as string
const addUser = setup.db.prepare(`INSERT INTO users (username, organisation_id, password_hash, created_at) VALUES (?, ?, ?, ?)`)
const addRole = setup.db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)')
const account = (username: string, org: number, role: 'reporter' | 'analyst') => {
  const id = Number(addUser.run(username, org, hash, Date.now()).lastInsertRowid)
  addRole.run(id, role)
  return id
}
const phoneCookies: string[] = [], deskCookies: string[] = []
// Desk roles need a second factor: these analysts enrolled TOTP long ago (a session is then a full one).
const userColumns = setup.db.prepare("SELECT name FROM pragma_table_info('users')").pluck().all() as string[]
const enrolled = userColumns.includes('totp_confirmed_at')
  ? setup.db.prepare("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_confirmed_at = ? WHERE username LIKE 'load-analyst-%'")
  : null
setup.db.transaction(() => {
  phoneCookies.push(`lb_session=${createSession(setup.db, first.user.id, ['reporter'])}`)
  for (let i = 2; i <= PHONES; i++) phoneCookies.push(`lb_session=${createSession(setup.db, account(`load-phone-${i}`, orgs[i % orgs.length]!, 'reporter'), ['reporter'])}`)
  const desk = Array.from({ length: ANALYSTS + EXPORTERS }, (_, i) => account(`load-analyst-${i + 1}`, orgs[0]!, 'analyst'))
  enrolled?.run(Date.now())
  for (const id of desk) deskCookies.push(`lb_session=${createSession(setup.db, id, ['analyst'])}`)
})()
setup.db.close()

const server = await startServerProcess(dataDir, {
  env: { METRICS_ALLOW: '127.0.0.1,::1' },
  // BENCH_PROFILE=dir: the server runs with --cpu-prof, its profile written there.
  ...(process.env.BENCH_PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] } : {}),
})
const origin = server.url
const base = { origin, 'content-type': 'application/json' }

/** A week of one phone's reports: the demo places' surroundings, at times over the last seven days. */
function weekOfReports(phone: number): string {
  const now = Date.now()
  const ops = Array.from({ length: REPORTS_PER_PHONE }, (_, k) => {
    const at = now - (k + 1) * 7 * 86_400_000 / (REPORTS_PER_PHONE + 1)
    const id = uuidv7(at)
    return {
      opId: uuidv7(), kind: 'create', reportId: id,
      report: {
        id, category: ['gathering', 'graffiti', 'littering', 'vandalism', 'disorder'][(phone + k) % 5], occurredAt: new Date(at).toISOString(),
        location: { lat: 56.03 + ((phone * 7 + k) % 97) / 4000, lon: 12.68 + ((phone * 3 + k) % 89) / 4000, accuracyM: 8, source: 'gps' },
        description: k % 3 ? 'Ungdomar samlades vid entrén' : '', createdAt: new Date(at + 60_000).toISOString(),
        ...(k % 2 ? { placeId: 1 + ((phone + k) % 20) } : {}),
      },
    }
  })
  return JSON.stringify({ schemaVersion: 2, ops })
}

const latencies = new Map<string, number[]>()
const record = (route: string, ms: number) => { let l = latencies.get(route); if (!l) latencies.set(route, (l = [])); l.push(ms) }
const problems: string[] = []
const problem = (what: string) => { if (problems.length < 20) problems.push(what); else problems.length++ }

/** One autocannon run; each connection's requests set by `setup`, every response's time recorded under its route. */
function cannon(name: string, options: Partial<autocannon.Options>, perClient: (i: number) => Array<CannonRequest & { route: string }>): Promise<autocannon.Result | null> {
  if (!options.connections) return Promise.resolve(null)
  let clients = 0
  const routesOf = new WeakMap<CannonClient, { routes: string[]; n: number }>()
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: origin, timeout: 30, ...options,
      setupClient: client => {
        const requests = perClient(clients++)
        routesOf.set(client, { routes: requests.map(r => r.route), n: 0 })
        client.setRequests(requests.map(({ route: _, ...r }) => r))
      },
    }, (err, result) => (err ? reject(err) : resolve(result)))
    const seen = new Set<string>()
    instance.on('reqError', (err: Error) => { if (!seen.has(err.message)) { seen.add(err.message); console.log(`${name}: ${err.message}`) } })
    instance.on('response', (client, status, _bytes, ms) => {
      const c = routesOf.get(client)!
      const route = c.routes[c.n++ % c.routes.length]!
      record(route, ms)
      if (status < 200 || status > 299) problem(`${name}: ${route} answered ${status}`)
    })
  })
}

/** The event-loop delay since the previous scrape, in ms, from the server's Prometheus text. */
async function eventLoop(): Promise<{ p50Ms: number; p99Ms: number; maxMs: number; meanMs: number; walMB: number }> {
  const res = await fetch(`${origin}/api/metrics`)
  const text = await res.text()
  if (res.status !== 200) throw new Error(`/api/metrics answered ${res.status}: ${text.slice(0, 200)}`)
  const gauge = (name: string) => {
    const m = new RegExp(`^nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)
    if (!m) throw new Error(`/api/metrics has no nodejs_eventloop_lag_${name}_seconds`)
    return Math.round(Number(m[1]) * 1e5) / 100
  }
  const wal = Number(/^lagesbild_wal_bytes (\S+)$/m.exec(text)?.[1] ?? NaN)
  return { p50Ms: gauge('p50'), p99Ms: gauge('p99'), maxMs: gauge('max'), meanMs: gauge('mean'), walMB: Math.round(wal / 2 ** 20) }
}

const rssSamples: number[] = []
const sampler = setInterval(() => { rssSamples.push(server.rss().rss) }, 200)
// BENCH_MEMORY=1: where the memory is, from the server's own gauges twice a second (V8 heap, memory outside it);
// each scrape also resets the event-loop histogram, so the lag printed at the end then covers only the last interval.
const memory: Array<{ rss: number; heapTotal: number; heapUsed: number; external: number }> = []
const memorySampler = process.env.BENCH_MEMORY === '1' ? setInterval(() => {
  void fetch(`${origin}/api/metrics`).then(r => r.text()).then(text => {
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
    memory.push({ rss: server.rss().rss, heapTotal: gauge('nodejs_heap_size_total_bytes'), heapUsed: gauge('nodejs_heap_size_used_bytes'), external: gauge('nodejs_external_memory_bytes') })
  }, () => {})
}, 500) : null
await eventLoop() // the histogram starts afresh with the load
const loadStart = performance.now()

const analysts = cannon('analysts', { connections: ANALYSTS, duration: SECONDS, ...(PACED ? { connectionRate: 2 } : {}) }, i => {
  const rotated = [...ANALYST_PATHS.slice(i * 6), ...ANALYST_PATHS.slice(0, i * 6)]
  return rotated.map(p => ({ method: 'GET', path: p.path, headers: { origin, cookie: deskCookies[i]! }, route: p.route }))
})
const exporters = cannon('exports', { connections: EXPORTERS, duration: SECONDS, ...(PACED ? { connectionRate: 1 } : {}) }, i =>
  [{ method: 'GET', path: EXPORT_PATHS[i % 2]!.path, headers: { origin, cookie: deskCookies[ANALYSTS + i]! }, route: EXPORT_PATHS[i % 2]!.route }])

await new Promise(r => setTimeout(r, STORM_AT * 1000))
const stormStart = performance.now()
const phones = cannon('phones', { connections: PHONES, amount: PHONES * 2 }, i => [
  {
    method: 'POST', path: '/api/sync/push', headers: { ...base, cookie: phoneCookies[i]! }, body: weekOfReports(i), route: 'POST /api/sync/push',
    onResponse: (status: number, body: string) => {
      if (status !== 200) return
      const { results } = JSON.parse(body) as { results: OpResult[] }
      const bad = results.filter(r => r.status !== 'applied')
      if (results.length !== REPORTS_PER_PHONE || bad.length) problem(`phone ${i}: push answered ${results.length} results, ${bad.length} not applied (${bad[0]?.reason})`)
    },
  },
  {
    method: 'GET', path: '/api/sync/pull?cursor=0&limit=500', headers: { origin, cookie: phoneCookies[i]! }, route: 'GET /api/sync/pull',
    onResponse: (status: number, body: string) => {
      if (status !== 200) return
      const page = JSON.parse(body) as PullResponse
      if (page.changes.length !== REPORTS_PER_PHONE) problem(`phone ${i}: the pull brought ${page.changes.length} reports, not ${REPORTS_PER_PHONE}`)
    },
  },
])
const phoneResult = await phones
const stormSeconds = (performance.now() - stormStart) / 1000
const [analystResult, exportResult] = await Promise.all([analysts, exporters])
const loadSeconds = (performance.now() - loadStart) / 1000
clearInterval(sampler)
if (memorySampler) clearInterval(memorySampler)
const lag = await eventLoop()
const { peak } = server.rss()
await server.stop()

const db = openDb(dbPath(dataDir))
const stored = db.prepare(`SELECT count(*) FROM reports r JOIN users u ON u.id = r.reporter_id WHERE u.username LIKE 'load-phone-%'`).pluck().get() as number
db.close()
rmSync(dataDir, { recursive: true, force: true })
if (stored !== PHONES * REPORTS_PER_PHONE) problem(`the database holds ${stored} of the phones' ${PHONES * REPORTS_PER_PHONE} reports`)

// autocannon's `errors` count connection errors including timeouts (`timeouts` is the part of them that timed out).
const transport = [phoneResult, analystResult, exportResult].reduce((n, r) => n + (r ? r.errors : 0), 0)
const timeouts = [phoneResult, analystResult, exportResult].reduce((n, r) => n + (r ? r.timeouts : 0), 0)
const errors = transport + problems.length
const rssMB = Math.max(...rssSamples) / 2 ** 20
const routes = [...latencies].map(([route, ms]) => ({
  route, requests: ms.length, p50Ms: round(median(ms)), p99Ms: round(percentile(ms, 0.99)), maxMs: round(Math.max(...ms)),
})).sort((a, b) => a.route.localeCompare(b.route))
const pass = errors <= BUDGET.errors && rssMB <= BUDGET.rssMB

console.log(`Monday morning: ${PHONES} phones (${REPORTS_PER_PHONE} reports each, then a pull) arriving at ${STORM_AT} s, done in ${stormSeconds.toFixed(1)} s; ` +
  `${ANALYSTS} analysts and ${EXPORTERS} exports for ${SECONDS} s${PACED ? ' (paced: 2 requests/s per analyst, ≤ 1 export/s each)' : ' (unpaced)'} (${loadSeconds.toFixed(1)} s in all), on 1,000,000 reports`)
console.log('| route | requests | p50 ms | p99 ms | max ms |')
for (const r of routes) console.log(`| ${r.route} | ${r.requests} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} |`)
const all = [...latencies.values()].flat()
const stats = [...latencies].filter(([r]) => r.startsWith('GET /api/stats/')).flatMap(([, ms]) => ms)
console.log(`all stats routes: ${stats.length} requests, p50 ${round(median(stats))} ms, p99 ${round(percentile(stats, 0.99))} ms; every request: ${all.length}`)
console.log(`errors: ${errors} (transport errors ${transport}, of them timeouts after 30 s ${timeouts}; ${problems.length} checks failed)${problems.length ? '\n  ' + problems.slice(0, 20).join('\n  ') : ''}`)
console.log(`server RSS: max ${rssMB.toFixed(0)} MB while loaded (budget ≤ ${BUDGET.rssMB} MB), peak of the process ${(peak / 2 ** 20).toFixed(0)} MB`)
console.log(`server event-loop delay over the load (its /api/metrics): p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms, mean ${lag.meanMs} ms; WAL ${lag.walMB} MB at the end`)
if (memory.length) {
  const mb = (b: number) => (b / 2 ** 20).toFixed(0)
  const at = memory.reduce((a, b) => (b.rss > a.rss ? b : a))
  console.log(`memory at the highest sampled RSS (${mb(at.rss)} MB): V8 heap ${mb(at.heapTotal)} MB (${mb(at.heapUsed)} MB used), external ${mb(at.external)} MB, the rest (code, stacks, SQLite, malloc) ${mb(at.rss - at.heapTotal - at.external)} MB`)
  console.log(`  over time (RSS / heap total / heap used / external, MB): ${memory.map(m => `${mb(m.rss)}/${mb(m.heapTotal)}/${mb(m.heapUsed)}/${mb(m.external)}`).join(' ')}`)
}
console.log(pass ? 'within budget' : 'MISSED')
writeResult('load', {
  paced: PACED, phones: PHONES, reportsPerPhone: REPORTS_PER_PHONE, analysts: ANALYSTS, exporters: EXPORTERS, seconds: SECONDS, stormSeconds, loadSeconds,
  routes, statsAll: { requests: stats.length, p50Ms: round(median(stats)), p99Ms: round(percentile(stats, 0.99)) },
  errors, transportErrors: transport, timeouts, problems, rssMB: Math.round(rssMB), peakRssMB: Math.round(peak / 2 ** 20), eventLoop: lag,
  budget: BUDGET, machine: machine(), pass,
})
process.exitCode = pass ? 0 : 1

function round(x: number): number { return Math.round(x * 10) / 10 }
