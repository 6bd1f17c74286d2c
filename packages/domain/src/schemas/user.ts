import { z } from 'zod'
import { Id } from './common.ts'
import { OrgKind } from './organisation.ts'

export const ROLES = ['reporter', 'reviewer', 'analyst', 'admin'] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

export const Username = z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{2,40}$/, 'use 2–40 letters a–z, digits, dot, dash or underscore')

// OWASP ASVS 5.0 asks for at least 8 characters and allows up to 64+; no composition rules.
export const NewPassword = z.string().min(12, 'at least 12 characters').max(128)

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(256),
  totp: z.string().regex(/^\d{6}$/).optional(),
})
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
})
export type UserSummary = z.infer<typeof UserSummary>
