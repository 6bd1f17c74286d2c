import { expireVisits, monthsBefore, visitRetentionMonths } from '../visits.ts'
import type { RetentionStep } from './steps.ts'

/** Visits (staff movement data) are deleted after their own period (6 months by default), with the push log's records of them. */
export const visitsStep: RetentionStep = {
  name: 'visits',
  run(db, { now, dryRun }) {
    const months = visitRetentionMonths(db)
    const cutoff = monthsBefore(now, months)
    const visits = dryRun
      ? db.prepare('SELECT count(*) FROM visits WHERE at_hour < ?').pluck().get(cutoff) as number
      : expireVisits(db, now, months)
    return { cutoff, rows: visits, detail: { visits } }
  },
}
