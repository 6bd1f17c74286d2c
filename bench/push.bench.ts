// Push ingest (DESIGN.md budget): batches of 50 as phones send them, into a real SQLite file (WAL,
// synchronous=FULL) in a temp folder — at least 5,000 reports/s, and at least 20 % of raw better-sqlite3 inserts
// of the same report rows into the same schema with the same pragmas and one transaction per 50 rows, measured
// side by side in each round. Two ways in, each round: through `app.request` in this process (one client), and
// over HTTP — four clients (four reporters, each on its own keep-alive connection) pushing concurrently to the
// real server (`npm start`'s process, API only) on loopback. The budget is judged on the HTTP figure.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpResult, SyncOp } from '@lagesbild/domain'
import { configFromEnv } from '../sync-server/src/config.ts'
import { prepare } from '../sync-server/src/server.ts'
import { testServer, type TestServer } from '../sync-server/test/support.ts'
import { createOp, newDraft } from '../sync-server/test/sync-ops.ts'
import { openDb, dbPath } from '../sync-server/src/db/connection.ts'
import { createOrganisation, createUser } from '../sync-server/src/services/accounts.ts'
import { PASSWORD } from '../sync-server/test/support.ts'
import { Client, startServerProcess } from './server-process.ts'
import { machine, median, writeResult } from './support.ts'

const BATCH = 50
const REPORTS = 10_000
const CLIENTS = 4
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
/** BENCH_PROFILE=dir: the HTTP rounds' server runs with --cpu-prof, its profiles written there. */
const PROFILE_DIR = process.env.BENCH_PROFILE
const BUDGET = { reportsPerSecond: 5000, ratioToRaw: 0.2 }

const DESCRIPTIONS = ['Ungdomar samlas vid entrén', 'Klotter på busskuren', 'Glaskross på perrongen', 'Bråk utanför pizzerian', '']
const CATEGORIES = ['gathering', 'graffiti', 'vandalism', 'disorder', 'littering', 'drugs']

function batches(n: number, start: number): SyncOp[][] {
  const out: SyncOp[][] = []
  for (let i = 0; i < n; i += BATCH) {
    out.push(Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => {
      const k = i + j
      return createOp(newDraft({
        category: CATEGORIES[k % CATEGORIES.length]!,
        location: { lat: 56.03 + (k % 97) / 5000, lon: 12.68 + (k % 89) / 5000, accuracyM: 5 + (k % 30), source: 'gps' },
        description: DESCRIPTIONS[k % DESCRIPTIONS.length]!,
        ...(k % 3 === 0 ? { placeId: 1 + (k % 20) } : {}),
      }, start - k * 240_000))
    }))
  }
  return out
}

interface Rows { people: Record<'organisations' | 'users', Record<string, unknown>[]>; reports: Record<string, unknown>[] }

/** The app: every batch a POST /api/sync/push with the reporter's cookie, its JSON answer read and checked. */
async function appRound(): Promise<{ seconds: number; rows: Rows }> {
  const s = await testServer()
  try {
    const { cookie, userId } = await s.signIn('vakt1', ['reporter'])
    // As a browser sends it: a JSON string with its Content-Length (without one the body limit has to stream it).
    const push = async (ops: SyncOp[]) => {
      const body = JSON.stringify({ schemaVersion: 2, ops })
      const res = await s.request('POST', '/api/sync/push', { cookie, body, headers: { 'content-length': String(Buffer.byteLength(body)) } })
      const { results } = (await res.json()) as { results: OpResult[] }
      if (res.status !== 200 || results.length !== ops.length || results.some(r => r.status !== 'applied')) throw new Error(`push failed: ${res.status}`)
    }
    const now = Date.now()
    for (const warm of batches(2 * BATCH, now - 86_400_000)) await push(warm)
    const work = batches(REPORTS, now)
    globalThis.gc?.()
    const t0 = performance.now()
    for (const ops of work) await push(ops)
    const seconds = (performance.now() - t0) / 1000
    return { seconds, rows: storedRows(s.db, [userId]) }
  } finally {
    s.close()
  }
}

