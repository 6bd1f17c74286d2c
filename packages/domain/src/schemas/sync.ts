import { z } from 'zod'
import { Id, IsoInstant, Uuid } from './common.ts'
import { Category } from './category.ts'
import { Place } from './place.ts'
import { Report, ReportDraft } from './report.ts'
import { MAX_OPS_PER_PUSH } from '../report-rules.ts'

export { ACCEPTED_SCHEMA_VERSIONS, MAX_OPS_PER_PUSH, SCHEMA_VERSION } from '../report-rules.ts'

export const OpKind = z.enum(['create', 'amend', 'withdraw'])
export type OpKind = z.infer<typeof OpKind>

export const SyncOp = z.strictObject({
  opId: Uuid,
  kind: OpKind,
  reportId: Uuid,
  baseVersion: z.number().int().positive().optional(),
  report: ReportDraft.optional(),
})
export type SyncOp = z.infer<typeof SyncOp>

// Ops are validated one by one on the server so one malformed op never fails the batch.
export const PushBody = z.strictObject({
  schemaVersion: z.number().int(),
  ops: z.array(z.unknown()).max(MAX_OPS_PER_PUSH),
})
export type PushRequest = { schemaVersion: number; ops: SyncOp[] }

export const OpStatus = z.enum(['applied', 'duplicate', 'conflict', 'rejected'])
export type OpStatus = z.infer<typeof OpStatus>

export const OpResult = z.object({
  opId: z.string(),
  status: OpStatus,
  version: z.number().int().optional(),
  reason: z.string().optional(),
  field: z.string().optional(),
})
export type OpResult = z.infer<typeof OpResult>

export const PushResponse = z.object({ results: z.array(OpResult) })

export const WeeklyPriority = z.object({
  isoWeek: z.string().regex(/^\d{4}-W\d{2}$/),
  focusCategories: z.array(z.string()),
  hotSpots: z.array(z.object({
    placeId: Id.optional(),
    geometry: z.unknown().optional(),
    responsibleOrgId: Id.optional(),
    action: z.string(),
  })),
  notes: z.string(),
  decidedAt: IsoInstant,
})
export type WeeklyPriority = z.infer<typeof WeeklyPriority>

export const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
})

export const PullResponse = z.object({
  changes: z.array(Report),
  reference: z.object({
    categories: z.array(Category),
    places: z.array(Place),
    priorities: z.array(WeeklyPriority),
  }).nullable(),
  nextCursor: z.number().int(),
  hasMore: z.boolean(),
})
export type PullResponse = z.infer<typeof PullResponse>
