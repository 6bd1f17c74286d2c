// The million approved reports that the summary and load benchmarks run on: the demo generator (seeded, the
// benchmark's shape) into a SQLite file in /tmp, kept between runs under a key of the migrations and the
// generator's sources, and made afresh when absent.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { configFromEnv } from '../sync-server/src/config.ts'
import { prepare } from '../sync-server/src/server.ts'
import { runDemo } from '../sync-server/src/services/demo/run.ts'

export const MILLION_REPORTS = 1_000_000
export const MILLION_NOW = Date.parse('2026-11-25T12:00:00Z')
export const MILLION_PASSWORD = 'bench password 1234'
const REPORTS = MILLION_REPORTS, NOW = MILLION_NOW, PASSWORD = MILLION_PASSWORD
const root = join(import.meta.dirname, '..')

/** The cached database's key: anything that changes the rows or the schema makes a new one. */
function cacheKey(): string {
  const hash = createHash('sha256').update(`${REPORTS}|${NOW}`)
  for (const dir of ['sync-server/src/db/migrations', 'sync-server/src/services/demo']) {
    for (const f of readdirSync(join(root, dir)).sort()) hash.update(f).update(readFileSync(join(root, dir, f)))
  }
  hash.update(readFileSync(join(root, 'packages/domain/src/data/demo-places.geo.json')))
  return hash.digest('hex').slice(0, 16)
}

export async function millionReports(): Promise<{ dir: string; generation: { seconds: number; reused: boolean } }> {
  const dir = join(tmpdir(), `lagesbild-bench-stats-${cacheKey()}`)
  const meta = join(dir, 'generated.json')
  if (existsSync(meta)) return { dir, generation: { ...(JSON.parse(readFileSync(meta, 'utf8')) as { seconds: number }), reused: true } }
  const building = `${dir}.building-${process.pid}`
  rmSync(building, { recursive: true, force: true })
  mkdirSync(building, { recursive: true })
  console.log(`generating ${REPORTS.toLocaleString('en')} approved reports into ${dir} …`)
  const t0 = performance.now()
  const { db } = await prepare({ ...configFromEnv({}), dataDir: building, staticDir: null, tileUrl: '' })
  console.log(await runDemo(db, { timeZone: 'Europe/Stockholm', reports: REPORTS, now: NOW, seed: 1, benchmark: true, password: PASSWORD }))
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  const seconds = (performance.now() - t0) / 1000
  writeFileSync(join(building, 'generated.json'), JSON.stringify({ seconds }))
  rmSync(dir, { recursive: true, force: true })
  renameSync(building, dir)
  return { dir, generation: { seconds, reused: false } }
}


/**
 * For a benchmark that works on a copy (and migrates it forward itself): the database of the current sources when it
 * exists, else the newest one made by earlier sources (15 minutes saved on a busy machine), else a new one.
 */
export async function anyMillionReports(): Promise<{ dir: string; current: boolean }> {
  const current = join(tmpdir(), `lagesbild-bench-stats-${cacheKey()}`)
  if (existsSync(join(current, 'generated.json'))) return { dir: current, current: true }
  const older = readdirSync(tmpdir()).filter(d => /^lagesbild-bench-stats-[0-9a-f]{16}$/.test(d))
    .map(d => join(tmpdir(), d)).filter(d => existsSync(join(d, 'generated.json')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
  if (older[0]) return { dir: older[0], current: false }
  return { dir: (await millionReports()).dir, current: true }
}
