import { z } from 'zod'
import { ChangePasswordBody, LoginBody, Me, RecoveryCodes, SecondFactorStatus, TotpConfirmBody, TotpEnrolment } from '@lagesbild/domain'
import type { Context } from 'hono'
import type { Deps } from '../env.ts'
import { ApiError, tooMany } from '../http-error.ts'
import { currentUser } from '../middleware/access.ts'
import { clearSessionCookie, setSessionCookie } from '../middleware/session.ts'
import { verifyPassword } from '../auth/password.ts'
import { checkPassword } from '../auth/password-check.ts'
import { acceptRecoveryCode, acceptTotp, confirmTotp, isEnrolled, secondFactorStatus, startTotpEnrolment } from '../auth/second-factor.ts'
import { requiresSecondFactor } from '../auth/second-factor-policy.ts'
import { createSession, deleteSession, deleteUserSessions, policyFor, type SessionUser } from '../auth/session-store.ts'
import { auditFailedSignIn } from '../auth/sign-in-audit.ts'
import { audit } from '../services/audit.ts'
import { setPassword } from '../services/accounts.ts'
import { clientAddress } from '../services/client-address.ts'
import { defineRoute, errors, json, router } from './define.ts'

const Ok = z.object({ ok: z.literal(true) })

export function toMe(user: SessionUser): Me {
  return {
    id: user.id, username: user.username, displayName: user.displayName, roles: user.roles,
    organisation: { id: user.organisationId, name: user.organisationName, kind: user.organisationKind as Me['organisation']['kind'] },
    mustChangePassword: user.mustChangePassword,
    mustEnrolSecondFactor: user.mustEnrolSecondFactor,
    secondFactorRequired: requiresSecondFactor(user, user.secondFactorEnrolled),
  }
}

/** Starts a session for a user who has passed every factor they need, and audits it. */
export function startSession(deps: Deps, c: Context, user: SessionUser, secondFactor: 'totp' | 'recovery_code' | 'passkey' | null): Me {
  const token = createSession(deps.db, user.id, user.roles, deps.now())
  setSessionCookie(c, token, policyFor(user.roles).absoluteMs)
  audit(deps.db, { actorId: user.id, action: 'login', target: user.username, ip: clientAddress(c), detail: { secondFactor, mustEnrolSecondFactor: user.mustEnrolSecondFactor } }, deps.now())
  return toMe(user)
}

