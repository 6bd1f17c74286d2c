import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Throw this from a handler to answer `{error: {code, message, field?}}` with a 4xx status. */
export class ApiError extends HTTPException {
  constructor(status: ContentfulStatusCode, readonly code: string, message: string, readonly field?: string) {
    super(status, { message })
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`)
