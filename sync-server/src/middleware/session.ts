import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { resolveSession } from '../auth/session-store.ts'
import type { AppEnv, Deps } from '../env.ts'

/**
 * `__Host-` binds the cookie to this exact origin over HTTPS. Browsers refuse that prefix without Secure,
 * so a plain-HTTP localhost PUBLIC_ORIGIN (development and tests) uses an unprefixed name instead. The
 * choice follows PUBLIC_ORIGIN alone (set on the context by session()), never the request's URL or Host.
 */
export function cookieShapeFor(publicOrigin: string) {
  const secure = new URL(publicOrigin).protocol === 'https:'
  return { name: secure ? '__Host-lb_session' : 'lb_session', secure }
}

function cookieShape(c: Context) {
  return cookieShapeFor((c.get('publicOrigin' as never) as string | undefined) ?? 'http://localhost')
}

export function setSessionCookie(c: Context, token: string, maxAgeMs: number): void {
  const { name, secure } = cookieShape(c)
  setCookie(c, name, token, { path: '/', httpOnly: true, secure, sameSite: 'Strict', maxAge: Math.floor(maxAgeMs / 1000) })
}

export function clearSessionCookie(c: Context): void {
  const { name, secure } = cookieShape(c)
  deleteCookie(c, name, { path: '/', secure })
}

/** Resolves the session cookie to a user (or null) for every /api request; routes decide what that allows. */
export function session(deps: Deps): MiddlewareHandler<AppEnv> {
  const shape = cookieShapeFor(deps.config.publicOrigin)
  return async function session(c, next) {
    c.set('publicOrigin', deps.config.publicOrigin)
    const token = getCookie(c, shape.name) ?? null
    const user = token ? resolveSession(deps.db, token, deps.now()) : null
    c.set('user', user)
    c.set('sessionToken', user ? token : null)
    await next()
  }
}
