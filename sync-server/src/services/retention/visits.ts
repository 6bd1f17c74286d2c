import { DEFAULT_VISIT_RETENTION_MONTHS, expireVisits, monthsBefore } from '../visits.ts'
import type { RetentionStep } from './steps.ts'

/** Visits (staff movement data) are deleted after 6 months (DESIGN), with the push log's records of them. */
export const visitsStep: RetentionStep = {
  name: 'visits',
  run(db, { now, dryRun }) {
    const cutoff = monthsBefore(now, DEFAULT_VISIT_RETENTION_MONTHS)
    const visits = dryRun
      ? db.prepare('SELECT count(*) FROM visits WHERE at_hour < ?').pluck().get(cutoff) as number
      : expireVisits(db, now, DEFAULT_VISIT_RETENTION_MONTHS)
    return { cutoff, rows: visits, detail: { visits } }
  },
}
