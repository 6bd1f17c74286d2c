import { z } from 'zod'
import { AuditPage, AuditQuery, Id, NewOrganisation, NewUser, Organisation, OrganisationPatch, UserRolesBody, UserSummary } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { currentUser } from '../middleware/access.ts'
import { createOrganisation, createUser, disableUser, findUser, listOrganisations, listUsers, resetPassword, setOrganisationSecondFactor } from '../services/accounts.ts'
import { resetSecondFactor } from '../auth/second-factor.ts'
import { normaliseAccount } from '../auth/sign-in-audit.ts'
import { audit } from '../services/audit.ts'
import { readAuditLog } from '../services/audit-log.ts'
import { clientAddress } from '../services/client-address.ts'
import { setUserRoles } from '../services/user-roles.ts'
import { ApiError, notFound } from '../http-error.ts'
import { adminPrivacyRoutes } from './admin-privacy.ts'
import { adminReferenceRoutes } from './admin-reference.ts'
import { defineRoute, errors, json, router } from './define.ts'

const ADMIN = ['admin'] as const
const CreatedUser = z.object({ user: UserSummary, oneTimePassword: z.string().nullable() })
const NewOneTimePassword = z.object({ user: UserSummary, oneTimePassword: z.string() })
const UserParams = z.object({ id: z.coerce.number().pipe(Id) })

// An admin cannot lock themselves out: another admin changes their roles or disables them.
function refuseSelf(actorId: number, userId: number, what: string): void {
  if (actorId === userId) throw new ApiError(409, 'own_account', `you cannot ${what} your own account; ask another admin`)
}

export function adminRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute(ADMIN, {
    method: 'get', path: '/admin/organisations', tags: ['admin'], summary: 'All organisations',
    responses: { 200: json(z.array(Organisation), 'Organisations by name'), 401: errors[401], 403: errors[403] },
  }), c => c.json(listOrganisations(db), 200))

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/organisations', tags: ['admin'], summary: 'Add an organisation',
    request: { body: { content: { 'application/json': { schema: NewOrganisation } }, required: true } },
    responses: { 201: json(Organisation, 'Created'), 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409] },
  }), c => {
    const org = createOrganisation(db, c.req.valid('json'), deps.now())
    audit(db, { actorId: currentUser(c).id, action: 'organisation_created', target: String(org.id), detail: { name: org.name, kind: org.kind }, ip: clientAddress(c) }, deps.now())
    return c.json(org, 201)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'patch', path: '/admin/organisations/{id}', tags: ['admin'], summary: "Turn a second factor on or off for the organisation's reporters",
    request: { params: UserParams, body: { content: { 'application/json': { schema: OrganisationPatch } }, required: true } },
    responses: { 200: json(Organisation, 'Changed'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
  }), c => {
    const { requireSecondFactor } = c.req.valid('json')
    const org = setOrganisationSecondFactor(db, c.req.valid('param').id, requireSecondFactor)
    audit(db, { actorId: currentUser(c).id, action: 'organisation_second_factor', target: String(org.id), detail: { requireSecondFactor }, ip: clientAddress(c) }, deps.now())
    return c.json(org, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'get', path: '/admin/users', tags: ['admin'], summary: 'All users with their roles',
    responses: { 200: json(z.array(UserSummary), 'Users by username'), 401: errors[401], 403: errors[403] },
  }), c => c.json(listUsers(db), 200))

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/users', tags: ['admin'], summary: 'Add a user; without a password a one-time password is returned once',
    request: { body: { content: { 'application/json': { schema: NewUser } }, required: true } },
    responses: { 201: json(CreatedUser, 'Created'), 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409] },
  }), async c => {
    const created = await createUser(db, c.req.valid('json'), deps.now())
    audit(db, { actorId: currentUser(c).id, action: 'user_created', target: created.user.username, detail: { roles: created.user.roles, organisationId: created.user.organisationId }, ip: clientAddress(c) }, deps.now())
    return c.json(created, 201)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/users/{id}/disable', tags: ['admin'], summary: 'Disable a user and end their sessions',
    request: { params: UserParams },
    responses: { 200: json(UserSummary, 'Disabled'), 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  }), c => {
    const { id } = c.req.valid('param')
    const username = db.prepare('SELECT username FROM users WHERE id = ?').pluck().get(id) as string | undefined
    if (!username) throw notFound('the user')
    refuseSelf(currentUser(c).id, id, 'disable')
    const user = disableUser(db, username)
    audit(db, { actorId: currentUser(c).id, action: 'user_disabled', target: username, ip: clientAddress(c) }, deps.now())
    return c.json(user, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'put', path: '/admin/users/{id}/roles', tags: ['admin'], summary: "Replace a user's roles; their sessions end so the new roles apply at once",
    request: { params: UserParams, body: { content: { 'application/json': { schema: UserRolesBody } }, required: true } },
    responses: { 200: json(UserSummary, 'Changed'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  }), c => {
    const { id } = c.req.valid('param')
    refuseSelf(currentUser(c).id, id, 'change the roles of')
    const { before, after } = setUserRoles(db, id, c.req.valid('json').roles)
    audit(db, { actorId: currentUser(c).id, action: 'roles_changed', target: after.username, detail: { from: before, to: after.roles }, ip: clientAddress(c) }, deps.now())
    return c.json(after, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/users/{id}/second-factor/reset', tags: ['admin'],
    summary: "Remove a user's TOTP, passkeys and recovery codes (a lost phone); their sessions end and the next sign-in enrols again",
    request: { params: UserParams },
    responses: { 200: json(UserSummary, 'Reset'), 401: errors[401], 403: errors[403], 404: errors[404] },
  }), c => {
    const { id } = c.req.valid('param')
    const before = findUser(db, id)
    if (!before) throw notFound('the user')
    resetSecondFactor(db, id)
    audit(db, { actorId: currentUser(c).id, action: 'second_factor_reset', target: before.username, ip: clientAddress(c) }, deps.now())
    return c.json({ ...before, secondFactorEnrolled: false }, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/users/{id}/password/reset', tags: ['admin'],
    summary: 'Give a user who forgot their password a new one-time password, returned once; the old one stops working and their sessions end',
    request: { params: UserParams },
    responses: { 200: json(NewOneTimePassword, 'Reset; the user changes the password at the next sign-in, within 72 hours'), 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  }), async c => {
    const { id } = c.req.valid('param')
    const actor = currentUser(c)
    if (actor.id === id) throw new ApiError(409, 'own_account', 'you cannot reset your own password; change it under "Change password" (POST /api/auth/password)')
    const { user, oneTimePassword } = await resetPassword(db, id, deps.now())
    // Their failed sign-ins were against the old password; left in place they could hold the new one back for up to 15 minutes.
    deps.throttle.forgetAccount(normaliseAccount(user.username))
    audit(db, { actorId: actor.id, action: 'password_reset', target: user.username, ip: clientAddress(c) }, deps.now())
    return c.json({ user, oneTimePassword }, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'get', path: '/admin/audit', tags: ['admin'], summary: 'The audit log, newest first, a page at a time',
    request: { query: AuditQuery },
    responses: { 200: json(AuditPage, 'One page; pass nextBefore as before for the next'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => c.json(readAuditLog(db, c.req.valid('query'), deps.config.timeZone), 200))

  app.route('/', adminReferenceRoutes(deps))
  app.route('/', adminPrivacyRoutes(deps))
  return app
}
