import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ZodError } from 'zod'
import { ApiError } from '../http-error.ts'

function codeFor(status: number): string {
  if (status === 400) return 'invalid_request'
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 413) return 'payload_too_large'
  if (status === 415) return 'unsupported_media_type'
  return 'error'
}

export function zodErrorBody(err: ZodError) {
  const issue = err.issues[0]
  const path = issue?.path.join('.') ?? ''
  const keys = issue && 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.join(', ') : ''
  const field = keys ? [path, keys].filter(Boolean).join('.') : path
  const message = field ? `${field}: ${issue?.message ?? 'invalid'}` : (issue?.message ?? 'invalid request')
  return { error: { code: 'invalid_request', message, field: field || undefined } }
}

/** Every error leaves as `{error: {code, message}}`; an unexpected one is logged and never shows its stack. */
export function errorHandler(err: Error, c: Context) {
  if (err instanceof ApiError) {
    if (err.extra.retryAfterSeconds) c.header('Retry-After', String(err.extra.retryAfterSeconds))
    return c.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }, err.status)
  }
  if (err instanceof ZodError) return c.json(zodErrorBody(err), 400)
  if (err instanceof HTTPException) {
    const status = err.status
    const message = status === 400 && /JSON/i.test(err.message) ? 'the body is not valid JSON' : err.message || codeFor(status)
    return c.json({ error: { code: codeFor(status), message } }, status)
  }
  const log = c.get('log' as never) as { error(o: object, m: string): void } | undefined
  if (log) log.error({ err }, 'unexpected error')
  else console.error(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path}:`, err)
  return c.json({ error: { code: 'internal_error', message: 'something went wrong on the server; it has been logged' } }, 500)
}
