import { z } from 'zod'
import { Id } from './common.ts'
import { OrgKind } from './organisation.ts'

export const ROLES = ['reporter', 'reviewer', 'analyst', 'admin'] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

export const Username = z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{2,40}$/, 'use 2–40 letters a–z, digits, dot, dash or underscore')

// OWASP ASVS 5.0 asks for at least 8 characters and allows up to 64+; no composition rules.
export const NewPassword = z.string().min(12, 'at least 12 characters').max(128)

/** Second factor (DESIGN "Second factor"): `totp` or `recoveryCode`, never both; unknown fields are refused. */
export const LoginBody = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(256),
  totp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
  recoveryCode: z.string().trim().min(8).max(40).optional(),
}).refine(b => b.totp === undefined || b.recoveryCode === undefined, { message: 'send either totp or recoveryCode, not both', path: ['recoveryCode'] })
export type LoginBody = z.infer<typeof LoginBody>

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPassword,
})

export const Me = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string().nullable(),
  roles: z.array(Role),
  organisation: z.object({ id: Id, name: z.string(), kind: OrgKind }),
  mustChangePassword: z.boolean(),
  /** Signed in with the password only and must set up a second factor before anything else. */
  mustEnrolSecondFactor: z.boolean(),
  /**
   * Signs in with a second factor: a desk role, an organisation that asks its reporters for one, or one
   * already enrolled. The menu then links to the page that shows it and adds a passkey.
   */
  secondFactorRequired: z.boolean(),
})
export type Me = z.infer<typeof Me>

export const NewUser = z.strictObject({
  username: Username,
  displayName: z.string().trim().max(100).optional(),
  organisationId: Id,
  roles: z.array(Role).min(1).max(4),
  password: NewPassword.optional(),
})
export type NewUser = z.infer<typeof NewUser>

export const UserSummary = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string().nullable(),
  organisationId: Id,
  organisationName: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  /** TOTP confirmed or a passkey registered. */
  secondFactorEnrolled: z.boolean(),
})
export type UserSummary = z.infer<typeof UserSummary>

export const TotpCode = z.string().trim().regex(/^\d{6}$/, 'six digits')
export const TotpConfirmBody = z.strictObject({ code: TotpCode })
export const TotpEnrolment = z.object({ secret: z.string(), otpauthUrl: z.string() })
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()).length(10) })
export const SecondFactorStatus = z.object({
  required: z.boolean(),
  totp: z.boolean(),
  passkeys: z.number().int().nonnegative(),
  recoveryCodesLeft: z.number().int().nonnegative(),
})
export type SecondFactorStatus = z.infer<typeof SecondFactorStatus>
