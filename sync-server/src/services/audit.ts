import type { Db } from '../db/connection.ts'

export interface AuditEntry {
  actorId: number | null
  action: string
  target?: string | null
  detail?: Record<string, unknown>
  ip?: string | null
}

/** Appends to the audit log (the table refuses UPDATE and DELETE). */
export function audit(db: Db, entry: AuditEntry, now = Date.now()): void {
  db.prepare('INSERT INTO audit_events (at, actor_id, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)')
    .run(now, entry.actorId, entry.action, entry.target ?? null, JSON.stringify(entry.detail ?? {}), entry.ip ?? null)
}
