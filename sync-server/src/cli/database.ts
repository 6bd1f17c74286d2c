import type { Config } from '../config.ts'
import type { Db } from '../db/connection.ts'
import { prepare } from '../server.ts'
import { audit } from '../services/audit.ts'

/**
 * Opens the database at DATA_DIR as the server does (migrating it; on a fresh one this creates the first
 * admin, whose one-time password is printed exactly as the server prints it), runs `work`, and closes it.
 */
export async function withDatabase<T>(config: Config, work: (db: Db) => T | Promise<T>): Promise<T> {
  const { db, firstAdmin } = await prepare(config)
  try {
    if (firstAdmin) {
      console.log('First start: an administrator was created. Sign in and choose a new password:')
      console.log(`  ${firstAdmin}\n`)
    }
    return await work(db)
  } finally {
    db.close()
  }
}

/** Every change the CLI makes is audited without an actor: the person at the shell is not a user. */
export function auditCli(db: Db, action: string, target: string | null, detail: Record<string, unknown> = {}): void {
  audit(db, { actorId: null, action, target, detail: { via: 'cli', ...detail }, ip: null })
}
