import type { Config } from '../config.ts'
import { runRetention } from '../services/retention/run.ts'
import { retentionMonths } from '../services/settings.ts'
import { options } from './args.ts'
import { withDatabase } from './database.ts'

/** `retention run [--dry-run]`: removes (or counts) what is past its retention period and prints what. */
export async function retentionRun(args: string[], config: Config): Promise<void> {
  const o = options('retention run', args, { 'dry-run': { type: 'boolean' } })
  const dryRun = o['dry-run'] === true
  await withDatabase(config, db => {
    const run = runRetention(db, { now: Date.now(), dryRun, by: { actorId: null, via: 'cli' } })
    console.log(`Retention: ${retentionMonths(db)} months${dryRun ? ' (dry run: nothing was changed)' : ''}`)
    for (const step of run.steps) {
      const counts = Object.entries(step.detail).map(([k, n]) => `${n} ${k}`).join(', ')
      console.log(`  ${step.step}, occurred before ${step.cutoff}: ${dryRun ? 'would remove free text from' : 'removed free text from'} ${counts}`)
    }
  })
}
