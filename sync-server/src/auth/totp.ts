import { Secret, TOTP } from 'otpauth'

/** RFC 6238 as DESIGN asks: SHA-1, 6 digits, 30-second steps; one step either side for clock drift. */
const PERIOD_S = 30
const WINDOW = 1
export const ISSUER = 'Lägesbild'

function totp(secret: string, label = ''): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) })
}

/** A new random secret (160 bits, as RFC 4226 recommends), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The `otpauth://` URL an authenticator app reads from the QR code. */
export function otpauthUrl(secret: string, username: string): string {
  return totp(secret, username).toString()
}

/** The time-step a valid code belongs to (so it can be refused next time), or null for a wrong code. */
export function totpStep(secret: string, code: string, now: number): number | null {
  const delta = totp(secret).validate({ token: code, timestamp: now, window: WINDOW })
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_S) + delta
}
