import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Throw this from a handler to answer `{error: {code, message, field?}}` with a 4xx status. */
export class ApiError extends HTTPException {
  constructor(status: ContentfulStatusCode, readonly code: string, message: string, readonly field?: string, readonly extra: { retryAfterSeconds?: number } = {}) {
    super(status, { message })
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`)

/** A 429 that says, in `Retry-After`, when to come back (whole seconds, at least one). */
export const tooMany = (code: string, message: string, retryAfterMs: number) =>
  new ApiError(429, code, message, undefined, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) })
