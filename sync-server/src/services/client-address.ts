import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Config } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { forwardedClient, listHas, normaliseIp } from './ip-list.ts'

/** The TCP peer: the browser, or the reverse proxy in front of us. */
function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}

/**
 * Works out once per request who the client is: the socket's address, or, only when that socket is one of
 * TRUSTED_PROXIES, the right-most X-Forwarded-For hop that is not a trusted proxy. No other header counts.
 */
export function clientAddressMiddleware(config: Pick<Config, 'trustedProxies' | 'metricsAllow'>): MiddlewareHandler<AppEnv> {
  return async function clientAddress(c, next) {
    const peer = socketAddress(c)
    const address = config.trustedProxies.length ? forwardedClient(peer, c.req.header('x-forwarded-for'), config.trustedProxies) : normaliseIp(peer)
    c.set('clientAddress', address)
    c.set('inMetricsAllow', listHas(config.metricsAllow, address))
    await next()
  }
}

/**
 * The client's address for throttling and the audit: what clientAddressMiddleware found, else the socket's.
 * Headers such as X-Forwarded-For are never trusted here except from TRUSTED_PROXIES.
 */
export function clientAddress(c: Context): string {
  const known = c.get('clientAddress' as never) as string | undefined
  return known ?? normaliseIp(socketAddress(c))
}
