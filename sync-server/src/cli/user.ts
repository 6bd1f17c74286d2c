import { createInterface } from 'node:readline'
import { z } from 'zod'
import { NewPassword, ROLES, Username, type Role } from '@lagesbild/domain'
import type { Config } from '../config.ts'
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from '../auth/common-passwords.ts'
import { createUser, disableUser, findOrganisationByName, listUsers, resetPassword } from '../services/accounts.ts'
import { RefusedError, UsageError, options, required, valid } from './args.ts'
import { auditCli, withDatabase } from './database.ts'

const DisplayName = z.string().trim().min(1).max(100)

function role(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new UsageError(`unknown role "${value}"; use one of: ${ROLES.join(', ')}`)
  return value as Role
}

/** The first line of stdin, without its line ending; empty when stdin ends first. */
function readLine(): Promise<string> {
  return new Promise(resolve => {
    const rl = createInterface({ input: process.stdin, terminal: false })
    let line: string | null = null
    rl.once('line', l => { line = l; rl.close() })
    rl.once('close', () => resolve(line ?? ''))
  })
}

/** `user add --username U --org NAME --role ROLE [--role ROLE] [--display-name N] [--password-stdin]` */
export async function userAdd(args: string[], config: Config): Promise<void> {
  const o = options('user add', args, {
    username: { type: 'string' }, org: { type: 'string' }, role: { type: 'string', multiple: true },
    'display-name': { type: 'string' }, 'password-stdin': { type: 'boolean' },
  })
  const username = valid(Username, required('user add', 'username', o.username), '--username')
  const orgName = required('user add', 'org', o.org)
  const roles = [...new Set(required('user add', 'role', o.role).map(role))]
  const displayName = o['display-name'] === undefined ? undefined : valid(DisplayName, o['display-name'], '--display-name')
  // Read before the database opens, so a bad password leaves it untouched.
  const password = o['password-stdin'] ? valid(NewPassword, await readLine(), 'the password on stdin') : undefined
  if (password !== undefined && isCommonPassword(password)) throw new UsageError(`the password on stdin: ${COMMON_PASSWORD_MESSAGE}`)

  await withDatabase(config, async db => {
    const org = findOrganisationByName(db, orgName)
    if (!org) throw new RefusedError(`no organisation named "${orgName}"; add it first: npm run admin -- org add --name "${orgName}" --kind KIND`)
    if (!org.active) throw new RefusedError(`the organisation "${org.name}" is not active`)
    if (listUsers(db).some(u => u.username === username)) throw new RefusedError(`the username "${username}" is taken`)
    const { user, oneTimePassword } = await createUser(db, { username, displayName, organisationId: org.id, roles, password })
    auditCli(db, 'user_created', user.username, { roles: user.roles, organisationId: org.id })
    console.log(`Added the user ${user.username} (${user.roles.join(', ')}) in ${org.name}.`)
    if (oneTimePassword) {
      console.log('One-time password, shown only now; it must be changed at first sign-in:')
      console.log(`  ${user.username} / ${oneTimePassword}`)
    }
  })
}

/** `user disable --username U`: the user can no longer sign in and their sessions end. */
export async function userDisable(args: string[], config: Config): Promise<void> {
  const o = options('user disable', args, { username: { type: 'string' } })
  const username = valid(Username, required('user disable', 'username', o.username), '--username')

  await withDatabase(config, db => {
    const users = listUsers(db)
    const user = users.find(u => u.username === username)
    if (!user) throw new RefusedError(`no user named "${username}"`)
    if (!user.active) {
      console.log(`The user ${username} is already disabled; nothing changed.`)
      return
    }
    if (user.roles.includes('admin') && !users.some(u => u.active && u.id !== user.id && u.roles.includes('admin'))) {
      throw new RefusedError(`${username} is the only active admin; add another first: npm run admin -- user add --username NAME --org ORG --role admin`)
    }
    disableUser(db, username)
    auditCli(db, 'user_disabled', username)
    console.log(`Disabled the user ${username}; their sessions have ended.`)
  })
}

/**
 * `user reset-password --username U`: a new one-time password for a user who forgot theirs (the same as
 * Administration → Användare). The running server's sign-in back-off lives in its memory and is not reached
 * from here; it lets go within 15 minutes.
 */
export async function userResetPassword(args: string[], config: Config): Promise<void> {
  const o = options('user reset-password', args, { username: { type: 'string' } })
  const username = valid(Username, required('user reset-password', 'username', o.username), '--username')

  await withDatabase(config, async db => {
    const user = listUsers(db).find(u => u.username === username)
    if (!user) throw new RefusedError(`no user named "${username}"`)
    const { oneTimePassword } = await resetPassword(db, user.id)
    auditCli(db, 'password_reset', username)
    console.log(`Gave ${username} a new one-time password; the old password no longer works and their sessions have ended.`)
    console.log('One-time password, shown only now; it must be changed at the next sign-in, within 72 hours:')
    console.log(`  ${username} / ${oneTimePassword}`)
  })
}
