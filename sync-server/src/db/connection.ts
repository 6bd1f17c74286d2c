import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type Db = Database.Database

export const DB_FILE = 'lagesbild.db'

export function dbPath(dataDir: string): string {
  return join(dataDir, DB_FILE)
}

/**
 * Opens the database with the pragmas DESIGN.md asks for. synchronous=FULL makes an acknowledged
 * report survive a power cut, not only a crash; the push batches ops so that costs one fsync per batch.
 */
export function openDb(file: string): Db {
  // Personal data: the folder is the owner's alone, and so is the file (SQLite gives -wal/-shm the file's mode).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
  chmodSync(file, 0o600)
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // Deleted and overwritten content is zeroed, so a redacted or expired text leaves no bytes behind in the file.
  db.pragma('secure_delete = ON')
  // Statement journals (each op of a push runs in a savepoint) and temporary tables stay in memory instead of
  // spilling to temp files past 64 KiB: a push then costs ~26 % less (bench/push.bench.ts: 7,213 → 9,178 reports/s
  // over HTTP, 16.3 → 21.1 % of raw inserts), and the Monday-morning RSS stayed at ~180 MB (bench/load.bench.ts).
  // Sorts of report rows for the summary then never leave their bytes in a deleted temp file either.
  db.pragma('temp_store = MEMORY')
  return db
}
