import type { AuditPage } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'

interface AuditRow { id: number; at: number; actor_id: number | null; actor_username: string | null; action: string; target: string | null; detail: string; ip: string | null }

/** One page of the audit log, newest first; `before` continues from the previous page's `nextBefore`. */
export function readAuditLog(db: Db, query: { before?: number | undefined; limit: number; action?: string | undefined }): AuditPage {
  const rows = db.prepare(`SELECT a.id, a.at, a.actor_id, u.username AS actor_username, a.action, a.target, a.detail, a.ip
                           FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
                           WHERE (@before IS NULL OR a.id < @before) AND (@action IS NULL OR a.action = @action)
                           ORDER BY a.id DESC LIMIT @limit`)
    .all({ before: query.before ?? null, action: query.action ?? null, limit: query.limit + 1 }) as AuditRow[]
  const page = rows.slice(0, query.limit)
  return {
    events: page.map(r => ({
      id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorUsername: r.actor_username,
      action: r.action, target: r.target, detail: JSON.parse(r.detail) as Record<string, unknown>, ip: r.ip,
    })),
    nextBefore: rows.length > query.limit ? page.at(-1)!.id : null,
  }
}
