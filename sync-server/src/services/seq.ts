import type { Db } from '../db/connection.ts'

/** Takes the next value of the change sequence that pull cursors follow. Call inside the write's transaction. */
export function nextSeq(db: Db): number {
  return (db.prepare('UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value').pluck().get() as number)
}
