import type { NewOrganisation, OrgKind, Organisation, Role, UserSummary } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError } from '../http-error.ts'
import { hashPassword, oneTimePassword } from '../auth/password.ts'
import { deleteUserSessions } from '../auth/session-store.ts'

interface OrgRow { id: number; name: string; kind: OrgKind; active: number }
const toOrg = (r: OrgRow): Organisation => ({ id: r.id, name: r.name, kind: r.kind, active: r.active === 1 })

export function listOrganisations(db: Db): Organisation[] {
  return (db.prepare('SELECT id, name, kind, active FROM organisations ORDER BY name').all() as OrgRow[]).map(toOrg)
}

export function findOrganisationByName(db: Db, name: string): Organisation | null {
  const row = db.prepare('SELECT id, name, kind, active FROM organisations WHERE name = ?').get(name) as OrgRow | undefined
  return row ? toOrg(row) : null
}

export function createOrganisation(db: Db, org: NewOrganisation, now = Date.now()): Organisation {
  if (findOrganisationByName(db, org.name)) throw new ApiError(409, 'exists', `an organisation named "${org.name}" already exists`, 'name')
  const id = Number(db.prepare('INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)').run(org.name, org.kind, now).lastInsertRowid)
  return { id, name: org.name, kind: org.kind, active: true }
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
  const otp = input.password ? null : oneTimePassword()
  const hash = await hashPassword(input.password ?? otp!)
  const roles = [...new Set(input.roles)].sort()
  // Checked again inside the transaction: the hash above yielded the event loop.
  const id = db.transaction(() => {
    if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username)) {
      throw new ApiError(409, 'exists', `the username "${input.username}" is taken`, 'username')
    }
    const userId = Number(db.prepare(`INSERT INTO users (username, display_name, organisation_id, password_hash, must_change_password, created_at)
                                      VALUES (?, ?, ?, ?, ?, ?)`).run(input.username, input.displayName ?? null, org.id, hash, otp ? 1 : 0, now).lastInsertRowid)
    const addRole = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)')
    for (const role of roles) addRole.run(userId, role)
    return userId
  })()
  return {
    user: { id, username: input.username, displayName: input.displayName ?? null, organisationId: org.id, organisationName: org.name, roles, active: true },
    oneTimePassword: otp,
  }
}

export function listUsers(db: Db): UserSummary[] {
  const rows = db.prepare(`SELECT u.id, u.username, u.display_name, u.organisation_id, o.name AS org_name, u.active,
                                  (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) AS roles
                           FROM users u JOIN organisations o ON o.id = u.organisation_id ORDER BY u.username`).all() as
    Array<{ id: number; username: string; display_name: string | null; organisation_id: number; org_name: string; active: number; roles: string | null }>
  return rows.map(r => ({
    id: r.id, username: r.username, displayName: r.display_name, organisationId: r.organisation_id,
    organisationName: r.org_name, active: r.active === 1, roles: (r.roles ? r.roles.split(',').sort() : []) as Role[],
  }))
}

export function disableUser(db: Db, username: string): UserSummary {
  const row = db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number } | undefined
  if (!row) throw new ApiError(404, 'not_found', `no user named "${username}"`, 'username')
  db.transaction(() => {
    db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(row.id)
    deleteUserSessions(db, row.id)
  })()
  return listUsers(db).find(u => u.id === row.id)!
}

export async function setPassword(db: Db, userId: number, password: string, mustChange: boolean): Promise<void> {
  const hash = await hashPassword(password)
  db.prepare('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?').run(hash, mustChange ? 1 : 0, userId)
}
