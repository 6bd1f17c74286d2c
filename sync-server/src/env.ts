import type { Config } from './config.ts'
import type { Db } from './db/connection.ts'
import type { SessionUser } from './auth/session-store.ts'
import type { LoginThrottle } from './auth/throttle.ts'

/** What every route handler can reach: given once to createApp, never a global. */
export interface Deps {
  db: Db
  config: Config
  throttle: LoginThrottle
  now: () => number
}

export interface AppEnv {
  Variables: {
    user: SessionUser | null
    sessionToken: string | null
  }
}
