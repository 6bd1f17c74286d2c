import type { Role } from '@lagesbild/domain'

export const DESK_ROLES: readonly Role[] = ['reviewer', 'analyst', 'admin']

/**
 * Who needs a second factor: every desk role; reporters only when an admin turned it on for their
 * organisation (a shift without coverage must never be blocked otherwise); and anyone who has enrolled one
 * (an enrolled factor is never optional).
 */
export function requiresSecondFactor(user: { roles: readonly Role[]; orgRequiresSecondFactor: boolean }, enrolled: boolean): boolean {
  return enrolled || user.orgRequiresSecondFactor || user.roles.some(r => DESK_ROLES.includes(r))
}
