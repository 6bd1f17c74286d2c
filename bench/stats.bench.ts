// Summary aggregates (DESIGN.md budget): at 1,000,000 approved reports, every aggregate through the app
// (app.request with an analyst's session, JSON out, parsed) has p95 ≤ 100 ms for any filter combination, and
// ≤ 3 × the same aggregate run as bare SQL: the very statements the app ran for it (recorded during a request),
// prepared and run straight on better-sqlite3, measured side by side, interleaved, in the same rounds. Each
// figure is the median over ROUNDS rounds of that round's p95. Also the process's RSS under that load (≤ 250 MB).
// The million reports come from the demo generator (seeded, benchmark shape) into a SQLite file in /tmp, kept
// between runs under a key of the migrations and the generator's sources, and made afresh when absent.
import type { Database } from 'better-sqlite3'
import { createApp } from '../sync-server/src/app.ts'
import { configFromEnv } from '../sync-server/src/config.ts'
import { prepare } from '../sync-server/src/server.ts'
import { createUser } from '../sync-server/src/services/accounts.ts'
import { MILLION_NOW as NOW, MILLION_PASSWORD as PASSWORD, MILLION_REPORTS as REPORTS, millionReports as database } from './million.ts'
import { machine, median, percentile, writeResult } from './support.ts'
import { deskSignIn, type Send } from '../sync-server/test/desk-sign-in.ts'
import { TotpCodes } from '../sync-server/test/totp-codes.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
// Per case and round: at least MIN_SAMPLES pairs, more while under CASE_MS (up to 100), so a fast aggregate's
// p95 rests on many samples rather than on the slowest of ten.
const MIN_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 10)
const CASE_MS = 400
const BUDGET = { p95Ms: 100, ratioToBareSql: 3, rssMB: 250 }

const FILTERS: Record<string, string> = {
  'none': '',
  'one category': 'category=drugs',
  'week': 'week=2026-W47',
  'org + weekday': 'org=3&weekday=6&weekday=7',
  'hour range': 'hourFrom=22&hourTo=4',
  'bbox': 'bbox=12.685,56.038,12.700,56.050',
  'place + radius': 'place=1&radius=500',
  'combination': 'category=gathering&category=disorder&weekday=5&weekday=6&hourFrom=20&hourTo=3&bbox=12.68,56.03,12.71,56.06&from=2026-06-01&to=2026-08-31',
}

const AGGREGATES: Record<string, (filter: string) => string> = {
  'total': q => `/api/stats/total?${q}`,
  'categories': q => `/api/stats/categories?${q}`,
  'organisations': q => `/api/stats/organisations?${q}`,
  'trend 12 weeks': q => `/api/stats/trend?weeks=12&${q}`,
  'trend 52 weeks': q => `/api/stats/trend?weeks=52&${q}`,
  'weekday × hour': q => `/api/stats/weekday-hour?${q}`,
  'places': q => `/api/stats/places?${q}`,
  'grid 250 m': q => `/api/stats/grid?cell=250&${q}`,
  'hot-spots': q => `/api/stats/hotspots?${q}`,
  'change': q => `/api/stats/change?${q}`,
  'report table': q => `/api/stats/reports?pageSize=50&${q}`,
  'map points': q => `/api/stats/points?limit=10000&${q}`,
  // The weekly report's period is its week; from/to do not apply to it.
  'weekly report': q => `/api/stats/weekly?${q.split('&').filter(p => !/^(from|to)=/.test(p)).join('&')}`,
}

interface Call { sql: string; method: 'all' | 'get' | 'iterate'; raw: boolean; pluck: boolean; args: unknown[] }

/** Records the statements `work` runs on `db` (not the session look-ups), to replay them bare. */
async function recording(db: Database, work: () => Promise<void>): Promise<Call[]> {
  const calls: Call[] = []
  const original = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    const st = original(sql)
    // The statement's own methods, wrapped on this instance (raw() and pluck() return the instance).
    const methods = st as unknown as Record<string, (...args: unknown[]) => unknown>
    const flags = { raw: false, pluck: false }
    for (const mode of ['raw', 'pluck'] as const) {
      const f = methods[mode]!
      methods[mode] = (...on: unknown[]) => { flags[mode] = on[0] !== false; return f.apply(st, on) }
    }
    for (const method of ['all', 'get', 'iterate'] as const) {
      const f = methods[method]!
      methods[method] = (...args: unknown[]) => {
        if (!/\b(sessions|users|user_roles)\b/.test(sql)) calls.push({ sql, method, ...flags, args })
        return f.apply(st, args)
      }
    }
    return st
  }) as typeof db.prepare
  try {
    await work()
  } finally {
    db.prepare = original
  }
  return calls
}

function bare(db: Database, calls: Call[]): void {
  for (const c of calls) {
    let st = db.prepare(c.sql)
    if (c.raw) st = st.raw()
    if (c.pluck) st = st.pluck()
    if (c.method === 'iterate') for (const _ of st.iterate(...c.args)) { /* read every row */ }
    else st[c.method](...c.args)
  }
}

