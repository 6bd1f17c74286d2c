import { Secret, TOTP } from 'otpauth'

const PERIOD_MS = 30_000

/**
 * TOTP codes for the browser tests' desk users, computed as an authenticator app does. The server accepts
 * each 30-second step once (and one step either side of now), so a fresh code may mean waiting for the next
 * step; `nextTotp` does that wait (at most one step) instead of failing.
 */
const secrets = new Map<string, { secret: string; lastStep: number }>()
const key = (baseURL: string, username: string) => `${new URL(baseURL).port}|${username.toLowerCase()}`
const offsets = new Map<string, number>()
const serverNow = (baseURL: string) => Date.now() + (offsets.get(new URL(baseURL).port) ?? 0)

/** A server started with TEST_CLOCK_OFFSET_DAYS checks codes against its shifted clock. */
export function setServerClockOffset(port: number, ms: number): void {
  offsets.set(String(port), ms)
}

export function rememberTotp(baseURL: string, username: string, secret: string, usedNow = false): void {
  secrets.set(key(baseURL, username), { secret: secret.replace(/\s/g, ''), lastStep: usedNow ? Math.floor(serverNow(baseURL) / PERIOD_MS) : -Infinity })
}

export function knowsTotp(baseURL: string, username: string): boolean {
  return secrets.has(key(baseURL, username))
}

export async function nextTotp(baseURL: string, username: string): Promise<string> {
  const entry = secrets.get(key(baseURL, username))
  if (!entry) throw new Error(`no TOTP secret known for ${username}; enrol first`)
  let current = Math.floor(serverNow(baseURL) / PERIOD_MS)
  if (entry.lastStep >= current + 1) {
    await new Promise(resolve => setTimeout(resolve, (entry.lastStep * PERIOD_MS) - serverNow(baseURL) + 50))
    current = Math.floor(serverNow(baseURL) / PERIOD_MS)
  }
  const step = Math.max(entry.lastStep + 1, current)
  entry.lastStep = step
  return TOTP.generate({ secret: Secret.fromBase32(entry.secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: step * PERIOD_MS })
}
