import type { Config } from './config.ts'
import { openDb, dbPath, type Db } from './db/connection.ts'
import { backupBeforeMigrating, migrate } from './db/migrate.ts'
import type { Logger } from 'pino'
import { ensureFirstAdmin, seedCategories, seedPlaces } from './bootstrap.ts'
import { createLoginThrottle } from './auth/throttle.ts'
import { createHashGate } from './auth/hash-gate.ts'
import type { Deps } from './env.ts'

/** Opens and migrates the database and seeds what a new installation needs. Used by the server, CLI and tests. */
export async function prepare(config: Config, file = dbPath(config.dataDir), log?: Logger): Promise<{ deps: Deps; db: Db; firstAdmin: string | null }> {
  const db = openDb(file)
  const backup = await backupBeforeMigrating(db)
  if (backup) {
    const message = `Backed up the database to ${backup.file} before migrating it from schema ${backup.from} to ${backup.to}`
    if (log) log.info({ backup: backup.file, from: backup.from, to: backup.to }, message)
    else console.log(message)
  }
  migrate(db)
  seedCategories(db)
  seedPlaces(db)
  const firstAdmin = await ensureFirstAdmin(db)
  const now = config.clockOffsetMs ? () => Date.now() + config.clockOffsetMs : Date.now
  return { db, firstAdmin, deps: { db, config, throttle: createLoginThrottle(), hashGate: createHashGate(), now, ...(log ? { log } : {}) } }
}
