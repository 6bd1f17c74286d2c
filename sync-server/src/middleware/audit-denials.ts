import type { MiddlewareHandler } from 'hono'
import type { AppEnv, Deps } from '../env.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'

export interface DenialAuditOptions {
  /** At most this many denials are written per user (or, signed out, per address) in a window… */
  perKey: number
  windowMs: number
  /** …and this many keys are tracked at once; beyond it the oldest windows are forgotten. */
  maxKeys: number
}

export const DEFAULT_DENIAL_AUDIT: DenialAuditOptions = { perKey: 20, windowMs: 10 * 60_000, maxKeys: 10_000 }

const ACTIONS: Record<number, string> = { 403: 'access_denied', 429: 'rate_limited' }

/**
 * Writes every 403 and 429 answer to the audit log: who (user, else address), which route, which refusal. So that
 * a flood of refused requests cannot flood the log, each user or address gets `perKey` events per window; the one
 * that reaches the limit says so (`suppressed: true`), and the rest of the window is counted in memory only.
 */
export function auditDenials(deps: Deps, options: DenialAuditOptions = DEFAULT_DENIAL_AUDIT): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>()

  function allowed(key: string, now: number): { write: boolean; last: boolean } {
    let w = windows.get(key)
    if (!w || now - w.start >= options.windowMs) {
      if (!w && windows.size >= options.maxKeys) windows.delete(windows.keys().next().value!)
      w = { start: now, count: 0 }
      windows.delete(key)
      windows.set(key, w)
    }
    w.count++
    return { write: w.count <= options.perKey, last: w.count === options.perKey }
  }

  return async function auditDenials(c, next) {
    await next()
    const action = ACTIONS[c.res.status]
    if (!action) return
    const user = c.get('user') ?? null
    const ip = clientAddress(c)
    const now = deps.now()
    const { write, last } = allowed(user ? `u${user.id}` : `a${ip ?? ''}`, now)
    if (!write) return
    let code: string | undefined
    try {
      code = ((await c.res.clone().json()) as { error?: { code?: string } }).error?.code
    } catch { /* not JSON: the status says enough */ }
    audit(deps.db, {
      actorId: user?.id ?? null, action, ip,
      target: `${c.req.method} ${c.req.path}`.slice(0, 200),
      detail: { status: c.res.status, ...(code ? { code: code.slice(0, 60) } : {}), ...(last ? { suppressed: true } : {}) },
    }, now)
  }
}
