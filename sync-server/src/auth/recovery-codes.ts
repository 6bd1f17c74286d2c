import { createHash, randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
export const RECOVERY_CODE_COUNT = 10

/** Ten codes of 12 characters (about 59 bits each) in groups of four, easy to read off paper. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(randomBytes(12), b => ALPHABET[b % ALPHABET.length]).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`
  })
}

/** Recovery codes are long random strings, so a plain SHA-256 suffices (no need for a slow hash). */
export function hashRecoveryCode(code: string): string {
  const normal = code.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]/g, '')
  return createHash('sha256').update(normal).digest('base64url')
}
