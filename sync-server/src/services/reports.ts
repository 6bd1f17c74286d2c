import {
  AMENDABLE_FIELDS, findPersonalData, localParts,
  type FieldChanges, type LocalParts, type Report, type ReportDraft, type ReportFields, type ReportStatus,
} from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import { nextSeq } from './seq.ts'

/** A report row as stored. Other modules read reports through `toReport`, never by column names of their own. */
export interface ReportRow {
  id: string
  category: string
  occurred_at: number
  occurred_at_text: string
  lat: number
  lon: number
  accuracy_m: number | null
  location_source: 'gps' | 'map' | 'place'
  place_id: number | null
  description: string
  people_involved: number | null
  police_notified: number | null
  privacy_flags: string
  reporter_id: number
  organisation_id: number
  status: ReportStatus
  version: number
  created_at: string
  received_at: number
  reviewed_by: number | null
  reviewed_at: number | null
  review_note: string | null
  duplicate_of: string | null
  seq: number
  pending_amendment?: number
}

export const REPORT_COLUMNS = `r.*, EXISTS (SELECT 1 FROM pending_amendments p WHERE p.report_id = r.id AND p.state = 'pending') AS pending_amendment`

const iso = (ms: number) => new Date(ms).toISOString()

export function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    category: row.category,
    occurredAt: row.occurred_at_text,
    // Keys in the schema's order, as a parsed op has them: merge.ts compares values by their JSON.
    location: {
      lat: row.lat, lon: row.lon,
      ...(row.accuracy_m !== null ? { accuracyM: row.accuracy_m } : {}),
      source: row.location_source,
    },
    ...(row.place_id !== null ? { placeId: row.place_id } : {}),
    description: row.description,
    ...(row.people_involved !== null ? { peopleInvolved: row.people_involved } : {}),
    ...(row.police_notified !== null ? { policeNotified: row.police_notified === 1 } : {}),
    createdAt: row.created_at,
    reporterId: row.reporter_id,
    organisationId: row.organisation_id,
    status: row.status,
    version: row.version,
    receivedAt: iso(row.received_at),
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at === null ? null : iso(row.reviewed_at),
    reviewNote: row.review_note,
    duplicateOf: row.duplicate_of,
    privacyFlags: JSON.parse(row.privacy_flags) as string[],
    pendingAmendment: row.pending_amendment === 1,
  }
}

export function getReportRow(db: Db, id: string): ReportRow | undefined {
  return cached(db, `SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.id = ?`).get(id) as ReportRow | undefined
}

export function fieldsOf(report: ReportFields): ReportFields {
  const fields = {} as Record<string, unknown>
  for (const f of AMENDABLE_FIELDS) if (report[f] !== undefined) fields[f] = report[f]
  return fields as ReportFields
}

export function rowFields(row: ReportRow): ReportFields {
  return fieldsOf(toReport(row))
}

// localParts() costs an Intl formatToParts call, which showed in push profiles. Events close in time share their
// local date and hour, so the parts are cached per UTC quarter hour — but only for a quarter hour that starts and
// ends on the same local date and hour, so one with a clock change inside it is always computed afresh.
const QUARTER_HOUR = 900_000
const localCache = new Map<string, LocalParts | null>()

function cachedLocalParts(instantMs: number, timeZone: string): LocalParts {
  const quarter = Math.floor(instantMs / QUARTER_HOUR)
  const key = `${timeZone} ${quarter}`
  let parts = localCache.get(key)
  if (parts === undefined) {
    const first = localParts(quarter * QUARTER_HOUR, timeZone)
    const last = localParts((quarter + 1) * QUARTER_HOUR - 1, timeZone)
    parts = first.date === last.date && first.hour === last.hour ? first : null
    if (localCache.size >= 100_000) localCache.clear()
    localCache.set(key, parts)
  }
  return parts ?? localParts(instantMs, timeZone)
}

