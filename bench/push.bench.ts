// Push ingest (DESIGN.md budget): batches of 50 through the app, as a phone sends them (app.request with a
// session cookie, JSON in and out), into a real SQLite file (WAL, synchronous=FULL) in a temp folder —
// at least 5,000 reports/s, and at least 20 % of raw better-sqlite3 inserts of the same report rows into
// the same schema with the same pragmas and one transaction per 50 rows, measured side by side in each round.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpResult, SyncOp } from '@lagesbild/domain'
import { configFromEnv } from '../sync-server/src/config.ts'
import { prepare } from '../sync-server/src/server.ts'
import { testServer } from '../sync-server/test/support.ts'
import { createOp, newDraft } from '../sync-server/test/sync-ops.ts'
import { machine, median, writeResult } from './support.ts'

const BATCH = 50
const REPORTS = 10_000
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
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
    const all = (sql: string, ...params: unknown[]) => s.db.prepare(sql).all(...params) as Record<string, unknown>[]
    // Stored columns only: generated ones are computed by SQLite on insert, in the raw round as in the app.
    const stored = (s.db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all('reports') as string[]).join(', ')
    return {
      seconds,
      rows: {
        people: { organisations: all('SELECT * FROM organisations'), users: all('SELECT * FROM users') },
        reports: all(`SELECT ${stored} FROM reports WHERE reporter_id = ? ORDER BY seq`, userId),
      },
    }
  } finally {
    s.close()
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
    const warm = rows.reports.slice(0, 2 * BATCH), work = rows.reports.slice(2 * BATCH)
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

const rounds: Array<{ appPerSecond: number; rawPerSecond: number; ratio: number }> = []
for (let round = 1; round <= ROUNDS; round++) {
  const app = await appRound()
  const raw = await rawRound(app.rows)
  const r = { appPerSecond: REPORTS / app.seconds, rawPerSecond: REPORTS / raw, ratio: raw / app.seconds }
  rounds.push(r)
  console.log(`round ${round}: app ${r.appPerSecond.toFixed(0)} reports/s (${(app.seconds * 1000 / (REPORTS / BATCH)).toFixed(2)} ms per batch of ${BATCH}), raw ${r.rawPerSecond.toFixed(0)} rows/s, app/raw ${(r.ratio * 100).toFixed(1)} %`)
}

const result = {
  appReportsPerSecond: median(rounds.map(r => r.appPerSecond)),
  rawRowsPerSecond: median(rounds.map(r => r.rawPerSecond)),
  ratioToRaw: median(rounds.map(r => r.ratio)),
}
const pass = result.appReportsPerSecond >= BUDGET.reportsPerSecond && result.ratioToRaw >= BUDGET.ratioToRaw
console.log(`median over ${ROUNDS} rounds of ${REPORTS} reports: app ${result.appReportsPerSecond.toFixed(0)} reports/s (budget ≥ ${BUDGET.reportsPerSecond}), raw ${result.rawRowsPerSecond.toFixed(0)} rows/s, app/raw ${(result.ratioToRaw * 100).toFixed(1)} % (budget ≥ ${BUDGET.ratioToRaw * 100} %) — ${pass ? 'within budget' : 'MISSED'}`)
writeResult('push', { ...result, budget: BUDGET, batch: BATCH, reports: REPORTS, rounds, machine: machine(), pass })
process.exitCode = pass ? 0 : 1
