import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { Db } from './db/connection.ts'
import type { SessionUser } from './auth/session-store.ts'
import type { LoginThrottle } from './auth/throttle.ts'
import type { HashGate } from './auth/hash-gate.ts'

/** What every route handler can reach: given once to createApp, never a global. */
export interface Deps {
  db: Db
  config: Config
  throttle: LoginThrottle
  /** The cap on concurrent password hashes of sign-ins. */
  hashGate: HashGate
  now: () => number
  /** Structured JSON logs (pino); silent in tests unless a test captures them. */
  log?: Logger
}

export interface AppEnv {
  Variables: {
    user: SessionUser | null
    sessionToken: string | null
    /** Set by clientAddressMiddleware: the socket's address, or what a trusted proxy forwarded. */
    clientAddress: string
    /** The client address is in METRICS_ALLOW. */
    inMetricsAllow: boolean
    /** config.publicOrigin, for the session cookie's shape. */
    publicOrigin: string
    /** This request's id (X-Request-Id, honoured when sane, else made here). */
    requestId: string
    /** A logger that carries the request id. */
    log: Logger
  }
}
