import type { Category, OpKind, Place, ReportDraft, ReportStatus, WeeklyPriority } from '@lagesbild/domain'

/** The loop's ops on the push (DESIGN "Loop ops on the push"): an action's status, a visit to a hot-spot. */
export type LoopOpKind = 'action' | 'visit'
export type ActionStatus = 'planned' | 'done' | 'not_done'

/** What a loop op carries besides its opId and kind. */
export interface LoopOpFields {
  week: string
  hotSpot: number
  status?: ActionStatus
  comment?: string
  visitId?: string
  at?: string
}

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
  kind: OpKind | LoopOpKind
  /** The report the op is about; for a loop op the key of its LoopItem, so ops on one item go in order. */
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
  /** A loop op's content (kind `action` or `visit`). */
  loop?: LoopOpFields
}

/**
 * An action's status or a visit as this phone knows it, shown like a report: on this phone → sent (or
 * rejected, with the reason). Keyed `action:<ownerId>:<week>:<index>` or `visit:<visitId>`.
 */
export interface LoopItem extends LoopOpFields {
  key: string
  ownerId: number
  kind: LoopOpKind
  state: 'local' | 'sent' | 'rejected'
  reason?: string
  updatedAt: number
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
  /** "Same as last" on the home screen; `reportId` (missing in rows from before it was kept) lets retention forget it with its report. */
  lastReport: { reportId?: string; category: string; placeId?: number; location: ReportDraft['location'] } | null
  /** The retention cutoff (ms) of the last pass that forgot everything past it; the pass runs again when it has moved a day. */
  keptFrom?: number
  /** The same for the loop's visits and action marks, which have their own period (the pull's keepVisitsFrom). */
  keptVisitsFrom?: number
}
