import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import { ApiError } from '../http-error.ts'
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts'
import { deleteUserSessions } from './session-store.ts'
import { newTotpSecret, otpauthUrl, totpStep } from './totp.ts'

export interface SecondFactorStatus { totp: boolean; passkeys: number; recoveryCodesLeft: number }

export function secondFactorStatus(db: Db, userId: number): SecondFactorStatus {
  const row = cached(db, `SELECT u.totp_confirmed_at IS NOT NULL AS totp,
                                 (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
                                 (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS codes
                          FROM users u WHERE u.id = ?`).get(userId) as { totp: number; passkeys: number; codes: number } | undefined
  return { totp: row?.totp === 1, passkeys: row?.passkeys ?? 0, recoveryCodesLeft: row?.codes ?? 0 }
}

export function isEnrolled(status: SecondFactorStatus): boolean {
  return status.totp || status.passkeys > 0
}

/** Starts (or restarts) TOTP enrolment with a new secret; refused once TOTP is confirmed (an admin resets it). */
export function startTotpEnrolment(db: Db, user: { id: number; username: string }): { secret: string; otpauthUrl: string } {
  if (secondFactorStatus(db, user.id).totp) throw new ApiError(409, 'already_enrolled', 'TOTP is already set up for this account; an administrator can reset it')
  const secret = newTotpSecret()
  db.prepare('UPDATE users SET totp_secret = ?, totp_confirmed_at = NULL WHERE id = ?').run(secret, user.id)
  return { secret, otpauthUrl: otpauthUrl(secret, user.username) }
}

/**
 * Accepts the first code, which confirms TOTP and uses up its time-step. Returns fresh recovery codes.
 * Wrong code: 400, nothing changes.
 */
export function confirmTotp(db: Db, userId: number, code: string, now: number): string[] {
  const row = db.prepare('SELECT totp_secret, totp_confirmed_at FROM users WHERE id = ?').get(userId) as { totp_secret: string | null; totp_confirmed_at: number | null }
  if (row.totp_confirmed_at !== null) throw new ApiError(409, 'already_enrolled', 'TOTP is already set up for this account')
  if (!row.totp_secret) throw new ApiError(409, 'enrolment_not_started', 'start with POST /api/auth/totp/enrol')
  const step = totpStep(row.totp_secret, code, now)
  if (step === null) throw new ApiError(400, 'second_factor_invalid', 'code: that code is not valid; check the clock of the device and try the next code', 'code')
  return db.transaction(() => {
    db.prepare('UPDATE users SET totp_confirmed_at = ?, totp_last_step = ? WHERE id = ?').run(now, step, userId)
    return issueRecoveryCodes(db, userId)
  })()
}

/** A TOTP code at sign-in: valid, and its time-step newer than any accepted before (atomic, so never twice). */
export function acceptTotp(db: Db, userId: number, code: string, now: number): boolean {
  const secret = db.prepare('SELECT totp_secret FROM users WHERE id = ? AND totp_confirmed_at IS NOT NULL').pluck().get(userId) as string | undefined
  if (!secret) return false
  const step = totpStep(secret, code, now)
  if (step === null) return false
  return db.prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(step, userId, step).changes === 1
}

/** A recovery code works once. */
export function acceptRecoveryCode(db: Db, userId: number, code: string, now: number): boolean {
  return db.prepare('UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL')
    .run(now, userId, hashRecoveryCode(code)).changes === 1
}

/** Replaces the user's recovery codes with ten new ones (stored hashed) and returns them, to be shown once. */
export function issueRecoveryCodes(db: Db, userId: number): string[] {
  const codes = newRecoveryCodes()
  db.transaction(() => {
    db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId)
    const insert = db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)')
    for (const code of codes) insert.run(userId, hashRecoveryCode(code))
  })()
  return codes
}

/** An admin's reset: TOTP, passkeys and recovery codes removed, sessions ended; the next sign-in enrols again. */
export function resetSecondFactor(db: Db, userId: number): void {
  db.transaction(() => {
    db.prepare('UPDATE users SET totp_secret = NULL, totp_confirmed_at = NULL, totp_last_step = NULL WHERE id = ?').run(userId)
    db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId)
    db.prepare('DELETE FROM passkeys WHERE user_id = ?').run(userId)
    deleteUserSessions(db, userId)
  })()
}
