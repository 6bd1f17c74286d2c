import { OpenAPIHono, createRoute, type RouteConfig } from '@hono/zod-openapi'
import { ErrorBody } from '@lagesbild/domain'
import type { AppEnv } from '../env.ts'
import { allow, type Access } from '../middleware/access.ts'
import { zodErrorBody } from '../middleware/error-handler.ts'

/** A sub-app for one area of the API; request validation failures answer 400 naming the field. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(zodErrorBody(result.error), 400)
    },
  })
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } })

export const errors = {
  400: errorResponse('The request is malformed; the message names the field'),
  401: errorResponse('Not signed in'),
  403: errorResponse('Signed in without the role this needs'),
  404: errorResponse('Not found'),
  409: errorResponse('Conflict with the current state'),
  415: errorResponse('The body is not application/json'),
  429: errorResponse('Too many attempts'),
} as const

/**
 * Every route goes through here so it must declare who may call it; the declaration becomes both the
 * authorisation middleware and the `x-access` note in the OpenAPI document.
 */
export function defineRoute<R extends Omit<RouteConfig, 'middleware'>>(access: Access, config: R) {
  const addresses = typeof access === 'object' && 'orAddressIn' in access ? access.orAddressIn : undefined
  const roles = typeof access === 'object' && 'orAddressIn' in access ? access.roles : access
  return createRoute({
    ...config,
    'x-access': roles === 'public' || roles === 'signed-in' ? roles : [...roles],
    ...(addresses ? { 'x-access-addresses': addresses } : {}),
    middleware: [allow(access)] as const,
  })
}

export function json<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}
