import type { OpResult } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'

/** At most this many pushes share one COMMIT, so one group never holds the event loop for long. */
const MAX_GROUP = 8

interface Waiting { apply: () => OpResult[]; resolve(results: OpResult[]): void; reject(error: unknown): void }
const queues = new WeakMap<Db, Waiting[]>()

/**
 * Group commit for pushes. With `synchronous=FULL` every COMMIT waits for an fsync, and better-sqlite3 waits on the
 * event loop: a storm of phones, one transaction each, queues every request behind one fsync per push. Pushes that
 * arrive together (within one turn of the event loop) share one transaction instead: each push runs in its own
 * savepoint inside it (and its ops' savepoints inside that), so a push
 * that fails is rolled back alone, and each is answered only after the shared COMMIT has returned. If the COMMIT itself
 * fails, every push of the group fails with it (and the phones send them again).
 */
export function inGroupCommit(db: Db, apply: () => OpResult[]): Promise<OpResult[]> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(db)
    if (!queue) {
      queues.set(db, (queue = []))
      setImmediate(() => commitGroups(db))
    }
    queue.push({ apply, resolve, reject })
  })
}

function commitGroups(db: Db): void {
  const queue = queues.get(db) ?? []
  const group = queue.splice(0, MAX_GROUP)
  if (queue.length) setImmediate(() => commitGroups(db))
  else queues.delete(db)

  const outcomes: Array<{ results: OpResult[] } | { error: unknown }> = []
  try {
    db.transaction(() => {
      for (const w of group) {
        try { outcomes.push({ results: db.transaction(w.apply)() }) } catch (error) { outcomes.push({ error }) }
      }
    })()
  } catch (error) {
    for (const w of group) w.reject(error)
    return
  }
  group.forEach((w, i) => {
    const outcome = outcomes[i]!
    if ('results' in outcome) w.resolve(outcome.results)
    else w.reject(outcome.error)
  })
}
