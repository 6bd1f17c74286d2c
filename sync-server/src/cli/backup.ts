import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Config } from '../config.ts'
import { backupTo, removeWithSidecars } from '../db/backup-file.ts'
import { dbPath, openDb, type Db } from '../db/connection.ts'
import { loadMigrations } from '../db/migrate.ts'
import { RefusedError, options, required } from './args.ts'
import { auditCli, withDatabase } from './database.ts'

const LAGESBILD_TABLES = ['change_seq', 'organisations', 'users', 'categories', 'places', 'reports', 'audit_events']

interface Summary { schema: number; users: number; reports: number; bytes: number }

/** Opens a candidate file and checks it is an intact Lägesbild database this code can run; `name` is how messages call it. */
function inspect(file: string, name = file, thorough = false): Summary {
  let db: Db
  try {
    db = new Database(file, { fileMustExist: true, readonly: thorough })
  } catch (err) {
    throw new RefusedError(`cannot open ${name}: ${err instanceof Error ? err.message : String(err)}`)
  }
  try {
    const check = (() => {
      try { return db.pragma(thorough ? 'integrity_check' : 'quick_check', { simple: true }) } catch (err) { return err instanceof Error ? err.message : String(err) }
    })()
    if (check !== 'ok') throw new RefusedError(`${name} is not an intact SQLite database (${String(check)})`)
    const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[])
    const missing = LAGESBILD_TABLES.filter(t => !tables.has(t))
    const schema = db.pragma('user_version', { simple: true }) as number
    if (schema === 0 || missing.length) throw new RefusedError(`${name} is not a Lägesbild database (missing: ${missing.join(', ') || 'schema version'})`)
    const latest = loadMigrations().at(-1)?.version ?? 0
    if (schema > latest) throw new RefusedError(`${name} is at schema version ${schema}, newer than this code (${latest}): upgrade Lägesbild first`)
    const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number
    return { schema, users: count('users'), reports: count('reports'), bytes: statSync(file).size }
  } finally {
    db.close()
  }
}

const summarise = (s: Summary) => `schema ${s.schema}, ${s.users} users, ${s.reports} reports, ${(s.bytes / 1024 / 1024).toFixed(1)} MB`

/**
 * True when another process (the server) has the database open. A connection in exclusive locking mode
 * cannot take its lock while any other connection holds the WAL open.
 */
function inUse(file: string): boolean {
  if (!existsSync(file)) return false
  const probe = new Database(file, { timeout: 0 })
  try {
    probe.pragma('locking_mode = EXCLUSIVE')
    probe.exec('BEGIN EXCLUSIVE; COMMIT')
    return false
  } catch {
    return true
  } finally {
    probe.close()
  }
}

/** `backup --to FILE [--force]`: an online backup; safe while the server runs. `backup --check FILE` checks one. */
export async function backup(args: string[], config: Config): Promise<void> {
  const o = options('backup', args, { to: { type: 'string' }, force: { type: 'boolean' }, check: { type: 'string' } })
  if (o.check !== undefined) {
    const file = resolve(o.check)
    if (!existsSync(file)) throw new RefusedError(`${file} does not exist`)
    // Opened read-only: checking a backup never changes it.
    console.log(`${file} is intact (PRAGMA integrity_check: ok): ${summarise(inspect(file, file, true))}.`)
    return
  }
  const target = resolve(required('backup', 'to', o.to))
  const source = dbPath(config.dataDir)
  if (!existsSync(source)) throw new RefusedError(`there is no database at ${source}: nothing to back up`)
  if (existsSync(target) && !o.force) throw new RefusedError(`${target} exists; choose another name or add --force to replace it`)
  if (!existsSync(dirname(target))) throw new RefusedError(`the folder ${dirname(target)} does not exist`)

  await withDatabase(config, async db => {
    // Audited first, so the backup itself records that it was taken.
    auditCli(db, 'backup_created', target)
    await backupTo(db, target)
  })
  console.log(`Backed up ${source} to ${target} (${summarise(inspect(target))}).`)
}

/**
 * `restore --from FILE`: replaces the database with a checked copy of FILE. Refuses while the server (or
 * anything else) has the database open, and keeps the current database beside it first.
 */
export async function restore(args: string[], config: Config): Promise<void> {
  const o = options('restore', args, { from: { type: 'string' } })
  const from = resolve(required('restore', 'from', o.from))
  if (!existsSync(from)) throw new RefusedError(`${from} does not exist`)
  const current = dbPath(config.dataDir)
  if (resolve(current) === from) throw new RefusedError(`${from} is the database itself; restore from a backup`)
  if (inUse(current)) throw new RefusedError(`the database at ${current} is in use (is the server running?); stop it and try again`)

  // Checked and restored from a private copy, so FILE is never modified (opening a database can write to it).
  const staging = join(config.dataDir, `restore-${process.pid}.db`)
  mkdirSync(config.dataDir, { recursive: true })
  try {
    copyFileSync(from, staging)
    if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${staging}-wal`)
    const incoming = inspect(staging, from)

    let kept: string | null = null
    if (existsSync(current)) {
      kept = join(config.dataDir, `lagesbild-before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.db`)
      const db = openDb(current)
      try { await backupTo(db, kept) } finally { db.close() }
    }
    const copy = new Database(staging)
    try { await copy.backup(current) } finally { copy.close() }

    await withDatabase(config, db => {
      const schema = db.pragma('user_version', { simple: true }) as number
      auditCli(db, 'database_restored', from, { previous: kept, schemaFrom: incoming.schema, schemaTo: schema })
      console.log(`Restored ${from} (${summarise(incoming)}) into ${current}.`)
      if (schema !== incoming.schema) console.log(`Migrated it from schema ${incoming.schema} to ${schema}.`)
      console.log(kept ? `The previous database was kept as ${kept}.` : 'There was no database before.')
    })
  } finally {
    removeWithSidecars(staging)
  }
}
