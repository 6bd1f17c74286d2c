import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import type { Db } from '../db/connection.ts'
import { ApiError } from '../http-error.ts'

const RP_NAME = 'Lägesbild'
const CHALLENGE_TTL_MS = 5 * 60_000
const MAX_CHALLENGES = 10_000

interface PasskeyRow { id: string; user_id: number; public_key: Buffer; counter: number; transports: string }
interface Challenge { kind: 'register' | 'authenticate'; userId: number; expires: number }

// Challenges live in memory for five minutes and are used once; a restart only means "try again".
const challenges = new WeakMap<Db, Map<string, Challenge>>()

function remember(db: Db, challenge: string, entry: Challenge, now: number): void {
  let map = challenges.get(db)
  if (!map) challenges.set(db, (map = new Map()))
  if (map.size >= MAX_CHALLENGES) for (const [k, v] of map) if (v.expires < now) map.delete(k)
  if (map.size >= MAX_CHALLENGES) throw new ApiError(429, 'busy', 'too many passkey ceremonies in progress; try again in a minute')
  map.set(challenge, entry)
}

/** Takes (and forgets) the challenge the authenticator signed, read from its clientDataJSON. */
function takeChallenge(db: Db, clientDataJSON: string, kind: Challenge['kind'], now: number): { challenge: string; userId: number } | null {
  let challenge: string
  try {
    challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge as string
  } catch {
    return null
  }
  if (typeof challenge !== 'string') return null
  const map = challenges.get(db)
  const entry = map?.get(challenge)
  if (!entry) return null
  map!.delete(challenge)
  return entry.kind === kind && entry.expires >= now ? { challenge, userId: entry.userId } : null
}

const passkeysOf = (db: Db, userId: number) => db.prepare('SELECT id, user_id, public_key, counter, transports FROM passkeys WHERE user_id = ?').all(userId) as PasskeyRow[]

export function passkeyCount(db: Db, userId: number): number {
  return db.prepare('SELECT count(*) FROM passkeys WHERE user_id = ?').pluck().get(userId) as number
}

export async function registrationOptions(db: Db, user: { id: number; username: string; displayName: string | null }, rpID: string, now: number): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await generateRegistrationOptions({
    rpName: RP_NAME, rpID, userName: user.username, userDisplayName: user.displayName ?? user.username,
    userID: new TextEncoder().encode(`lagesbild-user-${user.id}`),
    attestationType: 'none',
    excludeCredentials: passkeysOf(db, user.id).map(p => ({ id: p.id, transports: JSON.parse(p.transports) as string[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  })
  remember(db, options.challenge, { kind: 'register', userId: user.id, expires: now + CHALLENGE_TTL_MS }, now)
  return options
}

/** Verifies and stores a new passkey for the user; 400 when the browser's answer does not check out. */
export async function registerPasskey(db: Db, userId: number, response: RegistrationResponseJSON, expected: { origin: string; rpID: string }, now: number): Promise<void> {
  const taken = takeChallenge(db, response.response.clientDataJSON, 'register', now)
  if (!taken || taken.userId !== userId) throw new ApiError(400, 'passkey_invalid', 'response: no open passkey registration matches; start again')
  let verified
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge: taken.challenge, expectedOrigin: expected.origin, expectedRPID: expected.rpID, requireUserVerification: false })
  } catch (err) {
    throw new ApiError(400, 'passkey_invalid', `response: ${err instanceof Error ? err.message : 'not a valid passkey registration'}`)
  }
  if (!verified.verified) throw new ApiError(400, 'passkey_invalid', 'response: the passkey registration could not be verified')
  const { credential } = verified.registrationInfo
  db.prepare('INSERT INTO passkeys (id, user_id, public_key, counter, transports, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(credential.id, userId, Buffer.from(credential.publicKey), credential.counter, JSON.stringify(credential.transports ?? []), now)
}

export async function authenticationOptions(db: Db, userId: number, rpID: string, now: number): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const keys = passkeysOf(db, userId)
  if (keys.length === 0) throw new ApiError(400, 'no_passkey', 'this account has no passkey; use the code from the authenticator app')
  const options = await generateAuthenticationOptions({
    rpID, userVerification: 'preferred',
    allowCredentials: keys.map(p => ({ id: p.id, transports: JSON.parse(p.transports) as AuthenticatorTransportLike[] })),
  })
  remember(db, options.challenge, { kind: 'authenticate', userId, expires: now + CHALLENGE_TTL_MS }, now)
  return options
}
type AuthenticatorTransportLike = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb'

/** The open sign-in challenge the authenticator answered (taken, so it works once), or null. */
export function takeSignInChallenge(db: Db, response: AuthenticationResponseJSON, now: number): { challenge: string; userId: number } | null {
  return takeChallenge(db, response.response.clientDataJSON, 'authenticate', now)
}

/** Whether one of the user's passkeys signed the challenge; a success advances the key's counter. */
export async function verifyPasskeyAssertion(db: Db, taken: { challenge: string; userId: number }, response: AuthenticationResponseJSON, expected: { origin: string; rpID: string }, now: number): Promise<boolean> {
  const row = db.prepare('SELECT id, user_id, public_key, counter, transports FROM passkeys WHERE id = ? AND user_id = ?').get(response.id, taken.userId) as PasskeyRow | undefined
  if (!row) return false
  try {
    const result = await verifyAuthenticationResponse({
      response, expectedChallenge: taken.challenge, expectedOrigin: expected.origin, expectedRPID: expected.rpID, requireUserVerification: false,
      credential: { id: row.id, publicKey: new Uint8Array(row.public_key), counter: row.counter, transports: JSON.parse(row.transports) as AuthenticatorTransportLike[] },
    })
    if (!result.verified) return false
    db.prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?').run(result.authenticationInfo.newCounter, now, row.id)
    return true
  } catch {
    return false
  }
}
