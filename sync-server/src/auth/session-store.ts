import { createHash, randomBytes } from 'node:crypto'
import type { Role } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import { requiresSecondFactor } from './second-factor-policy.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Field accounts (reporter only) stay signed in long enough that a shift without coverage never blocks
 * reporting: 14 days idle, 30 days at most. Desk roles see more data and get office-length sessions.
 */
export const SESSION_POLICY = {
  field: { idleMs: 14 * DAY, absoluteMs: 30 * DAY },
  desk: { idleMs: 2 * HOUR, absoluteMs: 12 * HOUR },
} as const

export function policyFor(roles: readonly Role[]) {
  return roles.every(r => r === 'reporter') ? SESSION_POLICY.field : SESSION_POLICY.desk
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

export function createSession(db: Db, userId: number, roles: readonly Role[], now = Date.now()): string {
  const token = randomBytes(32).toString('base64url')
  const policy = policyFor(roles)
  db.prepare(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_timeout_ms, absolute_expires_at)
              VALUES (?, ?, ?, ?, ?, ?)`).run(hashToken(token), userId, now, now, policy.idleMs, now + policy.absoluteMs)
  return token
}

export interface SessionUser {
  id: number
  username: string
  displayName: string | null
  organisationId: number
  organisationName: string
  organisationKind: string
  roles: Role[]
  mustChangePassword: boolean
  /** The organisation asks its reporters for a second factor too. */
  orgRequiresSecondFactor: boolean
  secondFactorEnrolled: boolean
  /**
   * Needs a second factor and has none yet: the session may only enrol (see DESIGN "Second factor").
   * Worked out on every request, so confirming enrolment makes the same session a full one.
   */
  mustEnrolSecondFactor: boolean
}

interface SessionRow {
  user_id: number
  last_seen_at: number
  idle_timeout_ms: number
  absolute_expires_at: number
}

/** Looks a token up, enforces idle and absolute expiry, and slides the idle window. */
export function resolveSession(db: Db, token: string, now = Date.now()): SessionUser | null {
  const tokenHash = hashToken(token)
  const row = cached(db, 'SELECT user_id, last_seen_at, idle_timeout_ms, absolute_expires_at FROM sessions WHERE token_hash = ?')
    .get(tokenHash) as SessionRow | undefined
  if (!row) return null
  if (now > row.absolute_expires_at || now - row.last_seen_at > row.idle_timeout_ms) {
    db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
    return null
  }
  const user = loadUser(db, row.user_id)
  if (!user) return null
  // Only write when a minute has passed: a write per request would serialise every read behind the WAL lock.
  if (now - row.last_seen_at > 60_000) cached(db, 'UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, tokenHash)
  return user
}

export function loadUser(db: Db, userId: number): SessionUser | null {
  const u = cached(db, `SELECT u.id, u.username, u.display_name, u.organisation_id, o.name AS org_name, o.kind AS org_kind,
                               u.must_change_password, u.active, o.require_second_factor AS org_requires,
                               (u.totp_confirmed_at IS NOT NULL OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)) AS enrolled
                        FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ?`).get(userId) as
    | { id: number; username: string; display_name: string | null; organisation_id: number; org_name: string; org_kind: string; must_change_password: number; active: number; org_requires: number; enrolled: number }
    | undefined
  if (!u || !u.active) return null
  const roles = cached(db, 'SELECT role FROM user_roles WHERE user_id = ? ORDER BY role', { pluck: true }).all(userId) as Role[]
  const orgRequiresSecondFactor = u.org_requires === 1
  const secondFactorEnrolled = u.enrolled === 1
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    organisationId: u.organisation_id,
    organisationName: u.org_name,
    organisationKind: u.org_kind,
    roles,
    mustChangePassword: u.must_change_password === 1,
    orgRequiresSecondFactor,
    secondFactorEnrolled,
    mustEnrolSecondFactor: !secondFactorEnrolled && requiresSecondFactor({ roles, orgRequiresSecondFactor }, false),
  }
}

export function deleteSession(db: Db, token: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token))
}

export function deleteUserSessions(db: Db, userId: number): void {
  db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId)
}
