import type { Role, UserSummary } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError, notFound } from '../http-error.ts'
import { deleteUserSessions } from '../auth/session-store.ts'
import { findUser } from './accounts.ts'

/**
 * Replaces a user's roles and ends their sessions: the session's timeouts were chosen for the old roles
 * (a reporter's long field session must not carry admin rights). Refuses to leave no active admin.
 */
export function setUserRoles(db: Db, userId: number, roles: readonly Role[]): { before: Role[]; after: UserSummary } {
  return db.transaction(() => {
    const user = findUser(db, userId)
    if (!user) throw notFound(`the user ${userId}`)
    const next = [...new Set(roles)].sort()
    if (user.active && user.roles.includes('admin') && !next.includes('admin')) {
      const otherAdmins = db.prepare(`SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id
                                      WHERE r.role = 'admin' AND u.active = 1 AND u.id <> ?`).pluck().get(userId) as number
      if (otherAdmins === 0) throw new ApiError(409, 'last_admin', 'roles: this is the only active admin; make someone else admin first', 'roles')
    }
    db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(userId)
    const add = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)')
    for (const role of next) add.run(userId, role)
    deleteUserSessions(db, userId)
    return { before: user.roles, after: { ...user, roles: next } }
  })()
}
