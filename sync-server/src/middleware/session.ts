import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { resolveSession } from '../auth/session-store.ts'
import type { AppEnv, Deps } from '../env.ts'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * `__Host-` binds the cookie to this exact origin over HTTPS. Browsers refuse that prefix without Secure,
 * so plain-HTTP localhost (development and tests) uses an unprefixed name instead.
 */
function cookieShape(c: Context) {
  const url = new URL(c.req.url)
  const secure = url.protocol === 'https:' || !LOCAL_HOSTS.has(url.hostname)
  return { name: secure ? '__Host-lb_session' : 'lb_session', secure }
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
  return async function session(c, next) {
    const token = getCookie(c, cookieShape(c).name) ?? null
    const user = token ? resolveSession(deps.db, token, deps.now()) : null
    c.set('user', user)
    c.set('sessionToken', user ? token : null)
    await next()
  }
}
