import type { MiddlewareHandler } from 'hono'
import type { Role } from '@lagesbild/domain'
import type { AppEnv } from '../env.ts'
import { ApiError } from '../http-error.ts'
import type { SessionUser } from '../auth/session-store.ts'

/**
 * Who may call a route. Every route declares one (see routes/define.ts): `public`; `signed-in` (any role,
 * also while a password change or second-factor enrolment is pending); or a list of roles, one of which the caller must hold.
 */
export type Access = 'public' | 'signed-in' | readonly Role[] | AddressOrRoles

/**
 * The roles, or no session at all from an address in a configured list (METRICS_ALLOW, for a monitoring
 * system that scrapes /api/metrics). Listed in the OpenAPI document as the roles in `x-access` and the list
 * in `x-access-addresses`.
 */
export interface AddressOrRoles { readonly roles: readonly Role[]; readonly orAddressIn: 'METRICS_ALLOW' }

export function hasAnyRole(user: SessionUser, roles: readonly Role[]): boolean {
  return user.roles.some(r => roles.includes(r))
}

export function allow(declared: Access): MiddlewareHandler<AppEnv> {
  const byAddress = typeof declared === 'object' && 'orAddressIn' in declared
  const access = typeof declared === 'object' && 'orAddressIn' in declared ? declared.roles : declared
  return async function allow(c, next) {
    if (byAddress && c.get('inMetricsAllow') === true) return next()
    if (access !== 'public') {
      const user = c.get('user')
      if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first')
      if (access !== 'signed-in') {
        if (user.mustChangePassword) throw new ApiError(403, 'password_change_required', 'change your one-time password first')
        if (user.mustEnrolSecondFactor) throw new ApiError(403, 'second_factor_enrolment_required', 'set up a second factor first (POST /api/auth/totp/enrol)')
        if (!hasAnyRole(user, access)) throw new ApiError(403, 'forbidden', `this needs one of the roles: ${access.join(', ')}`)
      }
    }
    await next()
  }
}

/** The signed-in user inside a handler whose route is not public. */
export function currentUser(c: { get(key: 'user'): SessionUser | null }): SessionUser {
  const user = c.get('user')
  if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first')
  return user
}
