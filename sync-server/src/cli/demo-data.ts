import { z } from 'zod'
import type { Config } from '../config.ts'
import { DemoRefusedError, runDemo } from '../services/demo/run.ts'
import { RefusedError, options, valid } from './args.ts'
import { withDatabase } from './database.ts'

const Count = z.coerce.number({ error: 'a whole number from 1 to 2000000' }).int('a whole number from 1 to 2000000').min(1).max(2_000_000)
const Seed = z.coerce.number({ error: 'a whole number' }).int('a whole number').min(0).max(2 ** 31)

/** `demo [--reports N] [--seed N]`: a realistic year of demo data and demo accounts, only into an empty database. */
export async function demo(args: string[], config: Config): Promise<void> {
  const o = options('demo', args, { reports: { type: 'string' }, seed: { type: 'string' } })
  const reports = o.reports === undefined ? undefined : valid(Count, o.reports, '--reports')
  const seed = o.seed === undefined ? undefined : valid(Seed, o.seed, '--seed')

  await withDatabase(config, async db => {
    try {
      // runDemo records its own audit event (demo_data, without an actor).
      console.log(await runDemo(db, { timeZone: config.timeZone, ...(reports !== undefined ? { reports } : {}), ...(seed !== undefined ? { seed } : {}) }))
    } catch (err) {
      if (err instanceof DemoRefusedError) throw new RefusedError(err.message)
      throw err
    }
  })
}
