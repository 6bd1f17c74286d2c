import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { backupTo } from './backup-file.ts'
import type { Db } from './connection.ts'

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations')

export interface Migration { version: number; name: string; sql: string }

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter(f => /^\d{3}-[\w-]+\.sql$/.test(f))
    .map(f => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version)
  migrations.forEach((m, i) => {
    if (i > 0 && m.version === migrations[i - 1]!.version) throw new Error(`two migrations share the number ${m.version}: ${m.name}`)
  })
  return migrations
}

export class DatabaseTooNewError extends Error {}

/** Applies, in order and each in its own transaction, the migrations newer than the database's user_version. */
export function migrate(db: Db, migrations = loadMigrations()): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (from > latest) {
    throw new DatabaseTooNewError(`the database is at schema version ${from}, but this code knows only up to ${latest}: upgrade Lägesbild before opening it`)
  }
  for (const m of migrations.filter(m => m.version > from)) {
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return { from, to: Math.max(from, latest) }
}

/**
 * Before migrating a database that already has a schema (an upgrade, not a first start), copies it with
 * the online backup to `lagesbild-before-schema-N-<time>.db` beside it, and returns where, so the caller can
 * say so. Returns null when there is nothing to migrate or nothing to keep.
 */
export async function backupBeforeMigrating(db: Db, migrations = loadMigrations(), now = new Date()): Promise<{ file: string; from: number; to: number } | null> {
  const from = db.pragma('user_version', { simple: true }) as number
  const to = migrations.at(-1)?.version ?? 0
  if (from === 0 || from >= to) return null
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const file = join(dirname(db.name), `lagesbild-before-schema-${to}-${stamp}.db`)
  await backupTo(db, file)
  return { file, from, to }
}
