import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'

/** The socket's address; headers such as X-Forwarded-For are never trusted for throttling or audit. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}
