import type { NewOrganisation, OrgKind, Organisation, Role, UserSummary } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError } from '../http-error.ts'
import { hashPassword, oneTimePassword } from '../auth/password.ts'
import { deleteUserSessions } from '../auth/session-store.ts'
import { refuseCommonPassword } from '../auth/common-passwords.ts'

interface OrgRow { id: number; name: string; kind: OrgKind; active: number; require_second_factor: number }
const toOrg = (r: OrgRow): Organisation => ({ id: r.id, name: r.name, kind: r.kind, active: r.active === 1, requireSecondFactor: r.require_second_factor === 1 })
const ORG_COLUMNS = 'id, name, kind, active, require_second_factor'

/** A one-time password signs in for this long; after that an admin gives a new one (resetPassword). */
export const ONE_TIME_PASSWORD_TTL_MS = 72 * 3_600_000

export function listOrganisations(db: Db): Organisation[] {
  return (db.prepare(`SELECT ${ORG_COLUMNS} FROM organisations ORDER BY name`).all() as OrgRow[]).map(toOrg)
}

export function findOrganisationByName(db: Db, name: string): Organisation | null {
  const row = db.prepare(`SELECT ${ORG_COLUMNS} FROM organisations WHERE name = ?`).get(name) as OrgRow | undefined
  return row ? toOrg(row) : null
}

/** Turns the second factor for the organisation's reporters on or off; their sessions follow at once. */
export function setOrganisationSecondFactor(db: Db, id: number, required: boolean): Organisation {
  const changed = db.prepare('UPDATE organisations SET require_second_factor = ? WHERE id = ?').run(required ? 1 : 0, id).changes
  if (changed === 0) throw new ApiError(404, 'not_found', 'the organisation was not found')
  return toOrg(db.prepare(`SELECT ${ORG_COLUMNS} FROM organisations WHERE id = ?`).get(id) as OrgRow)
}

export function createOrganisation(db: Db, org: NewOrganisation, now = Date.now()): Organisation {
  if (findOrganisationByName(db, org.name)) throw new ApiError(409, 'exists', `an organisation named "${org.name}" already exists`, 'name')
  const id = Number(db.prepare('INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)').run(org.name, org.kind, now).lastInsertRowid)
  return { id, name: org.name, kind: org.kind, active: true, requireSecondFactor: false }
}

export interface CreateUserInput {
  username: string
  displayName?: string | undefined
  organisationId: number
  roles: readonly Role[]
  password?: string | undefined
}

/** Creates a user; without a password it makes a one-time password that must be changed at first sign-in. */
export async function createUser(db: Db, input: CreateUserInput, now = Date.now()): Promise<{ user: UserSummary; oneTimePassword: string | null }> {
  const org = db.prepare('SELECT id, name, active FROM organisations WHERE id = ?').get(input.organisationId) as { id: number; name: string; active: number } | undefined
  if (!org || !org.active) throw new ApiError(400, 'invalid_request', 'organisationId: no active organisation with that id', 'organisationId')
  if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username)) {
    throw new ApiError(409, 'exists', `the username "${input.username}" is taken`, 'username')
  }
  if (input.password) refuseCommonPassword(input.password, 'password')
  const otp = input.password ? null : oneTimePassword()
  const hash = await hashPassword(input.password ?? otp!)
  const roles = [...new Set(input.roles)].sort()
  // Checked again inside the transaction: the hash above yielded the event loop.
  const id = db.transaction(() => {
    if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username)) {
      throw new ApiError(409, 'exists', `the username "${input.username}" is taken`, 'username')
    }
    const userId = Number(db.prepare(`INSERT INTO users (username, display_name, organisation_id, password_hash, must_change_password, password_expires_at, created_at)
                                      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(input.username, input.displayName ?? null, org.id, hash, otp ? 1 : 0, otp ? now + ONE_TIME_PASSWORD_TTL_MS : null, now).lastInsertRowid)
    const addRole = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)')
    for (const role of roles) addRole.run(userId, role)
    return userId
  })()
  return {
    user: { id, username: input.username, displayName: input.displayName ?? null, organisationId: org.id, organisationName: org.name, roles, active: true, secondFactorEnrolled: false },
    oneTimePassword: otp,
  }
}

const USER_SELECT = `SELECT u.id, u.username, u.display_name, u.organisation_id, o.name AS org_name, u.active,
                            (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) AS roles,
                            (u.totp_confirmed_at IS NOT NULL OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)) AS enrolled
                     FROM users u JOIN organisations o ON o.id = u.organisation_id`
type UserRow = { id: number; username: string; display_name: string | null; organisation_id: number; org_name: string; active: number; roles: string | null; enrolled: number }
const toUserSummary = (r: UserRow): UserSummary => ({
  id: r.id, username: r.username, displayName: r.display_name, organisationId: r.organisation_id,
  organisationName: r.org_name, active: r.active === 1, roles: (r.roles ? r.roles.split(',').sort() : []) as Role[],
  secondFactorEnrolled: r.enrolled === 1,
})

export function listUsers(db: Db): UserSummary[] {
  return (db.prepare(`${USER_SELECT} ORDER BY u.username`).all() as UserRow[]).map(toUserSummary)
}

/** One user as the admin's list shows them, or null. */
export function findUser(db: Db, userId: number): UserSummary | null {
  const row = db.prepare(`${USER_SELECT} WHERE u.id = ?`).get(userId) as UserRow | undefined
  return row ? toUserSummary(row) : null
}

export function disableUser(db: Db, username: string): UserSummary {
  const row = db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number } | undefined
  if (!row) throw new ApiError(404, 'not_found', `no user named "${username}"`, 'username')
  db.transaction(() => {
    db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(row.id)
    deleteUserSessions(db, row.id)
  })()
  return findUser(db, row.id)!
}

/**
 * Gives a user who forgot their password a new one-time password, to be changed at the next sign-in within
 * the same 72 hours as a new account's. The old password stops working and every session ends at once, so a
 * stolen session does not outlive the reset. The second factor stays: resetting it is its own step.
 */
export async function resetPassword(db: Db, userId: number, now = Date.now()): Promise<{ user: UserSummary; oneTimePassword: string }> {
  const user = activeUser(db, userId)
  const otp = oneTimePassword()
  const hash = await hashPassword(otp)
  db.transaction(() => {
    activeUser(db, userId) // again: the hash above yielded the event loop, and the user may have been disabled meanwhile
    db.prepare('UPDATE users SET password_hash = ?, must_change_password = 1, password_expires_at = ? WHERE id = ?').run(hash, now + ONE_TIME_PASSWORD_TTL_MS, userId)
    deleteUserSessions(db, userId)
  })()
  return { user, oneTimePassword: otp }
}

// Nothing enables a disabled account again, so a new password for one would only sign in nobody.
function activeUser(db: Db, userId: number): UserSummary {
  const user = findUser(db, userId)
  if (!user) throw new ApiError(404, 'not_found', 'the user was not found')
  if (!user.active) throw new ApiError(409, 'account_disabled', `${user.username} is disabled and a disabled account cannot be enabled again; add a new account instead`)
  return user
}

/** Sets a password the user chose (checked against the common-password list); it does not expire. */
export async function setPassword(db: Db, userId: number, password: string, field = 'newPassword'): Promise<void> {
  refuseCommonPassword(password, field)
  const hash = await hashPassword(password)
  db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0, password_expires_at = NULL WHERE id = ?').run(hash, userId)
}
