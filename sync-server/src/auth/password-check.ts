import type { Context } from 'hono'
import type { Deps } from '../env.ts'
import { ApiError, tooMany } from '../http-error.ts'
import { clientAddress } from '../services/client-address.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { loadUser, type SessionUser } from './session-store.ts'
import { auditFailedSignIn, normaliseAccount } from './sign-in-audit.ts'
import type { Attempt } from './throttle.ts'

// Verifying against a real hash when the user does not exist keeps response time from revealing usernames.
let dummyHash: Promise<string> | null = null

export interface CheckedPassword { user: SessionUser; attempt: Attempt; account: string; address: string }

/**
 * The password step of every sign-in (login, passkey sign-in, change password): counts the attempt
 * before hashing, hashes under the concurrency cap, audits a failure. On success the caller ends the
 * attempt (`succeeded` once fully signed in, `failed` for a wrong second factor, else `abandoned`).
 */
export async function checkPassword(deps: Deps, c: Context, username: string, password: string): Promise<CheckedPassword> {
  const address = clientAddress(c)
  const account = normaliseAccount(username)
  const admission = deps.throttle.begin(account, address, deps.now())
  if (!admission.ok) throw tooMany('too_many_attempts', 'too many failed sign-ins; wait a while and try again', admission.retryAfterMs)
  const { attempt } = admission
  try {
    const row = deps.db.prepare('SELECT id, password_hash, active, must_change_password, password_expires_at FROM users WHERE username = ?').get(account) as
      | { id: number; password_hash: string; active: number; must_change_password: number; password_expires_at: number | null } | undefined
    dummyHash ??= hashPassword('not a real password, only for timing')
    const stored = row?.password_hash ?? await dummyHash
    const ok = await deps.hashGate.run(() => verifyPassword(password, stored))
    const user = row && ok && row.active ? loadUser(deps.db, row.id) : null
    if (!row || !user) {
      attempt.failed(deps.now())
      auditFailedSignIn(deps.db, { action: 'login_failed', account, address, actorId: row?.id ?? null, reason: 'bad_credentials' }, deps.now())
      throw new ApiError(401, 'bad_credentials', 'wrong username or password')
    }
    if (row.must_change_password && row.password_expires_at !== null && deps.now() > row.password_expires_at) {
      attempt.abandoned()
      auditFailedSignIn(deps.db, { action: 'login_failed', account, address, actorId: row.id, reason: 'one_time_password_expired' }, deps.now())
      throw new ApiError(401, 'one_time_password_expired', 'this one-time password has expired (after 72 hours); ask an administrator for a new one-time password')
    }
    return { user, attempt, account, address }
  } catch (err) {
    attempt.abandoned() // no-op when the attempt already ended
    throw err
  }
}
