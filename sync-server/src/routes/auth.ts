import { z } from 'zod'
import { ChangePasswordBody, LoginBody, Me } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { ApiError } from '../http-error.ts'
import { currentUser } from '../middleware/access.ts'
import { clearSessionCookie, setSessionCookie } from '../middleware/session.ts'
import { hashPassword, verifyPassword } from '../auth/password.ts'
import { createSession, deleteSession, deleteUserSessions, loadUser, policyFor, type SessionUser } from '../auth/session-store.ts'
import { audit } from '../services/audit.ts'
import { setPassword } from '../services/accounts.ts'
import { clientAddress } from '../services/client-address.ts'
import { defineRoute, errors, json, router } from './define.ts'

const Ok = z.object({ ok: z.literal(true) })

function toMe(user: SessionUser): Me {
  return {
    id: user.id, username: user.username, displayName: user.displayName, roles: user.roles,
    organisation: { id: user.organisationId, name: user.organisationName, kind: user.organisationKind as Me['organisation']['kind'] },
    mustChangePassword: user.mustChangePassword,
  }
}

// Verifying against a real hash when the user does not exist keeps response time from revealing usernames.
let dummyHash: Promise<string> | null = null

export function authRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute('public', {
    method: 'post', path: '/auth/login', tags: ['auth'], summary: 'Sign in; sets the session cookie',
    request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
    responses: { 200: json(Me, 'Signed in'), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async c => {
    const { username, password } = c.req.valid('json')
    const address = clientAddress(c)
    const account = username.trim().toLowerCase()
    const wait = deps.throttle.retryAfterMs(account, address, deps.now())
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)))
      throw new ApiError(429, 'too_many_attempts', 'too many failed sign-ins; wait a while and try again')
    }
    const row = db.prepare('SELECT id, password_hash, active FROM users WHERE username = ?').get(account) as
      | { id: number; password_hash: string; active: number } | undefined
    dummyHash ??= hashPassword('not a real password, only for timing')
    const ok = await verifyPassword(password, row?.password_hash ?? await dummyHash)
    const user = row && ok && row.active ? loadUser(db, row.id) : null
    if (!user) {
      deps.throttle.recordFailure(account, address, deps.now())
      audit(db, { actorId: row?.id ?? null, action: 'login_failed', target: account, ip: address }, deps.now())
      throw new ApiError(401, 'bad_credentials', 'wrong username or password')
    }
    deps.throttle.recordSuccess(account)
    const token = createSession(db, user.id, user.roles, deps.now())
    setSessionCookie(c, token, policyFor(user.roles).absoluteMs)
    audit(db, { actorId: user.id, action: 'login', target: user.username, ip: address }, deps.now())
    return c.json(toMe(user), 200)
  })

  app.openapi(defineRoute('public', {
    method: 'post', path: '/auth/logout', tags: ['auth'], summary: 'Sign out; ends the session',
    responses: { 200: json(Ok, 'Signed out (also when no session was there)') },
  }), c => {
    const token = c.get('sessionToken')
    if (token) deleteSession(db, token)
    clearSessionCookie(c)
    return c.json({ ok: true as const }, 200)
  })

  app.openapi(defineRoute('signed-in', {
    method: 'get', path: '/auth/me', tags: ['auth'], summary: 'The signed-in user',
    responses: { 200: json(Me, 'The signed-in user'), 401: errors[401] },
  }), c => c.json(toMe(currentUser(c)), 200))

  // The app asks this at start-up: "nobody" is an answer here, not an error, so it never logs a failed request.
  app.openapi(defineRoute('public', {
    method: 'get', path: '/auth/session', tags: ['auth'], summary: 'The signed-in user, or null',
    responses: { 200: json(z.object({ user: Me.nullable() }), 'Who is signed in, if anyone') },
  }), c => {
    const user = c.get('user')
    return c.json({ user: user ? toMe(user) : null }, 200)
  })

  app.openapi(defineRoute('signed-in', {
    method: 'post', path: '/auth/password', tags: ['auth'], summary: 'Change the password (required after a one-time password)',
    request: { body: { content: { 'application/json': { schema: ChangePasswordBody } }, required: true } },
    responses: { 200: json(Me, 'Changed; other sessions are ended'), 400: errors[400], 401: errors[401] },
  }), async c => {
    const user = currentUser(c)
    const { currentPassword, newPassword } = c.req.valid('json')
    const stored = db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(user.id) as string
    if (!(await verifyPassword(currentPassword, stored))) throw new ApiError(400, 'bad_credentials', 'currentPassword: the current password is wrong', 'currentPassword')
    if (newPassword === currentPassword) throw new ApiError(400, 'invalid_request', 'newPassword: choose a password different from the current one', 'newPassword')
    await setPassword(db, user.id, newPassword, false)
    deleteUserSessions(db, user.id)
    const token = createSession(db, user.id, user.roles, deps.now())
    setSessionCookie(c, token, policyFor(user.roles).absoluteMs)
    audit(db, { actorId: user.id, action: 'password_changed', target: user.username, ip: clientAddress(c) }, deps.now())
    return c.json(toMe({ ...user, mustChangePassword: false }), 200)
  })

  return app
}
