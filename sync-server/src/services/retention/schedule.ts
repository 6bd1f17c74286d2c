import type { Db } from '../../db/connection.ts'
import { runRetention } from './run.ts'

const DAY_MS = 24 * 3_600_000
const FIRST_RUN_MS = 60_000

/**
 * Runs retention inside the server: a minute after start, then once a day. The timers are unref'd (they never
 * keep the process alive) and `stop` clears them before the database closes. A failed run is logged and the next
 * day tries again.
 */
export function startRetentionSchedule(db: Db, now: () => number = Date.now, log: (message: string) => void = console.error): { stop(): void } {
  const tick = () => {
    try {
      const run = runRetention(db, { now: now(), dryRun: false, by: { actorId: null, via: 'schedule' } })
      const removed = run.steps.filter(s => s.rows > 0)
      if (removed.length) log(`retention: ${removed.map(s => `${s.step} ${s.rows}`).join(', ')}`)
    } catch (err) {
      log(`retention failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const first = setTimeout(tick, FIRST_RUN_MS)
  const daily = setInterval(tick, DAY_MS)
  first.unref()
  daily.unref()
  return { stop() { clearTimeout(first); clearInterval(daily) } }
}
