import type { RetentionRun } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { audit } from '../audit.ts'
import { reportsStep } from './reports.ts'
import type { RetentionStep } from './steps.ts'
import { visitsStep } from './visits.ts'

/** Every kind of data with a retention period, run in this order. Add a step here to give a new kind one. */
export const RETENTION_STEPS: RetentionStep[] = [reportsStep, visitsStep]

export interface RetentionRunBy { actorId: number | null; ip?: string | null; via: 'schedule' | 'cli' | 'api' }

/**
 * Runs every retention step and audits what it removed (a dry run: what it would remove). Counts only, never
 * the data itself.
 */
export function runRetention(db: Db, options: { now: number; dryRun: boolean; by: RetentionRunBy; steps?: RetentionStep[] }): RetentionRun {
  const { now, dryRun, by } = options
  const results = (options.steps ?? RETENTION_STEPS).map(step => {
    const r = step.run(db, { now, dryRun })
    return { step: step.name, rows: r.rows, detail: r.detail, cutoff: new Date(r.cutoff).toISOString() }
  })
  audit(db, {
    actorId: by.actorId, action: dryRun ? 'retention_dry_run' : 'retention_run', target: null, ip: by.ip ?? null,
    detail: { via: by.via, steps: Object.fromEntries(results.map(r => [r.step, { cutoff: r.cutoff, ...r.detail }])) },
  }, now)
  return { dryRun, steps: results }
}
