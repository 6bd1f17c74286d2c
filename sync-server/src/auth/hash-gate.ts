import { tooMany } from '../http-error.ts'

/**
 * A cap on concurrent password hashes. scrypt holds 32 MiB and a thread-pool thread for tens of
 * milliseconds; a flood of sign-ins would otherwise queue behind each other and stall every sign-in.
 * A few run at once, a short queue waits, and beyond that the caller is told to come back (429).
 */
export interface HashGateOptions { concurrent: number; queue: number }

export const DEFAULT_HASH_GATE: HashGateOptions = { concurrent: 2, queue: 16 }

export function createHashGate(options: HashGateOptions = DEFAULT_HASH_GATE) {
  let running = 0
  const waiting: Array<() => void> = []

  function release(): void {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  return {
    /** Runs `work` under the cap; throws a 429 at once (synchronously decided) when the queue is full. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= options.concurrent) {
        if (waiting.length >= options.queue) {
          throw tooMany('busy', 'the server is checking many passwords right now; try again in a moment', 1000)
        }
        await new Promise<void>(resolve => waiting.push(resolve))
      } else {
        running++
      }
      try {
        return await work()
      } finally {
        release()
      }
    },
  }
}
export type HashGate = ReturnType<typeof createHashGate>
