import type { Statement } from 'better-sqlite3'
import type { Db } from './connection.ts'

const caches = new WeakMap<Db, Map<string, Statement>>()

/**
 * A statement compiled once per connection. On the push path SQLite spent more time preparing statements
 * than running them; a cached statement is reset before each use, so callers share it safely. Pluck mode
 * is set on every call to one that returns rows, so one caller's `.pluck()` never leaks into another's.
 */
export function cached(db: Db, sql: string, { pluck = false } = {}): Statement {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  let statement = cache.get(sql)
  if (!statement) cache.set(sql, (statement = db.prepare(sql)))
  return statement.reader ? statement.pluck(pluck) : statement
}
