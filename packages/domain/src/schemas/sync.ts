import { z } from 'zod'
import { IsoInstant, Uuid } from './common.ts'
import { Category } from './category.ts'
import { Place } from './place.ts'
import { Report, ReportDraft } from './report.ts'
import { ActionOp, VisitOp, WeeklyPriority } from './loop.ts'
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

/** Every op the push takes: report ops (create, amend, withdraw) and the loop's action and visit ops. */
export const PushOp = z.discriminatedUnion('kind', [SyncOp, ActionOp, VisitOp])
export type PushOp = z.infer<typeof PushOp>

// Ops are validated one by one on the server so one malformed op never fails the batch.
export const PushBody = z.strictObject({
  schemaVersion: z.number().int(),
  ops: z.array(z.unknown()).max(MAX_OPS_PER_PUSH),
})
export type PushRequest = { schemaVersion: number; ops: PushOp[] }

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
  /**
   * The retention cutoff: the caller's reports that occurred before this instant are past the retention period,
   * and the phone forgets its synced copies of them. Always sent (so required in the OpenAPI document); phones
   * from before it ignore it, and the PWA treats an answer without it as "nothing to forget".
   */
  keepFrom: IsoInstant,
  /**
   * The visits' own cutoff (retention.visitMonths, 6 months by default): the phone forgets the visits it logged
   * before this instant, and its action marks of weeks that ended before it, once nothing of them waits to be sent.
   * Always sent; an answer without it (a server from before it) makes the phone forget none of them.
   */
  keepVisitsFrom: IsoInstant,
})
export type PullResponse = z.infer<typeof PullResponse>
