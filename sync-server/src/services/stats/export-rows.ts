import Database from 'better-sqlite3'
import type { StatsFilter } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { listSql, type ListedReport } from './listing.ts'

const CHUNK_ROWS = 500

/**
 * Streams the matching reports, newest first, as text chunks made by `format`. It reads through a read-only
 * connection of its own inside one read transaction: a consistent snapshot, while the server's connection
 * stays free for other requests between chunks.
 */
export function exportStream(db: Db, f: StatsFilter, parts: { head: string; row: (r: ListedReport, first: boolean) => string; tail: string }): ReadableStream<Uint8Array> {
  const q = listSql(db, f)
  const reader = db.memory ? db : new Database(db.name, { readonly: true, fileMustExist: true })
  const own = reader !== db
  if (own) reader.pragma('busy_timeout = 5000')
  const rows = reader.prepare(q.sql).iterate(...q.params) as IterableIterator<ListedReport>
  const encoder = new TextEncoder()
  let first = true
  const close = () => {
    rows.return?.()
    if (own && reader.open) reader.close()
  }
  return new ReadableStream<Uint8Array>({
    start(controller) { controller.enqueue(encoder.encode(parts.head)) },
    pull(controller) {
      try {
        let chunk = ''
        for (let i = 0; i < CHUNK_ROWS; i++) {
          const next = rows.next()
          if (next.done) {
            close()
            controller.enqueue(encoder.encode(chunk + parts.tail))
            controller.close()
            return
          }
          chunk += parts.row(next.value, first)
          first = false
        }
        controller.enqueue(encoder.encode(chunk))
      } catch (err) {
        close()
        controller.error(err)
      }
    },
    cancel: close,
  })
}

/** Swedish category labels by code, for the exports. */
export function categoryLabels(db: Db): Map<string, string> {
  return new Map((db.prepare('SELECT code, label_sv FROM categories').all() as Array<{ code: string; label_sv: string }>).map(c => [c.code, c.label_sv]))
}
