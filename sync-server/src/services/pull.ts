import type { PullResponse } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import type { SessionUser } from '../auth/session-store.ts'
import { listCategories, listPlaces } from './places.ts'
import { currentPriorities } from './priorities.ts'
import { retentionCutoff } from './settings.ts'
import { REPORT_COLUMNS, toReport, type ReportRow } from './reports.ts'
import { monthsBefore, visitRetentionMonths } from './visits.ts'

const HOUR_MS = 3_600_000
/**
 * A retention cutoff as the pull uses and sends it: down to the whole hour, so every page of a sync (and a repeated
 * request) carries the same value; the server's own retention job runs once a day, so an hour more changes nothing.
 */
const byTheHour = (cutoff: number) => Math.floor(cutoff / HOUR_MS) * HOUR_MS

/**
 * One page of a user's own report changes after `cursor`, in sequence order, plus the reference data when
 * any of it changed after the cursor, and the retention cutoffs of reports and of visits. Read in one transaction so the cursor matches what was read.
 */
export function pull(db: Db, user: SessionUser, cursor: number, limit: number, timeZone: string, now: number): PullResponse {
  return db.transaction(() => {
    // Only reports within the retention period: older ones have lost their free text and stay off the phones.
    const cutoff = byTheHour(retentionCutoff(db, now))
    const rows = cached(db, `SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.reporter_id = ? AND r.seq > ? AND r.occurred_at >= ? ORDER BY r.seq LIMIT ?`)
      .all(user.id, cursor, cutoff, limit + 1) as ReportRow[]
    const hasMore = rows.length > limit
    const page = rows.slice(0, limit)
    const head = cached(db, 'SELECT value FROM change_seq WHERE id = 1', { pluck: true }).get() as number
    const referenceSeq = cached(db, `SELECT max(s) FROM (SELECT max(seq) AS s FROM categories UNION ALL SELECT max(seq) FROM places UNION ALL SELECT max(seq) FROM weekly_priorities UNION ALL SELECT max(seq) FROM hot_spot_actions)`, { pluck: true }).get() as number | null
    const reference = cursor === 0 || (referenceSeq ?? 0) > cursor
      ? { categories: listCategories(db), places: listPlaces(db), priorities: currentPriorities(db, timeZone, now) }
      : null
    return {
      changes: page.map(toReport),
      reference,
      nextCursor: hasMore ? page.at(-1)!.seq : head,
      hasMore,
      // On every page: the phone also forgets the copies it pulled while they were within the period.
      keepFrom: new Date(cutoff).toISOString(),
      // Visits have their own period; the phone forgets the loop's items it logged before this one.
      keepVisitsFrom: new Date(byTheHour(monthsBefore(now, visitRetentionMonths(db)))).toISOString(),
    }
  })()
}
