import { z } from 'zod'
import { Id, IsoInstant, Uuid } from './common.ts'
import { CategoryCode } from './category.ts'
import { DESCRIPTION_MAX } from '../report-rules.ts'

export { AMENDABLE_FIELDS, DESCRIPTION_MAX, FUTURE_SKEW_MS, isInFuture, type AmendableField } from '../report-rules.ts'

export const LocationSource = z.enum(['gps', 'map', 'place'])

export const ReportLocation = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracyM: z.number().min(0).max(100_000).optional(),
  source: LocationSource,
})
export type ReportLocation = z.infer<typeof ReportLocation>

export const REPORT_STATUSES = ['submitted', 'approved', 'rejected', 'needs_info', 'withdrawn'] as const
export const ReportStatus = z.enum(REPORT_STATUSES)
export type ReportStatus = z.infer<typeof ReportStatus>

/** The fields a reporter writes: what a device sends in a create or amend op. */
export const ReportDraft = z.strictObject({
  id: Uuid,
  category: CategoryCode,
  occurredAt: IsoInstant,
  location: ReportLocation,
  placeId: Id.optional(),
  description: z.string().max(DESCRIPTION_MAX),
  peopleInvolved: z.number().int().min(0).max(10_000).optional(),
  policeNotified: z.boolean().optional(),
  createdAt: IsoInstant,
})
export type ReportDraft = z.infer<typeof ReportDraft>


export const Report = ReportDraft.extend({
  reporterId: Id,
  organisationId: Id,
  status: ReportStatus,
  version: z.number().int().positive(),
  receivedAt: IsoInstant,
  reviewedBy: Id.nullable(),
  reviewedAt: IsoInstant.nullable(),
  reviewNote: z.string().nullable(),
  duplicateOf: Uuid.nullable(),
  privacyFlags: z.array(z.string()),
  pendingAmendment: z.boolean(),
})
export type Report = z.infer<typeof Report>
