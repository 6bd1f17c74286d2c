import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../http-error.ts'
import { setAnswerHeader } from './answer-header.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const JSON_TYPE = /^application\/json(\s*;.*)?$/i

/**
 * For /api: unsafe methods take only application/json from the same origin (a cross-site form post can
 * send neither), and no answer is ever cached by the browser or a proxy. "Same origin" means PUBLIC_ORIGIN
 * (config.allowedOrigins), never the request's own URL, which the Host header and the proxy's scheme decide.
 */
export function apiGuard(origins: ReadonlySet<string>): MiddlewareHandler {
  return async function apiGuard(c, next) {
    // Set first, so the guard's own 403/415 (thrown below) carry it too.
    c.header('Cache-Control', 'no-store')
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header('origin')
      const site = c.req.header('sec-fetch-site')
      if ((origin && !origins.has(origin)) || (!origin && site && site !== 'same-origin' && site !== 'none')) {
        throw new ApiError(403, 'cross_origin', 'requests that change data must come from this site')
      }
      if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
        throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json')
      }
    }
    await next()
    setAnswerHeader(c, 'Cache-Control', 'no-store')
  }
}
