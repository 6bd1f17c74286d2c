/**
 * Login throttling per account and per socket address (never a header a client can forge).
 * Failures inside a sliding window beyond the limit lock the key until the window has passed.
 */
export interface ThrottleOptions { windowMs: number; maxPerAccount: number; maxPerAddress: number }

export const DEFAULT_THROTTLE: ThrottleOptions = { windowMs: 15 * 60_000, maxPerAccount: 5, maxPerAddress: 50 }

export function createLoginThrottle(options: ThrottleOptions = DEFAULT_THROTTLE) {
  const failures = new Map<string, number[]>()

  function recent(key: string, now: number): number[] {
    const list = (failures.get(key) ?? []).filter(t => now - t < options.windowMs)
    if (list.length) failures.set(key, list)
    else failures.delete(key)
    return list
  }

  return {
    /** Milliseconds until another attempt is allowed, or 0. */
    retryAfterMs(account: string, address: string, now = Date.now()): number {
      const a = recent(`u:${account}`, now), b = recent(`a:${address}`, now)
      const waits = [0]
      if (a.length >= options.maxPerAccount) waits.push(a[0]! + options.windowMs - now)
      if (b.length >= options.maxPerAddress) waits.push(b[0]! + options.windowMs - now)
      return Math.max(...waits)
    },
    recordFailure(account: string, address: string, now = Date.now()): void {
      for (const key of [`u:${account}`, `a:${address}`]) failures.set(key, [...recent(key, now), now])
    },
    recordSuccess(account: string): void {
      failures.delete(`u:${account}`)
    },
  }
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>
