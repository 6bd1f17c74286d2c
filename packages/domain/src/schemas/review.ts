import { z } from 'zod'
import { Id, IsoInstant, Uuid } from './common.ts'
import { CategoryCode } from './category.ts'
import { OrgKind } from './organisation.ts'
import { DESCRIPTION_MAX, Report, ReportLocation, ReportStatus } from './report.ts'

export const REVIEW_NOTE_MAX = 1000
export const QUEUE_PAGE_MAX = 200
export const BULK_MAX = 200
export const MERGE_MAX = 20

/** Two reports may describe the same event when they share a category and are this close in place and time. */
export const DUPLICATE_RADIUS_M = 300
export const DUPLICATE_WINDOW_MS = 2 * 3_600_000

export const ReviewDecision = z.enum(['approve', 'reject', 'needs_info'])
export type ReviewDecision = z.infer<typeof ReviewDecision>

/** What a reviewer may correct with a decision; every correction is kept as a revision. */
export const ReviewChanges = z.strictObject({
  category: CategoryCode.optional(),
  occurredAt: IsoInstant.optional(),
  location: ReportLocation.optional(),
  // null unlinks the named place; a place without a location also moves the report to the place's centre.
  placeId: Id.nullable().optional(),
  description: z.string().max(DESCRIPTION_MAX).optional(),
})
export type ReviewChanges = z.infer<typeof ReviewChanges>

const Note = z.string().trim().max(REVIEW_NOTE_MAX)
const BaseVersion = z.number().int().positive()

/** A reviewer's decision on the version they saw. Reject needs a reason, needs_info a question. */
export const ReviewBody = z.strictObject({
  decision: ReviewDecision,
  note: Note.optional(),
  changes: ReviewChanges.optional(),
  baseVersion: BaseVersion,
}).superRefine((body, ctx) => {
  if (body.decision !== 'approve' && !body.note) {
    ctx.addIssue({ code: 'custom', path: ['note'], message: body.decision === 'reject' ? 'a rejection needs a reason' : 'asking for more information needs a question' })
  }
})
export type ReviewBody = z.infer<typeof ReviewBody>

export const VersionedRef = z.strictObject({ id: Uuid, baseVersion: BaseVersion })
export type VersionedRef = z.infer<typeof VersionedRef>

/** Links other reports of the same event to this one (the primary); the event is approved and counted once. */
export const MergeBody = z.strictObject({
  baseVersion: BaseVersion,
  duplicates: z.array(VersionedRef).min(1).max(MERGE_MAX),
  note: Note.optional(),
})
export type MergeBody = z.infer<typeof MergeBody>

export const BulkApproveBody = z.strictObject({
  items: z.array(VersionedRef).min(1).max(BULK_MAX),
  note: Note.optional(),
})
export type BulkApproveBody = z.infer<typeof BulkApproveBody>

export const BulkItemStatus = z.enum(['applied', 'conflict', 'not_found', 'refused'])
export const BulkItemResult = z.object({
  id: z.string(),
  status: BulkItemStatus,
  version: z.number().int().optional(),
  reason: z.string().optional(),
})
export type BulkItemResult = z.infer<typeof BulkItemResult>
export const BulkApproveResponse = z.object({ results: z.array(BulkItemResult) })

export const AmendmentAction = z.enum(['accept', 'dismiss'])
export const AmendmentDecisionBody = z.strictObject({ action: AmendmentAction, baseVersion: BaseVersion })
export type AmendmentDecisionBody = z.infer<typeof AmendmentDecisionBody>

// Query strings arrive as text; a repeated parameter arrives as a list, a single one as a string.
const repeatable = <T extends z.ZodType>(item: T) =>
  z.preprocess(v => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item).max(50)).optional()
const LocalDate = z.iso.date()

export const QUEUE_STATUSES = ['waiting', 'submitted', 'needs_info', 'approved', 'rejected', 'withdrawn', 'all'] as const
export const QueueStatus = z.enum(QUEUE_STATUSES)
export type QueueStatus = z.infer<typeof QueueStatus>

/**
 * Queue and search. `waiting` (the default) is what needs a reviewer: submitted reports and reviewed ones
 * with a pending amendment. Dates are local days in the municipality's zone, inclusive.
 */
export const ReportQueueQuery = z.object({
  status: QueueStatus.default('waiting'),
  org: repeatable(z.coerce.number().pipe(Id)),
  category: repeatable(CategoryCode),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  place: z.coerce.number().pipe(Id).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(QUEUE_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ReportQueueQuery = z.infer<typeof ReportQueueQuery>

export const OrgRef = z.object({ id: Id, name: z.string(), kind: OrgKind })
export type OrgRef = z.infer<typeof OrgRef>

/** A queue entry: no free text (description, review note), which only the audited detail view returns. */
export const ReportListItem = Report.omit({ description: true, reviewNote: true }).extend({
  organisationName: z.string(),
  placeName: z.string().nullable(),
  /** Other reports that may describe the same event (same category, close in place and time). */
  candidateCount: z.number().int(),
  /** Reports linked to this one as sources of the same event. */
  sourceCount: z.number().int(),
})
export type ReportListItem = z.infer<typeof ReportListItem>

export const ReportQueue = z.object({
  items: z.array(ReportListItem),
  /** Matching the filters. */
  total: z.number().int(),
  /** Everything that needs a reviewer, whatever the filters. */
  waiting: z.number().int(),
  organisations: z.array(OrgRef),
})
export type ReportQueue = z.infer<typeof ReportQueue>

export const PersonRef = z.object({ id: Id, name: z.string().nullable() })

export const Revision = z.object({
  version: z.number().int(),
  at: IsoInstant,
  kind: z.string(),
  author: PersonRef,
  changes: z.record(z.string(), z.unknown()),
})
export type Revision = z.infer<typeof Revision>

export const PendingAmendment = z.object({
  id: Id,
  at: IsoInstant,
  authorId: Id,
  baseVersion: z.number().int(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
})
export type PendingAmendment = z.infer<typeof PendingAmendment>

/** Another report of the same event: linked already (a source) or suggested (a candidate). */
export const RelatedReport = z.object({
  id: Uuid,
  category: z.string(),
  occurredAt: IsoInstant,
  status: ReportStatus,
  version: z.number().int(),
  description: z.string(),
  organisation: OrgRef,
  placeName: z.string().nullable(),
  duplicateOf: Uuid.nullable(),
  distanceM: z.number(),
  minutesApart: z.number(),
})
export type RelatedReport = z.infer<typeof RelatedReport>

export const ReportDetail = z.object({
  report: Report,
  organisation: OrgRef,
  reporter: PersonRef,
  placeName: z.string().nullable(),
  history: z.array(Revision),
  /** The other reports of the same event (when this one is the primary or a linked duplicate). */
  sources: z.array(RelatedReport),
  candidates: z.array(RelatedReport),
  amendments: z.array(PendingAmendment),
})
export type ReportDetail = z.infer<typeof ReportDetail>

export const ReviewResponse = z.object({ report: Report })
export type ReviewResponse = z.infer<typeof ReviewResponse>
