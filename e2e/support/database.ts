import Database from 'better-sqlite3'
import { join } from 'node:path'

/** Reads the server's real SQLite file (read-only) to check what landed. */
export function readDb<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'lagesbild.db'), { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}