export function authRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute('public', {
    method: 'post', path: '/auth/login', tags: ['auth'],
    summary: 'Sign in; sets the session cookie. Desk roles also send totp or recoveryCode once enrolled (see DESIGN "Second factor")',
    request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
    responses: {
      200: json(Me, 'Signed in (mustEnrolSecondFactor: the session may only enrol a second factor)'),
      400: errors[400], 401: json(z.object({ error: z.object({ code: z.enum(['bad_credentials', 'second_factor_required', 'second_factor_invalid', 'one_time_password_expired']), message: z.string() }) }), 'Wrong password, or the second factor is missing or wrong'),
      429: errors[429],
    },
  }), async c => {
    const { username, password, totp, recoveryCode } = c.req.valid('json')
    const { user, attempt, account, address } = await checkPassword(deps, c, username, password)
    const status = secondFactorStatus(db, user.id)
    const enrolled = isEnrolled(status)
    // A code for an account with no second factor is refused, never silently ignored.
    if ((totp !== undefined || recoveryCode !== undefined) && !enrolled) {
      attempt.abandoned()
      throw new ApiError(400, 'second_factor_not_enrolled', `${totp !== undefined ? 'totp' : 'recoveryCode'}: this account has no second factor set up; sign in with the password alone`, totp !== undefined ? 'totp' : 'recoveryCode')
    }
    if (enrolled && requiresSecondFactor(user, enrolled)) {
      if (totp === undefined && recoveryCode === undefined) {
        attempt.abandoned()
        throw new ApiError(401, 'second_factor_required', 'enter the code from your authenticator app (or a recovery code, or use your passkey)')
      }
      const accepted = totp !== undefined ? acceptTotp(db, user.id, totp, deps.now()) : acceptRecoveryCode(db, user.id, recoveryCode!, deps.now())
      if (!accepted) {
        attempt.failed(deps.now())
        auditFailedSignIn(db, { action: 'second_factor_failed', account, address, actorId: user.id, reason: totp !== undefined ? 'totp' : 'recovery_code' }, deps.now())
        throw new ApiError(401, 'second_factor_invalid', 'that code is not valid (a code works only once)')
      }
      attempt.succeeded()
      return c.json(startSession(deps, c, user, totp !== undefined ? 'totp' : 'recovery_code'), 200)
    }
    attempt.succeeded()
    return c.json(startSession(deps, c, user, null), 200)
  })

  app.openapi(defineRoute('public', {
    method: 'post', path: '/auth/logout', tags: ['auth'], summary: 'Sign out; ends the session',
    responses: { 200: json(Ok, 'Signed out (also when no session was there)') },
  }), c => {
    const token = c.get('sessionToken')
    const user = c.get('user')
    if (token) deleteSession(db, token)
    if (user) audit(db, { actorId: user.id, action: 'logout', target: user.username, ip: clientAddress(c) }, deps.now())
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
    responses: { 200: json(Me, 'Changed; other sessions are ended'), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async c => {
    const user = currentUser(c)
    const { currentPassword, newPassword } = c.req.valid('json')
    const address = clientAddress(c)
    // The same throttle as sign-in guards the current password: a stolen session cannot guess it quickly.
    const admission = deps.throttle.begin(user.username, address, deps.now())
    if (!admission.ok) throw tooMany('too_many_attempts', 'too many wrong passwords; wait a while and try again', admission.retryAfterMs)
    const { attempt } = admission
    try {
      const stored = db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(user.id) as string
      if (!(await deps.hashGate.run(() => verifyPassword(currentPassword, stored)))) {
        attempt.failed(deps.now())
        auditFailedSignIn(db, { action: 'login_failed', account: user.username, address, actorId: user.id, reason: 'change_password' }, deps.now())
        throw new ApiError(400, 'bad_credentials', 'currentPassword: the current password is wrong', 'currentPassword')
      }
      attempt.succeeded()
    } finally {
      attempt.abandoned()
    }
    if (newPassword === currentPassword) throw new ApiError(400, 'invalid_request', 'newPassword: choose a password different from the current one', 'newPassword')
    await setPassword(db, user.id, newPassword)
    deleteUserSessions(db, user.id)
    const token = createSession(db, user.id, user.roles, deps.now())
    setSessionCookie(c, token, policyFor(user.roles).absoluteMs)
    audit(db, { actorId: user.id, action: 'password_changed', target: user.username, ip: address }, deps.now())
    return c.json(toMe({ ...user, mustChangePassword: false }), 200)
  })

  app.openapi(defineRoute('signed-in', {
    method: 'get', path: '/auth/second-factor', tags: ['auth'], summary: 'Which second factors the signed-in user has',
    responses: { 200: json(SecondFactorStatus, 'Status'), 401: errors[401] },
  }), c => {
    const user = currentUser(c)
    const status = secondFactorStatus(db, user.id)
    return c.json({ required: requiresSecondFactor(user, isEnrolled(status)), ...status }, 200)
  })

  app.openapi(defineRoute('signed-in', {
    method: 'post', path: '/auth/totp/enrol', tags: ['auth'], summary: 'Start TOTP enrolment: a new secret to show as a QR code and as text',
    responses: { 200: json(TotpEnrolment, 'The secret (base32) and its otpauth:// URL'), 401: errors[401], 403: errors[403], 409: errors[409] },
  }), c => {
    const user = currentUser(c)
    if (user.mustChangePassword) throw new ApiError(403, 'password_change_required', 'change your one-time password first')
    const enrolment = startTotpEnrolment(db, user)
    audit(db, { actorId: user.id, action: 'second_factor_enrol_started', target: user.username, ip: clientAddress(c), detail: { method: 'totp' } }, deps.now())
    return c.json(enrolment, 200)
  })

  app.openapi(defineRoute('signed-in', {
    method: 'post', path: '/auth/totp/confirm', tags: ['auth'], summary: 'Confirm TOTP with a first code; returns ten single-use recovery codes, shown once',
    request: { body: { content: { 'application/json': { schema: TotpConfirmBody } }, required: true } },
    responses: { 200: json(RecoveryCodes, 'Enrolled; the session is now a full one'), 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409], 429: errors[429] },
  }), c => {
    const user = currentUser(c)
    if (user.mustChangePassword) throw new ApiError(403, 'password_change_required', 'change your one-time password first')
    const address = clientAddress(c)
    // Wrong first codes count like wrong sign-ins: a password-only session cannot try a million codes.
    const admission = deps.throttle.begin(user.username, address, deps.now())
    if (!admission.ok) throw tooMany('too_many_attempts', 'too many wrong codes; wait a while and try again', admission.retryAfterMs)
    const { attempt } = admission
    try {
      const recoveryCodes = confirmTotp(db, user.id, c.req.valid('json').code, deps.now())
      attempt.succeeded()
      audit(db, { actorId: user.id, action: 'second_factor_enrolled', target: user.username, ip: clientAddress(c), detail: { method: 'totp' } }, deps.now())
      return c.json({ recoveryCodes }, 200)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'second_factor_invalid') {
        attempt.failed(deps.now())
        auditFailedSignIn(db, { action: 'second_factor_failed', account: user.username, address, actorId: user.id, reason: 'totp_confirm' }, deps.now())
      }
      throw err
    } finally {
      attempt.abandoned()
    }
  })

  return app
}
