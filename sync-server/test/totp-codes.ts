import { Secret, TOTP } from 'otpauth'

const PERIOD_MS = 30_000

/**
 * TOTP codes for test users, computed with otpauth as an authenticator app would. The server accepts each
 * time-step once and one step either side of now, so `next` uses the current step or the one after it when
 * unused; when both are used it moves the test's clock on rather than waiting.
 */
export class TotpCodes {
  private readonly secrets = new Map<string, { secret: string; lastStep: number }>()

  constructor(private readonly clock: { now(): number; advance(ms: number): void }) {}

  add(username: string, secret: string): void {
    this.secrets.set(username, { secret, lastStep: -Infinity })
  }

  has(username: string): boolean {
    return this.secrets.has(username)
  }

  secret(username: string): string {
    const entry = this.secrets.get(username)
    if (!entry) throw new Error(`${username} has no TOTP secret in this test`)
    return entry.secret
  }

  /** A code the server has not seen yet for this user. */
  next(username: string): string {
    const entry = this.secrets.get(username)
    if (!entry) throw new Error(`${username} has no TOTP secret in this test`)
    let current = Math.floor(this.clock.now() / PERIOD_MS)
    if (entry.lastStep >= current + 1) {
      this.clock.advance((entry.lastStep - current) * PERIOD_MS)
      current = Math.floor(this.clock.now() / PERIOD_MS)
    }
    const step = Math.max(entry.lastStep + 1, current)
    entry.lastStep = step
    return this.at(username, step)
  }

  /** The code of one time-step (for replay tests). */
  at(username: string, step: number): string {
    return TOTP.generate({ secret: Secret.fromBase32(this.secret(username)), algorithm: 'SHA1', digits: 6, period: 30, timestamp: step * PERIOD_MS })
  }
}