/** Column values for the amendable fields, including the local-time and privacy columns derived from them. */
function fieldColumns(fields: ReportFields, timeZone: string) {
  const occurredAt = Date.parse(fields.occurredAt)
  const local = cachedLocalParts(occurredAt, timeZone)
  return {
    category: fields.category,
    occurred_at: occurredAt,
    occurred_at_text: fields.occurredAt,
    local_date: local.date,
    local_weekday: local.weekday,
    local_hour: local.hour,
    iso_week: local.isoWeek,
    lat: fields.location.lat,
    lon: fields.location.lon,
    accuracy_m: fields.location.accuracyM ?? null,
    location_source: fields.location.source,
    place_id: fields.placeId ?? null,
    description: fields.description,
    people_involved: fields.peopleInvolved ?? null,
    police_notified: fields.policeNotified === undefined ? null : fields.policeNotified ? 1 : 0,
    privacy_flags: JSON.stringify(findPersonalData(fields.description)),
  }
}

export interface Author { userId: number; organisationId: number }

// The columns are always the same keys in the same order, so the statement text is built once.
let insertSql: string | undefined

export function insertReport(db: Db, draft: ReportDraft, author: Author, timeZone: string, now: number): number {
  const cols = { ...fieldColumns(draft, timeZone), id: draft.id, reporter_id: author.userId, organisation_id: author.organisationId,
    status: 'submitted', version: 1, created_at: draft.createdAt, received_at: now, seq: nextSeq(db) }
  insertSql ??= `INSERT INTO reports (${Object.keys(cols).join(', ')}) VALUES (${Object.keys(cols).map(n => '@' + n).join(', ')})`
  cached(db, insertSql).run(cols)
  addRevision(db, { reportId: draft.id, version: 1, authorId: author.userId, kind: 'create', changes: {}, at: now })
  return 1
}

export interface RevisionInput { reportId: string; version: number; authorId: number; kind: string; changes: FieldChanges | Record<string, unknown>; at: number }

export function addRevision(db: Db, r: RevisionInput): void {
  cached(db, 'INSERT INTO revisions (report_id, version, author_id, at, kind, changes) VALUES (?, ?, ?, ?, ?, ?)')
    .run(r.reportId, r.version, r.authorId, r.at, r.kind, JSON.stringify(r.changes))
}

export interface ReportUpdate {
  fields?: ReportFields
  status?: ReportStatus
  review?: { by: number; note: string | null }
  duplicateOf?: string | null
}

/**
 * Writes a new version of a report (fields, status, review, duplicate link), bumps its version and its
 * sync seq, and appends a revision. The caller checks permissions and the base version first.
 */
export function updateReport(db: Db, row: ReportRow, update: ReportUpdate, revision: { authorId: number; kind: string; changes: Record<string, unknown> }, timeZone: string, now: number): number {
  const version = row.version + 1
  const sets: Record<string, unknown> = { version, seq: nextSeq(db) }
  if (update.fields) Object.assign(sets, fieldColumns(update.fields, timeZone))
  if (update.status) sets.status = update.status
  if (update.review) Object.assign(sets, { reviewed_by: update.review.by, reviewed_at: now, review_note: update.review.note })
  if (update.duplicateOf !== undefined) sets.duplicate_of = update.duplicateOf
  const names = Object.keys(sets)
  cached(db, `UPDATE reports SET ${names.map(n => `${n} = @${n}`).join(', ')} WHERE id = @id`).run({ ...sets, id: row.id })
  addRevision(db, { reportId: row.id, version, authorId: revision.authorId, kind: revision.kind, changes: revision.changes, at: now })
  return version
}

/** Bumps only the sync seq, so devices learn of something (such as a pending amendment) that is not a new version. */
export function touchReport(db: Db, id: string): void {
  cached(db, 'UPDATE reports SET seq = ? WHERE id = ?').run(nextSeq(db), id)
}

/**
 * The amendable fields as they were at `version`, by undoing the recorded changes of later revisions.
 * Used to merge an amendment made on an older version field by field.
 */
export function fieldsAtVersion(db: Db, row: ReportRow, version: number): ReportFields | null {
  if (version > row.version || version < 1) return null
  const fields = { ...rowFields(row) } as Record<string, unknown>
  const later = cached(db, 'SELECT changes FROM revisions WHERE report_id = ? AND version > ? ORDER BY id DESC', { pluck: true }).all(row.id, version) as string[]
  for (const json of later) {
    const changes = JSON.parse(json) as Record<string, { from?: unknown } | undefined>
    for (const f of AMENDABLE_FIELDS) {
      const change = changes[f]
      if (change && 'from' in change) {
        if (change.from === null || change.from === undefined) delete fields[f]
        else fields[f] = change.from
      }
    }
  }
  return fields as ReportFields
}