const { dir, generation } = await database()
console.log(`database: ${dir} (${generation.reused ? 'reused; generated' : 'generated'} in ${generation.seconds.toFixed(1)} s)`)
const config = { ...configFromEnv({}), dataDir: dir, staticDir: null, tileUrl: '' }
// Requests come from the configured origin, as the PWA's do (the server believes no other: PUBLIC_ORIGIN).
const origin = config.publicOrigin
const { deps, db } = await prepare(config)
const counted = db.prepare(`SELECT count(*) FROM reports WHERE status = 'approved' AND duplicate_of IS NULL`).pluck().get() as number
if (counted !== REPORTS) throw new Error(`expected ${REPORTS} counted reports, found ${counted}`)
const app = createApp({ ...deps, now: () => NOW })
if (!db.prepare(`SELECT 1 FROM users WHERE username = 'bench-analyst'`).get()) {
  const org = db.prepare('SELECT id FROM organisations ORDER BY id LIMIT 1').pluck().get() as number
  await createUser(db, { username: 'bench-analyst', organisationId: org, roles: ['analyst'], password: PASSWORD })
}
// The analyst passes the second factor like anyone: enrolled on the first run, the secret read back on a reused database.
const codes = new TotpCodes({ now: () => Date.now(), advance: () => { throw new Error('no fresh TOTP step left') } })
const secret = db.prepare(`SELECT totp_secret FROM users WHERE username = 'bench-analyst' AND totp_confirmed_at IS NOT NULL`).pluck().get() as string | undefined
if (secret) codes.add('bench-analyst', secret)
// Signed in through an app on the real clock (TOTP codes belong to real time); the session works on the fixed one too.
const signInApp = createApp(deps)
const send: Send = (path, body, cookie) => Promise.resolve(signInApp.request(`${origin}${path}`, {
  method: 'POST', body: JSON.stringify(body), headers: { origin, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
}))
const cookie = await deskSignIn(send, codes, 'bench-analyst', PASSWORD)

async function viaApp(path: string): Promise<unknown> {
  const res = await app.request(`${origin}${path}`, { headers: { origin, cookie } })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

interface Case { aggregate: string; filter: string; path: string; calls: Call[]; app: number[][]; bare: number[][] }
const cases: Case[] = []
for (const [aggregate, path] of Object.entries(AGGREGATES)) {
  for (const [filter, q] of Object.entries(FILTERS)) {
    const p = path(q)
    await viaApp(p) // warm
    const calls = await recording(db, async () => { await viaApp(p) })
    cases.push({ aggregate, filter, path: p, calls, app: [], bare: [] })
  }
}

let rssMax = process.memoryUsage().rss
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const app: number[] = [], sql: number[] = []
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const started = performance.now()
    for (let i = 0; i < 100 && (i < MIN_SAMPLES || performance.now() - started < CASE_MS); i++) {
      let t = performance.now()
      await viaApp(c.path)
      app.push(performance.now() - t)
      t = performance.now()
      bare(db, c.calls)
      sql.push(performance.now() - t)
    }
    c.app.push(app)
    c.bare.push(sql)
    rssMax = Math.max(rssMax, process.memoryUsage().rss)
  }
  console.log(`round ${round + 1} of ${ROUNDS} done`)
}

const rows = cases.map(c => {
  const appP95 = median(c.app.map(r => percentile(r, 0.95)))
  const bareP95 = median(c.bare.map(r => percentile(r, 0.95)))
  const appMedian = median(c.app.map(r => median(r)))
  const bareMedian = median(c.bare.map(r => median(r)))
  const ratio = appP95 / Math.max(bareP95, 0.05)
  return {
    aggregate: c.aggregate, filter: c.filter, path: c.path, statements: c.calls.length,
    appP95Ms: round2(appP95), appMedianMs: round2(appMedian), bareP95Ms: round2(bareP95), bareMedianMs: round2(bareMedian), ratio: round2(ratio),
    ok: appP95 <= BUDGET.p95Ms && ratio <= BUDGET.ratioToBareSql,
  }
})
const rssMB = Math.round(rssMax / 2 ** 20)
const failures = rows.filter(r => !r.ok)

function round2(n: number): number { return Math.round(n * 100) / 100 }

console.log(`\n${'aggregate'.padEnd(16)}${'filter'.padEnd(16)}${'app p95'.padStart(9)}${'bare p95'.padStart(10)}${'ratio'.padStart(7)}`)
for (const r of rows) {
  console.log(`${r.aggregate.padEnd(16)}${r.filter.padEnd(16)}${r.appP95Ms.toFixed(1).padStart(9)}${r.bareP95Ms.toFixed(1).padStart(10)}${r.ratio.toFixed(2).padStart(7)}${r.ok ? '' : '  ✗'}`)
}
const worst = rows.reduce((a, b) => (b.appP95Ms > a.appP95Ms ? b : a))
console.log(`\nworst app p95: ${worst.appP95Ms} ms (${worst.aggregate}, ${worst.filter}); highest ratio: ${Math.max(...rows.map(r => r.ratio))}; RSS max ${rssMB} MB`)

writeResult('stats', {
  machine: machine(), budget: BUDGET, reports: REPORTS, rounds: ROUNDS, samplesPerRound: { min: MIN_SAMPLES, max: 100, msPerCase: CASE_MS },
  generation: { seconds: round2(generation.seconds), reused: generation.reused },
  rssMB, worstAppP95Ms: worst.appP95Ms, maxRatio: Math.max(...rows.map(r => r.ratio)), cases: rows,
})
db.close()

if (failures.length || rssMB > BUDGET.rssMB) {
  for (const f of failures) console.log(`✗ ${f.aggregate} / ${f.filter}: p95 ${f.appP95Ms} ms, ${f.ratio} × bare SQL`)
  if (rssMB > BUDGET.rssMB) console.log(`✗ RSS ${rssMB} MB > ${BUDGET.rssMB} MB`)
  process.exit(1)
}
console.log('summary aggregates within budget')
