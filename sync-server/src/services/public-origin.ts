import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'

/**
 * The site's own origin and WebAuthn relying-party id: PUBLIC_ORIGIN (config.publicOrigin, which the session
 * middleware puts on every /api request), never the request's Host header.
 */
export function publicOrigin(c: Context<AppEnv>): { origin: string; rpID: string } {
  const url = new URL(c.get('publicOrigin'))
  return { origin: url.origin, rpID: url.hostname }
}