/** The rows the app stored for these reporters, in the order it stored them: the raw round inserts the same. */
function storedRows(db: TestServer['db'], reporterIds: number[]): Rows {
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Record<string, unknown>[]
  // Stored columns only: generated ones are computed by SQLite on insert, in the raw round as in the app.
  const stored = (db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all('reports') as string[]).join(', ')
  return {
    people: { organisations: all('SELECT * FROM organisations'), users: all('SELECT * FROM users') },
    reports: all(`SELECT ${stored} FROM reports WHERE reporter_id IN (${reporterIds.map(() => '?').join(', ')}) ORDER BY seq`, ...reporterIds),
  }
}

/**
 * Over HTTP: the real server in its own process; four reporters sign in and push concurrently, each its own
 * share of the batches one after the other on its own keep-alive connection, every answer parsed and checked.
 * The bodies are serialised beforehand (a phone does that on its own CPU, not on the server's two cores).
 */
async function httpRound(): Promise<{ seconds: number; cpuMsPerBatch: number; rows: Rows }> {
  const dir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-http-'))
  try {
    const setup = await prepare({ ...configFromEnv({}), dataDir: dir, staticDir: null, tileUrl: '' })
    const organisationId = createOrganisation(setup.db, { name: 'Vaktbolaget', kind: 'security' }).id
    const userIds: number[] = []
    for (let i = 1; i <= CLIENTS; i++) userIds.push((await createUser(setup.db, { username: `vakt${i}`, organisationId, roles: ['reporter'], password: PASSWORD })).user.id)
    setup.db.close()
    const server = await startServerProcess(dir, PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] } : {})
    let seconds: number, cpuMsPerBatch: number
    try {
      const clients = Array.from({ length: CLIENTS }, () => new Client(server.url))
      for (const [i, c] of clients.entries()) await c.signIn(`vakt${i + 1}`, PASSWORD)
      const push = async (client: Client, body: string, n: number) => {
        const res = await client.send('POST', '/api/sync/push', body)
        const results = res.status === 200 ? (JSON.parse(res.body) as { results: OpResult[] }).results : []
        if (res.status !== 200 || results.length !== n || results.some(r => r.status !== 'applied')) throw new Error(`push over HTTP failed: ${res.status} ${res.body.slice(0, 200)}`)
      }
      const bodies = (ops: SyncOp[][]) => ops.map(b => ({ body: JSON.stringify({ schemaVersion: 2, ops: b }), n: b.length }))
      const now = Date.now()
      const warm = bodies(batches(2 * BATCH * CLIENTS, now - 86_400_000))
      const work = bodies(batches(REPORTS, now))
      const share = <T>(all: T[], i: number) => all.filter((_, k) => k % CLIENTS === i)
      await Promise.all(clients.map(async (c, i) => { for (const b of share(warm, i)) await push(c, b.body, b.n) }))
      const t0 = performance.now(), cpu0 = server.cpuMs()
      await Promise.all(clients.map(async (c, i) => { for (const b of share(work, i)) await push(c, b.body, b.n) }))
      seconds = (performance.now() - t0) / 1000
      cpuMsPerBatch = (server.cpuMs() - cpu0) / work.length
      for (const c of clients) c.close()
    } finally {
      await server.stop()
    }
    const db = openDb(dbPath(dir))
    try {
      return { seconds, cpuMsPerBatch, rows: storedRows(db, userIds) }
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function insertSql(table: string, row: Record<string, unknown>, verb = 'INSERT'): string {
  const names = Object.keys(row)
  return `${verb} INTO ${table} (${names.join(', ')}) VALUES (${names.map(n => '@' + n).join(', ')})`
}

/** Raw: the same report rows into a fresh database of the same schema and pragmas, 50 rows per transaction. */
async function rawRound(rows: Rows): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-raw-'))
  const { db } = await prepare({ ...configFromEnv({}), dataDir: dir, staticDir: null, tileUrl: '' })
  try {
    for (const table of ['organisations', 'users'] as const) {
      for (const row of rows.people[table]) db.prepare(insertSql(table, row, 'INSERT OR IGNORE')).run(row)
    }
    const insert = db.prepare(insertSql('reports', rows.reports[0]!))
    const insertBatch = db.transaction((batch: Record<string, unknown>[]) => { for (const row of batch) insert.run(row) })
    const warmRows = rows.reports.length - REPORTS
    const warm = rows.reports.slice(0, warmRows), work = rows.reports.slice(warmRows)
    for (let i = 0; i < warm.length; i += BATCH) insertBatch(warm.slice(i, i + BATCH))
    globalThis.gc?.()
    const t0 = performance.now()
    for (let i = 0; i < work.length; i += BATCH) insertBatch(work.slice(i, i + BATCH))
    return (performance.now() - t0) / 1000
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

interface Round { appPerSecond: number; appRatio: number; httpPerSecond: number; serverCpuMsPerBatch: number; rawPerSecond: number; ratio: number }
const rounds: Round[] = []
for (let round = 1; round <= ROUNDS; round++) {
  const app = await appRound()
  const appRaw = await rawRound(app.rows)
  const http = await httpRound()
  const raw = await rawRound(http.rows)
  const r: Round = {
    appPerSecond: REPORTS / app.seconds, appRatio: appRaw / app.seconds,
    httpPerSecond: REPORTS / http.seconds, serverCpuMsPerBatch: http.cpuMsPerBatch, rawPerSecond: REPORTS / raw, ratio: raw / http.seconds,
  }
  rounds.push(r)
  const pct = (x: number) => (x * 100).toFixed(1) + ' %'
  console.log(`round ${round}: HTTP ${r.httpPerSecond.toFixed(0)} reports/s (${CLIENTS} clients; server CPU ${r.serverCpuMsPerBatch.toFixed(2)} ms per batch), raw ${r.rawPerSecond.toFixed(0)} rows/s, HTTP/raw ${pct(r.ratio)}; ` +
    `app.request ${r.appPerSecond.toFixed(0)} reports/s (${(app.seconds * 1000 / (REPORTS / BATCH)).toFixed(2)} ms per batch of ${BATCH}), app/raw ${pct(r.appRatio)}`)
}

const result = {
  httpReportsPerSecond: median(rounds.map(r => r.httpPerSecond)),
  rawRowsPerSecond: median(rounds.map(r => r.rawPerSecond)),
  ratioToRaw: median(rounds.map(r => r.ratio)),
  serverCpuMsPerBatch: median(rounds.map(r => r.serverCpuMsPerBatch)),
  appReportsPerSecond: median(rounds.map(r => r.appPerSecond)),
  appRatioToRaw: median(rounds.map(r => r.appRatio)),
}
const pass = result.httpReportsPerSecond >= BUDGET.reportsPerSecond && result.ratioToRaw >= BUDGET.ratioToRaw
console.log(`median over ${ROUNDS} rounds of ${REPORTS} reports in batches of ${BATCH}:`)
console.log(`  over HTTP, ${CLIENTS} clients: ${result.httpReportsPerSecond.toFixed(0)} reports/s (budget ≥ ${BUDGET.reportsPerSecond}; server CPU ${result.serverCpuMsPerBatch.toFixed(2)} ms per batch of ${BATCH}), raw ${result.rawRowsPerSecond.toFixed(0)} rows/s, HTTP/raw ${(result.ratioToRaw * 100).toFixed(1)} % (budget ≥ ${BUDGET.ratioToRaw * 100} %) — ${pass ? 'within budget' : 'MISSED'}`)
console.log(`  through app.request: ${result.appReportsPerSecond.toFixed(0)} reports/s, app/raw ${(result.appRatioToRaw * 100).toFixed(1)} %`)
writeResult('push', { ...result, budget: BUDGET, batch: BATCH, reports: REPORTS, clients: CLIENTS, rounds, machine: machine(), pass })
process.exitCode = pass ? 0 : 1
