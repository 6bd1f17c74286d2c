import { z } from 'zod'
import { Id } from './common.ts'

export const ORG_KINDS = ['municipal', 'police', 'security', 'property', 'transport', 'other'] as const
export const OrgKind = z.enum(ORG_KINDS)
export type OrgKind = z.infer<typeof OrgKind>

export const Organisation = z.object({
  id: Id,
  name: z.string(),
  kind: OrgKind,
  active: z.boolean(),
  /** Reporters of this organisation need a second factor too (desk roles always do). */
  requireSecondFactor: z.boolean(),
})
export type Organisation = z.infer<typeof Organisation>

export const OrganisationName = z.string().trim().min(2).max(100)

export const NewOrganisation = z.strictObject({ name: OrganisationName, kind: OrgKind })
export type NewOrganisation = z.infer<typeof NewOrganisation>

export const OrganisationPatch = z.strictObject({ requireSecondFactor: z.boolean() })
export type OrganisationPatch = z.infer<typeof OrganisationPatch>
