import Dexie, { type EntityTable } from 'dexie'
import type { Draft, LocalReport, LoopItem, OutboxEntry, ReferenceData, SyncMeta } from './types'

export const DB_NAME = 'lagesbild'

export type LagesbildDb = Dexie & {
  reports: EntityTable<LocalReport, 'id'>
  outbox: EntityTable<OutboxEntry, 'opId'>
  drafts: EntityTable<Draft, 'ownerId'>
  reference: EntityTable<ReferenceData, 'ownerId'>
  meta: EntityTable<SyncMeta, 'ownerId'>
  loop: EntityTable<LoopItem, 'key'>
}

/**
 * Schema versions. Add a new version() with an upgrade that carries every row forward; the outbox
 * holds reports that exist nowhere else.
 */
export function openDatabase(name = DB_NAME): LagesbildDb {
  const db = new Dexie(name) as LagesbildDb
  db.version(1).stores({
    reports: 'id, ownerId, [ownerId+createdAt]',
    outbox: 'opId, ownerId, reportId, [ownerId+createdAt]',
    drafts: 'ownerId',
    reference: 'ownerId',
    meta: 'ownerId',
  })
  // The loop: actions marked and visits logged on this phone (their ops go through the same outbox).
  db.version(2).stores({ loop: 'key, ownerId' })
  // Another tab upgrading the schema: let it, and reload this one onto the new code.
  db.on('versionchange', () => {
    db.close()
    if (typeof location !== 'undefined') location.reload()
    return false
  })
  return db
}

let instance: LagesbildDb | null = null

export function database(): LagesbildDb {
  instance ??= openDatabase()
  return instance
}

/**
 * Runs a database operation, reopening once if the browser closed the database under us
 * (storage pressure, a crashed backing store, or a closed tab's connection).
 */
export async function withDb<T>(work: (db: LagesbildDb) => Promise<T>): Promise<T> {
  const db = database()
  try {
    return await work(db)
  } catch (err) {
    if (!(err instanceof Dexie.DatabaseClosedError) && !(err instanceof Dexie.InvalidStateError)) throw err
    db.close()
    instance = openDatabase()
    await instance.open()
    return work(instance)
  }
}
