/**
 * Login throttling that holds under concurrency. An attempt is counted the moment it starts (synchronously,
 * before any password hash is computed), so forty parallel guesses cannot all be checked.
 *
 * - Per account × address, a soft lockout: a few free failures, then an exponential back-off. Another
 *   address that has not failed is not affected, so an attacker cannot lock the administrator out.
 * - Per address, across accounts: a cap on failures inside the window (one address spraying many accounts).
 * Addresses are the socket's (or a trusted proxy's), never a header a client can set.
 */
export interface ThrottleOptions {
  /** Failures older than this are forgotten. */
  windowMs: number
  /** Failures per account × address before the back-off starts. */
  freePerPair: number
  /** The first back-off; it doubles with every further failure, up to `backoffMaxMs`. */
  backoffBaseMs: number
  backoffMaxMs: number
  /** Failures from one address (any account) inside the window. */
  maxPerAddress: number
  /** Above this many tracked keys, idle ones are swept. */
  maxKeys: number
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  windowMs: 15 * 60_000, freePerPair: 5, backoffBaseMs: 30_000, backoffMaxMs: 15 * 60_000, maxPerAddress: 50, maxKeys: 50_000,
}

interface KeyState { failures: number[]; pending: number }

/** One admitted attempt: end it exactly once. */
export interface Attempt {
  /** Wrong password or wrong second factor. */
  failed(now: number): void
  /** Fully signed in: the pair's failures are forgotten. */
  succeeded(): void
  /** Neither (for example the second factor is still to come): the attempt no longer counts as running. */
  abandoned(): void
}

export type Admission = { ok: true; attempt: Attempt } | { ok: false; retryAfterMs: number }

export function createLoginThrottle(options: ThrottleOptions = DEFAULT_THROTTLE) {
  const pairs = new Map<string, KeyState>()
  const addresses = new Map<string, KeyState>()

  function state(map: Map<string, KeyState>, key: string, now: number): KeyState {
    let s = map.get(key)
    if (!s) {
      if (map.size >= options.maxKeys) sweep(map, now)
      map.set(key, (s = { failures: [], pending: 0 }))
    }
    s.failures = s.failures.filter(t => now - t < options.windowMs)
    return s
  }

  function sweep(map: Map<string, KeyState>, now: number): void {
    for (const [key, s] of map) if (s.pending === 0 && s.failures.every(t => now - t >= options.windowMs)) map.delete(key)
  }

  const backoff = (failures: number) =>
    Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.max(0, failures - options.freePerPair))

  /** Milliseconds the pair must wait, or 0. While attempts are running past the free ones, wait for them. */
  function pairWait(s: KeyState, now: number): number {
    const n = s.failures.length
    if (n + s.pending < options.freePerPair) return 0
    if (s.pending > 0) return Math.max(1000, n >= options.freePerPair ? backoff(n) : 0)
    return Math.max(0, s.failures.at(-1)! + backoff(n) - now)
  }

  function addressWait(s: KeyState, now: number): number {
    if (s.failures.length + s.pending < options.maxPerAddress) return 0
    const oldest = s.failures[0]
    return oldest === undefined ? 1000 : Math.max(1000, oldest + options.windowMs - now)
  }

  return {
    /** Counts the attempt now, or says how long to wait. Call before anything asynchronous. */
    begin(account: string, address: string, now: number): Admission {
      const pair = state(pairs, `${account}\u0000${address}`, now)
      const from = state(addresses, address, now)
      const wait = Math.max(pairWait(pair, now), addressWait(from, now))
      if (wait > 0) return { ok: false, retryAfterMs: wait }
      pair.pending++
      from.pending++
      let ended = false
      const end = () => {
        if (ended) return false
        ended = true
        pair.pending--
        from.pending--
        return true
      }
      return {
        ok: true,
        attempt: {
          failed(at) { if (end()) { pair.failures.push(at); from.failures.push(at) } },
          succeeded() { if (end()) pair.failures = [] },
          abandoned() { end() },
        },
      }
    },

    /**
     * Forgets the account's failures from every address (an admin gave it a new password): they were guesses
     * at a password that no longer exists, and the person who just got the new one is often the one who
     * failed. Attempts still running keep counting; the per-address caps stay, since they are about the
     * address, not this account.
     */
    forgetAccount(account: string): void {
      // The address (after the last separator) never holds one; a typed account name might.
      for (const [key, s] of pairs) if (key.slice(0, key.lastIndexOf('\u0000')) === account) s.failures = []
    },
  }
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>
