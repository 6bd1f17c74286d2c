import type { Category, OpKind, Place, ReportDraft, ReportStatus, WeeklyPriority } from '@lagesbild/domain'

/** A report as this device knows it: the reporter's fields plus what the server last said about it. */
export interface LocalReport extends ReportDraft {
  ownerId: number
  /** Server status; `local` until the server has acknowledged the create. */
  status: ReportStatus | 'local'
  /** The server version this copy is based on (0 before the first acknowledgement). */
  version: number
  reviewNote: string | null
  reviewedAt: string | null
  duplicateOf: string | null
  pendingAmendment: boolean
  /** The last thing the server said about an op on this report that the user must see. */
  notice: string | null
  updatedAt: number
  /** The server's copy this device last knew exactly; what is shown is this plus the queued ops' changes. */
  server?: { version: number; fields: Partial<ReportDraft> }
}

/** An operation waiting to be pushed; kept until the server answers applied or duplicate. */
export interface OutboxEntry {
  opId: string
  ownerId: number
  kind: OpKind
  reportId: string
  baseVersion?: number
  /**
   * An earlier op on the same report that must settle first; its resulting version becomes this op's
   * baseVersion. Our own queued edits are thereby never mistaken for someone else's on the server.
   */
  afterOp?: string
  report?: ReportDraft
  createdAt: number
  /** `pending` is sent on the next sync; `rejected` waits for the user, with the server's reason. */
  state: 'pending' | 'rejected'
  reason?: string
  /** Pushes tried; an op never tried may still be rewritten in place. */
  attempts: number
  /** The fields the user changed in this op. */
  changed?: string[]
}

export interface Draft {
  ownerId: number
  /** The report being amended, or null for a new one. */
  reportId: string | null
  fields: Partial<ReportDraft>
  updatedAt: number
}

export interface ReferenceData {
  ownerId: number
  categories: Category[]
  places: Place[]
  priorities: WeeklyPriority[]
  updatedAt: number
}

export interface SyncMeta {
  ownerId: number
  cursor: number
  lastSyncAt: number | null
  recentPlaceIds: number[]
  lastReport: { category: string; placeId?: number; location: ReportDraft['location'] } | null
}
