import type { Report, OrgKind, OrgRef, PendingAmendment, ReportDetail, ReportQueue, ReportQueueQuery, Revision } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { countSources, findCandidates, findSources } from './duplicates.ts'
import { REPORT_COLUMNS, toReport, type ReportRow } from './reports.ts'

/** What needs a reviewer: a new report, or a reviewed one whose reporter has sent an amendment. */
export const WAITING = `(r.status = 'submitted' OR r.id IN (SELECT report_id FROM pending_amendments WHERE state = 'pending'))`

const iso = (ms: number) => new Date(ms).toISOString()
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')

function queueFilter(query: ReportQueueQuery): { where: string; params: unknown[] } {
  const clauses: string[] = []
  const params: unknown[] = []
  if (query.status === 'waiting') clauses.push(WAITING)
  else if (query.status !== 'all') { clauses.push('r.status = ?'); params.push(query.status) }
  if (query.org?.length) { clauses.push(`r.organisation_id IN (${placeholders(query.org.length)})`); params.push(...query.org) }
  if (query.category?.length) { clauses.push(`r.category IN (${placeholders(query.category.length)})`); params.push(...query.category) }
  if (query.from) { clauses.push('r.local_date >= ?'); params.push(query.from) }
  if (query.to) { clauses.push('r.local_date <= ?'); params.push(query.to) }
  if (query.place !== undefined) { clauses.push('r.place_id = ?'); params.push(query.place) }
  if (query.q) { clauses.push(`r.description LIKE ? ESCAPE '\\'`); params.push(`%${query.q.replace(/[\\%_]/g, c => '\\' + c)}%`) }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
}

type QueueRow = ReportRow & { org_name: string; place_name: string | null }

export function listOrganisationRefs(db: Db): OrgRef[] {
  return db.prepare('SELECT id, name, kind FROM organisations ORDER BY name').all() as OrgRef[]
}

/** The queue and search: oldest received first, with the count matching and the count waiting overall. */
export function listQueue(db: Db, query: ReportQueueQuery): ReportQueue {
  const { where, params } = queueFilter(query)
  return db.transaction(() => {
    const rows = db.prepare(`SELECT ${REPORT_COLUMNS}, o.name AS org_name, p.name AS place_name
      FROM reports r JOIN organisations o ON o.id = r.organisation_id LEFT JOIN places p ON p.id = r.place_id
      ${where} ORDER BY r.received_at, r.id LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset) as QueueRow[]
    const total = db.prepare(`SELECT count(*) FROM reports r ${where}`).pluck().get(...params) as number
    const waiting = db.prepare(`SELECT count(*) FROM reports r WHERE ${WAITING}`).pluck().get() as number
    const sources = countSources(db, rows.map(r => r.id))
    const items = rows.map(row => ({
      ...withoutFreeText(toReport(row)),
      organisationName: row.org_name,
      placeName: row.place_name,
      candidateCount: findCandidates(db, row).length,
      sourceCount: sources.get(row.id) ?? 0,
    }))
    return { items, total, waiting, organisations: listOrganisationRefs(db) }
  })()
}

function withoutFreeText(report: Report): Omit<Report, 'description' | 'reviewNote'> {
  const { description: _d, reviewNote: _n, ...rest } = report
  return rest
}

interface RevisionRow { version: number; at: number; kind: string; changes: string; author_id: number; author_name: string }
interface AmendmentRow { id: number; at: number; author_id: number; base_version: number; changes: string }

/**
 * A report with what a reviewer needs to decide: history, organisation, sources and candidates of the
 * same event, pending amendments. A reporter viewing their own report sees no other reports and no
 * other people's names.
 */
export function reportDetail(db: Db, row: ReportRow, viewer: { id: number; isDesk: boolean }): ReportDetail {
  const org = db.prepare('SELECT id, name, kind FROM organisations WHERE id = ?').get(row.organisation_id) as { id: number; name: string; kind: OrgKind }
  const reporterName = db.prepare('SELECT coalesce(display_name, username) FROM users WHERE id = ?').pluck().get(row.reporter_id) as string
  const placeName = row.place_id === null ? null : db.prepare('SELECT name FROM places WHERE id = ?').pluck().get(row.place_id) as string
  const nameOf = (id: number, name: string) => (viewer.isDesk || id === viewer.id ? name : null)
  const history: Revision[] = (db.prepare(`SELECT v.version, v.at, v.kind, v.changes, v.author_id, coalesce(u.display_name, u.username) AS author_name
      FROM revisions v JOIN users u ON u.id = v.author_id WHERE v.report_id = ? ORDER BY v.id`).all(row.id) as RevisionRow[])
    .map(v => ({ version: v.version, at: iso(v.at), kind: v.kind, author: { id: v.author_id, name: nameOf(v.author_id, v.author_name) }, changes: JSON.parse(v.changes) as Record<string, unknown> }))
  const amendments: PendingAmendment[] = (db.prepare(`SELECT id, at, author_id, base_version, changes FROM pending_amendments
      WHERE report_id = ? AND state = 'pending' ORDER BY id`).all(row.id) as AmendmentRow[])
    .map(a => ({ id: a.id, at: iso(a.at), authorId: a.author_id, baseVersion: a.base_version, changes: JSON.parse(a.changes) as PendingAmendment['changes'] }))
  return {
    report: toReport(row),
    organisation: org,
    reporter: { id: row.reporter_id, name: nameOf(row.reporter_id, reporterName) },
    placeName,
    history,
    sources: viewer.isDesk ? findSources(db, row) : [],
    candidates: viewer.isDesk ? findCandidates(db, row) : [],
    amendments,
  }
}
