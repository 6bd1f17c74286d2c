import type { SyncOutcome } from './engine'

export interface SchedulerOptions {
  run: () => Promise<SyncOutcome>
  onOutcome: (outcome: SyncOutcome) => void
  /** Between successful syncs, to bring review outcomes and reference data. */
  intervalMs?: number
  /** First retry after a network or server failure; doubles up to maxDelayMs. */
  retryMs?: number
  maxDelayMs?: number
  /** 0–1; jitter keeps a fleet of phones from retrying in step after an outage. */
  random?: () => number
}

/**
 * Decides when to sync: on request (start, online, visible, after a write, "sync now"), every interval
 * while healthy, and with exponential backoff and jitter after network, timeout or server failures. Requests that
 * arrive during a sync are coalesced into one more run. A session failure stops it until resumed.
 */
export function createScheduler(options: SchedulerOptions) {
  const intervalMs = options.intervalMs ?? 60_000
  const retryMs = options.retryMs ?? 5_000
  const maxDelayMs = options.maxDelayMs ?? 10 * 60_000
  const random = options.random ?? Math.random
  let running = false
  let again = false
  let stopped = false
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  function schedule(delay: number) {
    if (timer) clearTimeout(timer)
    timer = stopped ? null : setTimeout(() => void request(), delay)
  }

  async function request(): Promise<void> {
    if (stopped) return
    if (running) { again = true; return }
    running = true
    try {
      do {
        again = false
        const outcome = await options.run()
        options.onOutcome(outcome)
        if (outcome.ok) {
          failures = 0
          schedule(intervalMs)
        } else if (outcome.failure === 'network' || outcome.failure === 'timeout' || outcome.failure === 'server') {
          failures++
          const backoff = Math.min(maxDelayMs, retryMs * 2 ** (failures - 1))
          schedule(backoff / 2 + random() * backoff / 2)
          again = false
        } else {
          stop() // signed out, expired or refused: wait for the user
        }
      } while (again && !stopped)
    } finally {
      running = false
    }
  }

  function stop() {
    stopped = true
    if (timer) clearTimeout(timer)
    timer = null
  }

  function resume() {
    stopped = false
    failures = 0
    void request()
  }

  return { request, stop, resume, get running() { return running } }
}
export type Scheduler = ReturnType<typeof createScheduler>
