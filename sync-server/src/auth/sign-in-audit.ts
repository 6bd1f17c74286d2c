import type { Db } from '../db/connection.ts'
import { audit } from '../services/audit.ts'

/** The name someone typed, as stored in the throttle and the audit log: NFKC, trimmed, lower-case, ≤ 64 chars. */
export function normaliseAccount(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase().slice(0, 64)
}

const MINUTE = 60_000
const MAX_KEYS = 10_000

interface Pending { at: number; unlogged: number }
const perDb = new WeakMap<Db, Map<string, Pending>>()

export interface FailedSignIn {
  action: 'login_failed' | 'second_factor_failed'
  account: string
  address: string
  actorId: number | null
  reason: string
}

/**
 * Failed sign-ins are audited, but at most one row per action × account × address per minute, so a flood
 * cannot flood the (append-only) log. Each row's `failures` counts itself and those not written since
 * the previous row for the same key.
 */
export function auditFailedSignIn(db: Db, event: FailedSignIn, now: number): void {
  let seen = perDb.get(db)
  if (!seen) perDb.set(db, (seen = new Map()))
  const key = `${event.action}\u0000${event.account}\u0000${event.address}`
  const last = seen.get(key)
  if (last && now - last.at < MINUTE) {
    last.unlogged++
    return
  }
  if (seen.size >= MAX_KEYS) flushOld(db, seen, now)
  audit(db, { actorId: event.actorId, action: event.action, target: event.account, ip: event.address, detail: { reason: event.reason, failures: 1 + (last?.unlogged ?? 0) } }, now)
  seen.set(key, { at: now, unlogged: 0 })
}

/** Forgets keys quiet for a minute, first writing what they had not yet written. */
function flushOld(db: Db, seen: Map<string, Pending>, now: number): void {
  for (const [key, p] of seen) {
    if (now - p.at < MINUTE) continue
    if (p.unlogged > 0) {
      const [action, account, address] = key.split('\u0000') as [string, string, string]
      audit(db, { actorId: null, action, target: account, ip: address, detail: { reason: 'summary', failures: p.unlogged } }, now)
    }
    seen.delete(key)
  }
}
