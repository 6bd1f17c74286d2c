import Database from 'better-sqlite3'
import { renameSync, rmSync } from 'node:fs'
import type { Db } from './connection.ts'

const sidecars = (file: string) => [`${file}-wal`, `${file}-shm`, `${file}-journal`]

export function removeWithSidecars(file: string): void {
  for (const f of [file, ...sidecars(file)]) rmSync(f, { force: true })
}

/**
 * Copies a live database with SQLite's online backup into `file` as one self-contained file (rollback
 * journal, no -wal beside it). Written next to the target first and renamed, so a failure never leaves
 * half a backup under the target's name.
 */
export async function backupTo(db: Db, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`
  try {
    await db.backup(partial)
    const copy = new Database(partial)
    copy.pragma('journal_mode = DELETE')
    copy.close()
    renameSync(partial, file)
  } finally {
    removeWithSidecars(partial)
  }
}
