import { instantOfLocal, type AuditExportQuery, type AuditPage, type AuditQuery } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { csvLine, text } from './stats/export-csv.ts'

interface AuditRow { id: number; at: number; actor_id: number | null; actor_username: string | null; action: string; target: string | null; detail: string; ip: string | null }

// Where an event names reports besides its target: the candidates and sources shown with a report, the rows of a
// listing, the duplicates of a merge.
const REPORT_LISTS = ['$.related', '$.reports', '$.duplicates']

/** The WHERE clause and parameters of the audit filters; dates are local days in `timeZone`, inclusive. */
function auditFilter(query: AuditExportQuery, timeZone: string): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = []
  const params: Record<string, unknown> = {}
  if (query.action) { clauses.push('a.action = @action'); params.action = query.action }
  if (query.actor) { clauses.push('a.actor_id = (SELECT id FROM users WHERE username = @actor)'); params.actor = query.actor }
  if (query.from) { clauses.push('a.at >= @fromAt'); params.fromAt = instantOfLocal(query.from, 0, 0, timeZone) }
  if (query.to) { clauses.push('a.at < @toAt'); params.toAt = instantOfLocal(nextDay(query.to), 0, 0, timeZone) }
  if (query.report) {
    clauses.push(`(a.target = @report OR ${REPORT_LISTS.map(p => `EXISTS (SELECT 1 FROM json_each(a.detail, '${p}') WHERE value = @report)`).join(' OR ')})`)
    params.report = query.report
  }
  return { where: clauses.length ? clauses.join(' AND ') : '1', params }
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

const SELECT = `SELECT a.id, a.at, a.actor_id, u.username AS actor_username, a.action, a.target, a.detail, a.ip
                FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id`

/** One page of the audit log, newest first; `before` continues from the previous page's `nextBefore`. */
export function readAuditLog(db: Db, query: AuditQuery, timeZone: string): AuditPage {
  const { where, params } = auditFilter(query, timeZone)
  const rows = db.prepare(`${SELECT} WHERE (@before IS NULL OR a.id < @before) AND ${where} ORDER BY a.id DESC LIMIT @limit`)
    .all({ ...params, before: query.before ?? null, limit: query.limit + 1 }) as AuditRow[]
  const page = rows.slice(0, query.limit)
  return {
    events: page.map(r => ({
      id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorUsername: r.actor_username,
      action: r.action, target: r.target, detail: JSON.parse(r.detail) as Record<string, unknown>, ip: r.ip,
    })),
    nextBefore: rows.length > query.limit ? page.at(-1)!.id : null,
  }
}

const CHUNK = 500

/**
 * The matching events as CSV for Excel (as the report exports: BOM, semicolons, CRLF, formulas defused), oldest
 * first, streamed in chunks from a snapshot taken when the export starts.
 */
export function auditCsv(db: Db, query: AuditExportQuery, timeZone: string): ReadableStream<Uint8Array> {
  const { where, params } = auditFilter(query, timeZone)
  const last = db.prepare('SELECT coalesce(max(id), 0) FROM audit_events').pluck().get() as number
  const page = db.prepare(`${SELECT} WHERE a.id > @after AND a.id <= @last AND ${where} ORDER BY a.id LIMIT ${CHUNK}`)
  const encoder = new TextEncoder()
  const when = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' })
  let after = 0
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('\uFEFF' + csvLine(['id', 'tidpunkt', 'utc', 'användare', 'användar_id', 'händelse', 'mål', 'detaljer', 'adress'])))
    },
    pull(controller) {
      const rows = page.all({ ...params, after, last }) as AuditRow[]
      if (rows.length) {
        after = rows.at(-1)!.id
        controller.enqueue(encoder.encode(rows.map(r => csvLine([String(r.id), when.format(r.at), new Date(r.at).toISOString(), text(r.actor_username ?? ''),
          r.actor_id === null ? '' : String(r.actor_id), r.action, text(r.target ?? ''), text(r.detail), text(r.ip ?? '')])).join('')))
      }
      if (rows.length < CHUNK) controller.close()
    },
  })
}
