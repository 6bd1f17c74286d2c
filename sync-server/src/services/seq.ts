import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'

/** Takes the next value of the change sequence that pull cursors follow. Call inside the write's transaction. */
export function nextSeq(db: Db): number {
  return (cached(db, 'UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value', { pluck: true }).get() as number)
}
