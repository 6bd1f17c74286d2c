import { z } from 'zod'
import { Me } from '@lagesbild/domain'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { Deps } from '../env.ts'
import { ApiError, tooMany } from '../http-error.ts'
import { currentUser } from '../middleware/access.ts'
import { checkPassword } from '../auth/password-check.ts'
import { authenticationOptions, registerPasskey, registrationOptions, takeSignInChallenge, verifyPasskeyAssertion } from '../auth/passkeys.ts'
import { issueRecoveryCodes, secondFactorStatus } from '../auth/second-factor.ts'
import { loadUser } from '../auth/session-store.ts'
import { auditFailedSignIn } from '../auth/sign-in-audit.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'
import { publicOrigin } from '../services/public-origin.ts'
import { startSession } from './auth.ts'
import { defineRoute, errors, json, router } from './define.ts'

// The browser's WebAuthn answer: its shape is checked here, its cryptography by @simplewebauthn/server.
const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*={0,2}$/).max(16_384)
const CredentialResponse = z.looseObject({
  id: Base64Url.min(1).max(1024),
  rawId: Base64Url.min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: Base64Url.min(1) }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
})
const CredentialBody = z.strictObject({ response: CredentialResponse })
const SignInBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(256) })
const Options = z.record(z.string(), z.unknown()).openapi({ description: 'WebAuthn options as JSON, for @simplewebauthn/browser' })

/** Passkeys (WebAuthn) as the stronger second factor: registration when signed in, then sign-in after the password. */
export function passkeyRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute('signed-in', {
    method: 'post', path: '/auth/passkey/register/options', tags: ['auth'], summary: 'Options to register a passkey for the signed-in user',
    responses: { 200: json(Options, 'PublicKeyCredentialCreationOptionsJSON'), 401: errors[401], 403: errors[403] },
  }), async c => {
    const user = currentUser(c)
    if (user.mustChangePassword) throw new ApiError(403, 'password_change_required', 'change your one-time password first')
    return c.json(await registrationOptions(db, user, publicOrigin(c).rpID, deps.now()) as unknown as Record<string, unknown>, 200)
  })

  app.openapi(defineRoute('signed-in', {
    method: 'post', path: '/auth/passkey/register', tags: ['auth'], summary: "Store the new passkey; the first second factor also brings ten recovery codes, shown once",
    request: { body: { content: { 'application/json': { schema: CredentialBody } }, required: true } },
    responses: { 200: json(z.object({ recoveryCodes: z.array(z.string()).nullable() }), 'Registered'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), async c => {
    const user = currentUser(c)
    if (user.mustChangePassword) throw new ApiError(403, 'password_change_required', 'change your one-time password first')
    const hadCodes = secondFactorStatus(db, user.id).recoveryCodesLeft > 0
    await registerPasskey(db, user.id, c.req.valid('json').response as unknown as RegistrationResponseJSON, publicOrigin(c), deps.now())
    const recoveryCodes = hadCodes ? null : issueRecoveryCodes(db, user.id)
    audit(db, { actorId: user.id, action: 'second_factor_enrolled', target: user.username, ip: clientAddress(c), detail: { method: 'passkey' } }, deps.now())
    return c.json({ recoveryCodes }, 200)
  })

  app.openapi(defineRoute('public', {
    method: 'post', path: '/auth/passkey/options', tags: ['auth'], summary: 'After the password: options to sign in with one of the account\'s passkeys',
    request: { body: { content: { 'application/json': { schema: SignInBody } }, required: true } },
    responses: { 200: json(Options, 'PublicKeyCredentialRequestOptionsJSON'), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async c => {
    const { username, password } = c.req.valid('json')
    const { user, attempt } = await checkPassword(deps, c, username, password)
    // The password was right; the attempt is complete only when the passkey answers.
    attempt.abandoned()
    return c.json(await authenticationOptions(db, user.id, publicOrigin(c).rpID, deps.now()) as unknown as Record<string, unknown>, 200)
  })

  app.openapi(defineRoute('public', {
    method: 'post', path: '/auth/passkey/login', tags: ['auth'], summary: 'Sign in with the passkey\'s answer to the open challenge; sets the session cookie',
    request: { body: { content: { 'application/json': { schema: CredentialBody } }, required: true } },
    responses: { 200: json(Me, 'Signed in'), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async c => {
    const response = c.req.valid('json').response as unknown as AuthenticationResponseJSON
    const taken = takeSignInChallenge(db, response, deps.now())
    if (!taken) throw new ApiError(400, 'passkey_invalid', 'response: no open passkey sign-in matches (used, expired or never asked); start again')
    const user = loadUser(db, taken.userId)
    if (!user) throw new ApiError(401, 'bad_credentials', 'wrong username or password')
    const address = clientAddress(c)
    const admission = deps.throttle.begin(user.username, address, deps.now())
    if (!admission.ok) throw tooMany('too_many_attempts', 'too many failed sign-ins; wait a while and try again', admission.retryAfterMs)
    const { attempt } = admission
    try {
      if (!(await verifyPasskeyAssertion(db, taken, response, publicOrigin(c), deps.now()))) {
        attempt.failed(deps.now())
        auditFailedSignIn(db, { action: 'second_factor_failed', account: user.username, address, actorId: user.id, reason: 'passkey' }, deps.now())
        throw new ApiError(401, 'second_factor_invalid', 'the passkey did not sign in; try again or use a code')
      }
      attempt.succeeded()
      return c.json(startSession(deps, c, user, 'passkey'), 200)
    } finally {
      attempt.abandoned()
    }
  })

  return app
}
