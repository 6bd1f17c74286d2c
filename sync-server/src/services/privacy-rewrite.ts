import type { Db } from '../db/connection.ts'

/**
 * Runs `fn` as the one narrow path through the append-only revisions (migration 004): it holds the single row of
 * privacy_rewrite while it runs and removes it before returning, all inside the caller's transaction, so no other
 * write can ever see the door open. Only a revision's `changes` may be rewritten; deleting stays impossible.
 */
export function withPrivacyRewrite<T>(db: Db, reason: 'redaction' | 'retention', fn: () => T): T {
  if (!db.inTransaction) throw new Error('withPrivacyRewrite must run inside a transaction')
  db.prepare('INSERT INTO privacy_rewrite (id, reason) VALUES (1, ?)').run(reason)
  const result = fn()
  db.prepare('DELETE FROM privacy_rewrite').run()
  return result
}

/** Every string inside a JSON value passed through `map`; objects and arrays keep their shape. */
export function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (Array.isArray(value)) return value.map(v => mapStrings(v, map))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]))
  return value
}
