import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from 'pino'
import type { AppEnv } from '../env.ts'
import { observeRequest } from '../services/metrics.ts'
import { setAnswerHeader } from './answer-header.ts'

const SANE_ID = /^[\w.:-]{1,128}$/

/**
 * One JSON line per request (pino) and the request metrics. Logs only the request id, method, route
 * pattern (e.g. /api/reports/:id, never the concrete path or query), status and duration: no header,
 * cookie, body or free text. Without a logger (app tests) only the metrics and the header remain. Honours a sane incoming X-Request-Id (a proxy's) and always answers with one.
 */
export function requestLog(log: Logger | undefined): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = process.hrtime.bigint()
    const incoming = c.req.header('x-request-id')
    const reqId = incoming && SANE_ID.test(incoming) ? incoming : randomUUID()
    const child = log?.child({ reqId })
    c.set('requestId', reqId)
    if (child) c.set('log', child)
    child?.debug({ method: c.req.method }, 'request received')
    try {
      await next()
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      // After next(), the route index points at the handler that answered: its pattern, not the path.
      const route = routePath(c)
      const status = c.res.status
      setAnswerHeader(c, 'X-Request-Id', reqId)
      observeRequest(c.req.method, route, status, seconds)
      child?.info({ method: c.req.method, route, status, ms: Math.round(seconds * 1e4) / 10 }, 'request')
    }
  }
}
