import { findPersonalData, localParts } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { localIso } from '../stats/local-format.ts'
import type { DemoReport } from './generate.ts'
import type { OrgKey } from './model.ts'

export interface WriteContext {
  timeZone: string
  orgIds: Record<OrgKey, number>
  /** three reporter ids per organisation */
  reporterIds: Record<OrgKey, number[]>
  reviewerId: number
  /** the create/review/merge revisions a real report would have (the benchmark leaves them out) */
  revisions: boolean
}

const COLUMNS = ['id', 'category', 'occurred_at', 'occurred_at_text', 'local_date', 'local_weekday', 'local_hour', 'iso_week',
  'lat', 'lon', 'accuracy_m', 'location_source', 'place_id', 'description', 'people_involved', 'police_notified', 'privacy_flags',
  'reporter_id', 'organisation_id', 'status', 'version', 'created_at', 'received_at', 'reviewed_by', 'reviewed_at', 'review_note',
  'duplicate_of', 'seq'] as const

/**
 * Inserts generated reports with one prepared statement, deriving the local-time and privacy columns as
 * services/reports.ts does (localParts in the municipality's zone, findPersonalData). Call inside a
 * transaction. Takes a block of the change sequence, so devices and pulls see the rows in order.
 */
export function writeReports(db: Db, reports: Iterable<DemoReport>, ctx: WriteContext): number {
  const insert = db.prepare(`INSERT INTO reports (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`)
  const revision = db.prepare('INSERT INTO revisions (report_id, version, author_id, at, kind, changes) VALUES (?, ?, ?, ?, ?, ?)')
  let seq = db.prepare('SELECT value FROM change_seq WHERE id = 1').pluck().get() as number
  const flags = new Map<string, string>()
  let count = 0
  for (const r of reports) {
    const local = localParts(r.occurredAt, ctx.timeZone)
    let privacy = flags.get(r.description)
    if (privacy === undefined) flags.set(r.description, privacy = JSON.stringify(findPersonalData(r.description)))
    const reporterId = ctx.reporterIds[r.org][r.reporter]!
    const reviewed = r.reviewedAt !== null
    insert.run(r.id, r.category, r.occurredAt, localIso(r.occurredAt, ctx.timeZone).iso, local.date, local.weekday, local.hour, local.isoWeek,
      r.lat, r.lon, r.accuracyM, r.source, r.placeId, r.description, r.peopleInvolved, r.policeNotified === null ? null : r.policeNotified ? 1 : 0, privacy,
      reporterId, ctx.orgIds[r.org], r.status, reviewed ? 2 : 1, localIso(r.createdAt, ctx.timeZone).iso, r.receivedAt,
      reviewed ? ctx.reviewerId : null, r.reviewedAt, r.reviewNote, r.duplicateOf, ++seq)
    if (ctx.revisions) {
      revision.run(r.id, 1, reporterId, r.receivedAt, 'create', '{}')
      if (reviewed) {
        const changes: Record<string, unknown> = { status: { from: 'submitted', to: r.status } }
        if (r.reviewNote) changes.reviewNote = { from: null, to: r.reviewNote }
        if (r.duplicateOf) changes.duplicateOf = { from: null, to: r.duplicateOf }
        revision.run(r.id, 2, ctx.reviewerId, r.reviewedAt, r.duplicateOf ? 'merge' : 'review', JSON.stringify(changes))
      }
    }
    count++
  }
  db.prepare('UPDATE change_seq SET value = ? WHERE id = 1').run(seq)
  return count
}
