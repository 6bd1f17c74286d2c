import { z } from 'zod'
import type { Config } from '../config.ts'
import { DemoRefusedError, runDemo } from '../services/demo/run.ts'
import { RefusedError, options, valid } from './args.ts'
import { withDatabase } from './database.ts'

const Count = z.coerce.number().int().min(100).max(2_000_000)
const Seed = z.coerce.number().int().min(0).max(2 ** 32 - 1)

/**
 * `demo [--reports N] [--seed S]`: a realistic year of demo data and demo accounts in an empty database.
 * Prints the accounts and their password. Refused (exit 1) on a database that holds real data.
 */
export async function demo(args: string[], config: Config): Promise<void> {
  const o = options('demo', args, { reports: { type: 'string' }, seed: { type: 'string' } })
  const reports = o.reports === undefined ? undefined : valid(Count, o.reports, '--reports')
  const seed = o.seed === undefined ? undefined : valid(Seed, o.seed, '--seed')
  await withDatabase(config, async db => {
    try {
      console.log(await runDemo(db, { timeZone: config.timeZone, ...(reports ? { reports } : {}), ...(seed !== undefined ? { seed } : {}) }))
    } catch (err) {
      if (err instanceof DemoRefusedError) throw new RefusedError(err.message)
      throw err
    }
  })
}
