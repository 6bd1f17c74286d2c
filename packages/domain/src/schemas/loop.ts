/**
 * The EST loop: the meeting's decision (weekly priority) → actions and visits from the phones → follow-up.
 *
 *   GET  /api/priorities?week=                 → WeekPriorities {isoWeek, priority: WeeklyPriority | null} (analyst, reviewer, admin)
 *   PUT  /api/priorities/{isoWeek}              ← PrioritiesBody → WeeklyPriority (reviewer, admin). A week is editable until it
 *        starts (Monday 00:00 in the municipality's zone); after that 409 `decision_locked`, except for an admin, whose
 *        change is recorded as late minutes (audit `priorities_corrected_late`, version `late: true`). `baseVersion`
 *        (0 = "no decision yet") answers 409 `version_conflict` when someone saved in between. Every version is kept.
 *   PUT  /api/admin/priorities/{isoWeek}        the same, for admins (the administration page)
 *   GET  /api/priorities/{isoWeek}/versions     → PriorityVersions, newest first (analyst, reviewer, admin)
 *   GET  /api/followup?week=&category=          → Followup (analyst, reviewer, admin)
 *   GET  /api/visits?week=                      → VisitSummary: visits per hot-spot and organisation, aggregated only
 *   POST /api/admin/places/import?crs=          ← a GeoJSON FeatureCollection → {created: Place[]} (admin); all or nothing,
 *        400 `invalid_features` with `error.features: [{index, name?, reason}]`
 *   POST /api/sync/push                         ops may be ActionOp and VisitOp besides the report ops (PushOp)
 *   GET  /api/sync/pull                         reference.priorities: this and next week, each hot-spot with its `shape`
 *        (for "inside" offline, see insideShape) and its action's state
 */
import { z } from 'zod'
import { Id, IsoInstant, Uuid } from './common.ts'
import { CategoryCode } from './category.ts'
import { PolygonGeometry } from './place.ts'
import { IsoWeek } from './admin.ts'

export const ActionStatus = z.enum(['planned', 'done', 'not_done'])
export type ActionStatus = z.infer<typeof ActionStatus>

export const DEFAULT_HOT_SPOT_RADIUS_M = 150
export const HotSpotRadius = z.number().int().min(10).max(2000)
export const MAX_HOT_SPOTS = 50

const Position = z.tuple([z.number(), z.number()])

/** Where "inside" is decided: a circle round a point place, or a polygon (an area place, or a drawn area). */
export const HotSpotShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Circle'), coordinates: Position, radiusM: z.number() }),
  PolygonGeometry,
])
export type HotSpotShape = z.infer<typeof HotSpotShape>

/** A hot-spot as the meeting decides it: a place (with a radius when it is a point) or a drawn area. */
export const HotSpotInput = z.strictObject({
  placeId: Id.optional(),
  /** metres round a point place (default 150); ignored for an area place */
  radiusM: HotSpotRadius.optional(),
  /** an area drawn at the meeting, WGS 84; closed rings, not crossing itself, inside the municipality */
  geometry: PolygonGeometry.optional(),
  /** a name for a drawn area */
  label: z.string().trim().min(1).max(100).optional(),
  responsibleOrgId: Id.optional(),
  action: z.string().trim().min(1).max(500),
}).superRefine((v, ctx) => {
  if ((v.placeId === undefined) === (v.geometry === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['placeId'], message: 'a hot-spot is a place (placeId) or a drawn area (geometry), one of them' })
  }
  if (v.geometry && v.radiusM !== undefined) ctx.addIssue({ code: 'custom', path: ['radiusM'], message: 'a radius belongs to a place, not to a drawn area' })
})
export type HotSpotInput = z.infer<typeof HotSpotInput>

export const PrioritiesBody = z.strictObject({
  focusCategories: z.array(CategoryCode).max(50)
    .refine(codes => new Set(codes).size === codes.length, 'each category only once'),
  hotSpots: z.array(HotSpotInput).max(MAX_HOT_SPOTS),
  notes: z.string().trim().max(4000),
  /** the version this edit started from (0: none yet); a newer one answers 409 version_conflict */
  baseVersion: z.number().int().min(0).optional(),
})
export type PrioritiesBody = z.infer<typeof PrioritiesBody>

export const HotSpot = z.object({
  /** 0-based position in the decision: what actions and visits refer to */
  index: z.number().int().min(0),
  placeId: Id.optional(),
  radiusM: z.number().optional(),
  geometry: PolygonGeometry.optional(),
  label: z.string().optional(),
  responsibleOrgId: Id.optional(),
  action: z.string(),
  actionStatus: ActionStatus,
  actionComment: z.string().optional(),
  actionUpdatedAt: IsoInstant.optional(),
  /** the area "inside" is tested against, resolved from the place (null when the place is gone) */
  shape: HotSpotShape.nullable(),
})
export type HotSpot = z.infer<typeof HotSpot>

export const WeeklyPriority = z.object({
  isoWeek: z.string().regex(/^\d{4}-W\d{2}$/),
  focusCategories: z.array(z.string()),
  hotSpots: z.array(HotSpot),
  notes: z.string(),
  decidedAt: IsoInstant,
  version: z.number().int().positive(),
  /** the week has started: the decision is history (an admin may still correct it, as late minutes) */
  locked: z.boolean(),
})
export type WeeklyPriority = z.infer<typeof WeeklyPriority>

