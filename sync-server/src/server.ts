import type { Config } from './config.ts'
import { openDb, dbPath, type Db } from './db/connection.ts'
import { migrate } from './db/migrate.ts'
import { ensureFirstAdmin, seedCategories, seedPlaces } from './bootstrap.ts'
import { createLoginThrottle } from './auth/throttle.ts'
import type { Deps } from './env.ts'

/** Opens and migrates the database and seeds what a new installation needs. Used by the server, CLI and tests. */
export async function prepare(config: Config, file = dbPath(config.dataDir)): Promise<{ deps: Deps; db: Db; firstAdmin: string | null }> {
  const db = openDb(file)
  migrate(db)
  seedCategories(db)
  seedPlaces(db)
  const firstAdmin = await ensureFirstAdmin(db)
  return { db, firstAdmin, deps: { db, config, throttle: createLoginThrottle(), now: Date.now } }
}
