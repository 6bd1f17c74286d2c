import type { Db } from '../../db/connection.ts'
import { mapFields, type RetentionStep } from './steps.ts'
import { withPrivacyRewrite } from '../privacy-rewrite.ts'
import { retentionCutoff } from '../settings.ts'
import { roundToGrid } from '../stats/grid.ts'

const BATCH = 500

interface Position { lat: number; lon: number; accuracyM?: number; source?: string }

/** A field's value once its retention has passed: no free text, no people, the position on the 250 m grid. */
function retainedValue(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value
  if (field === 'description') return ''
  if (field === 'reviewNote' || field === 'peopleInvolved') return null
  if (field === 'location' && typeof value === 'object' && 'lat' in value && 'lon' in value) {
    const { lat, lon, source } = value as Position
    return { ...roundToGrid(lon, lat), ...(source ? { source } : {}) }
  }
  return value
}

/** A revision's or amendment's `changes` with every retained field's from/to made retained too. */
export function retainChanges(json: string): string {
  return JSON.stringify(mapFields(JSON.parse(json) as unknown, ['description', 'reviewNote', 'peopleInvolved', 'location'], retainedValue))
}

/**
 * Reports that occurred before the retention period: description, review note, people involved and accuracy go,
 * the position moves to the centre of its 250 m cell, in the report, its revisions and its amendments. Category,
 * time, place, organisation and status stay, so every count the summary shows stays the same.
 */
export const reportsStep: RetentionStep = {
  name: 'reports',
  run(db: Db, { now, dryRun }) {
    const cutoff = retentionCutoff(db, now)
    const due = () => db.prepare('SELECT id, lat, lon FROM reports WHERE retained_at IS NULL AND occurred_at < ? ORDER BY occurred_at LIMIT ?')
    const detail = { reports: 0, revisions: 0, amendments: 0 }
    if (dryRun) {
      detail.reports = db.prepare('SELECT count(*) FROM reports WHERE retained_at IS NULL AND occurred_at < ?').pluck().get(cutoff) as number
      detail.revisions = db.prepare('SELECT count(*) FROM revisions v JOIN reports r ON r.id = v.report_id WHERE r.retained_at IS NULL AND r.occurred_at < ?').pluck().get(cutoff) as number
      detail.amendments = db.prepare('SELECT count(*) FROM pending_amendments a JOIN reports r ON r.id = a.report_id WHERE r.retained_at IS NULL AND r.occurred_at < ?').pluck().get(cutoff) as number
      return { cutoff, rows: detail.reports, detail }
    }
    const updateReport = db.prepare(`UPDATE reports SET description = '', review_note = NULL, people_involved = NULL, accuracy_m = NULL,
      privacy_flags = '[]', lat = ?, lon = ?, retained_at = ? WHERE id = ?`)
    const revisions = db.prepare('SELECT id, changes FROM revisions WHERE report_id = ?')
    const updateRevision = db.prepare('UPDATE revisions SET changes = ? WHERE id = ?')
    const amendments = db.prepare('SELECT id, changes FROM pending_amendments WHERE report_id = ?')
    const updateAmendment = db.prepare('UPDATE pending_amendments SET changes = ? WHERE id = ?')
    // In batches, each its own transaction, so a first run over years of reports never holds the writer for long.
    for (;;) {
      const batch = db.transaction(() => {
        const rows = due().all(cutoff, BATCH) as Array<{ id: string; lat: number; lon: number }>
        withPrivacyRewrite(db, 'retention', () => rows.forEach(r => {
          const at = roundToGrid(r.lon, r.lat)
          updateReport.run(at.lat, at.lon, now, r.id)
          detail.reports++
          for (const v of revisions.all(r.id) as Array<{ id: number; changes: string }>) {
            const next = retainChanges(v.changes)
            if (next !== v.changes) { updateRevision.run(next, v.id); detail.revisions++ }
          }
          for (const a of amendments.all(r.id) as Array<{ id: number; changes: string }>) {
            const next = retainChanges(a.changes)
            if (next !== a.changes) { updateAmendment.run(next, a.id); detail.amendments++ }
          }
        }))
        return rows.length
      }).immediate()
      if (batch < BATCH) break
    }
    return { cutoff, rows: detail.reports, detail }
  },
}