export const WeekPriorities = z.object({ isoWeek: z.string(), priority: WeeklyPriority.nullable() })

export const PriorityVersion = z.object({
  version: z.number().int().positive(),
  decidedAt: IsoInstant,
  decidedBy: z.object({ id: Id, username: z.string() }).nullable(),
  /** recorded after the week had started (an admin's correction) */
  late: z.boolean(),
  focusCategories: z.array(z.string()),
  hotSpots: z.array(HotSpotInput),
  notes: z.string(),
})
export type PriorityVersion = z.infer<typeof PriorityVersion>
export const PriorityVersions = z.object({ isoWeek: z.string(), versions: z.array(PriorityVersion) })

// Push ops of the loop (DESIGN "Loop ops on the push"). Idempotent by opId like the report ops.

/** Marks a hot-spot's action; users of the responsible organisation; the last to reach the server wins, every change kept. */
export const ActionOp = z.strictObject({
  opId: Uuid,
  kind: z.literal('action'),
  week: IsoWeek,
  hotSpot: z.number().int().min(0).max(MAX_HOT_SPOTS - 1),
  status: ActionStatus,
  comment: z.string().trim().max(500).optional(),
})
export type ActionOp = z.infer<typeof ActionOp>

/** "We are on site": a visit at a hot-spot, stored per organisation (never per person, never a position). */
export const VisitOp = z.strictObject({
  opId: Uuid,
  kind: z.literal('visit'),
  visitId: Uuid,
  week: IsoWeek,
  hotSpot: z.number().int().min(0).max(MAX_HOT_SPOTS - 1),
  /** the device's time; it must fall in `week` (the municipality's zone) */
  at: IsoInstant,
})
export type VisitOp = z.infer<typeof VisitOp>

// Query values arrive as a string, or as an array when the key is repeated.
const categoryList = z.preprocess(v => (v === undefined || Array.isArray(v) ? v : [v]), z.array(CategoryCode).min(1).max(50))

export const FollowupQuery = z.object({ week: IsoWeek, category: categoryList.optional() })
export const VisitsQuery = z.object({ week: IsoWeek })

export const FollowupWeek = z.object({
  isoWeek: z.string(),
  /** approved, counted incidents inside the hot-spot */
  count: z.number().int(),
  /** those outside this hot-spot, in the whole city */
  restOfCity: z.number().int(),
  /** the week is not over yet */
  partial: z.boolean(),
  /** exact (Garwood) 95 % interval for the week's underlying rate, from `count` */
  low: z.number(),
  high: z.number(),
})

export const Verdict = z.enum(['higher', 'lower', 'no_change_shown', 'not_yet'])

/**
 * What the numbers can show. The complete weeks from W on (`weeks`) against the 8 baseline weeks, with the
 * rest of the city's change taken out: `expected` is the baseline scaled by the rest of the city's after/before
 * ratio, and `pValue` the exact test of the hot-spot's after/before split against the city's (conditional
 * binomial). `verdict` is higher/lower only when pValue < 0.05; `not_yet` before a complete week from W on.
 * `peakBefore`: week W−1 was well above the seven weeks before it, so a fall is expected anyway (regression to the mean).
 */
export const Assessment = z.object({
  weeks: z.array(z.string()),
  observed: z.number().int(),
  expected: z.number(),
  pValue: z.number().nullable(),
  verdict: Verdict,
  peakBefore: z.boolean(),
})

export const FollowupHotSpot = z.object({
  index: z.number().int(),
  placeId: Id.optional(),
  radiusM: z.number().optional(),
  geometry: PolygonGeometry.optional(),
  label: z.string().optional(),
  /** the place's name, or the drawn area's label */
  name: z.string().nullable(),
  responsibleOrgId: Id.optional(),
  action: z.string(),
  actionStatus: ActionStatus,
  actionComment: z.string().optional(),
  /** visits logged here in week W, all organisations */
  visits: z.number().int(),
  visitsByOrganisation: z.array(z.object({ organisationId: Id, visits: z.number().int() })),
  /** the mean count of W−8 … W−1 */
  baseline: z.number(),
  /** exact 95 % interval for the baseline's weekly rate */
  baselineLow: z.number(),
  baselineHigh: z.number(),
  weeks: z.array(FollowupWeek),
  assessment: Assessment,
})
export type FollowupHotSpot = z.infer<typeof FollowupHotSpot>

export const Followup = z.object({
  week: z.string(),
  /** whether a decision was recorded for the week (else hotSpots is empty) */
  decided: z.boolean(),
  category: z.array(z.string()).nullable(),
  hotSpots: z.array(FollowupHotSpot),
})
export type Followup = z.infer<typeof Followup>

export const VisitSummary = z.object({
  week: z.string(),
  hotSpots: z.array(z.object({
    index: z.number().int(),
    visits: z.number().int(),
    organisations: z.array(z.object({
      organisationId: Id,
      visits: z.number().int(),
      /** visits per local hour of the day, 0–23 */
      hours: z.array(z.number().int()).length(24),
    })),
  })),
})
export type VisitSummary = z.infer<typeof VisitSummary>

export const PlaceImportQuery = z.object({ crs: z.enum(['EPSG:4326', 'EPSG:3006']).optional() })
export const PlaceImportError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    features: z.array(z.object({ index: z.number().int(), name: z.string().optional(), reason: z.string() })).optional(),
  }),
})
