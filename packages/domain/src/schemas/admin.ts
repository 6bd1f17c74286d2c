import { z } from 'zod'
import { Id, IsoInstant } from './common.ts'
import { CategoryCode } from './category.ts'
import { PlaceGeometry, PlaceKind } from './place.ts'
import { Role } from './user.ts'
import { isoWeekMonday, isoWeekOf } from '../local-time.ts'

/** An ISO week that exists (2026-W53 does, 2025-W53 does not). */
export const IsoWeek = z.string().regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2026-W48').refine(week => {
  // Refinements run after a failed regex too, so the shape is checked again before parsing.
  if (!/^\d{4}-W\d{2}$/.test(week)) return false
  const n = Number(week.slice(6))
  if (n < 1 || n > 53) return false
  const [y, m, d] = isoWeekMonday(week).split('-').map(Number) as [number, number, number]
  return isoWeekOf(y, m, d).isoWeek === week
}, 'no such ISO week')

const Label = z.string().trim().min(1).max(80)
const Hint = z.string().trim().max(300)

export const NewCategory = z.strictObject({
  code: CategoryCode,
  labelSv: Label,
  labelEn: Label,
  hintSv: Hint.optional(),
  hintEn: Hint.optional(),
})
export type NewCategory = z.infer<typeof NewCategory>

/** Rename, re-hint, retire (active: false) or reactivate; retired categories keep their reports. */
export const CategoryPatch = z.strictObject({
  labelSv: Label.optional(),
  labelEn: Label.optional(),
  hintSv: Hint.optional(),
  hintEn: Hint.optional(),
  active: z.boolean().optional(),
}).refine(p => Object.keys(p).length > 0, 'name at least one field to change')
export type CategoryPatch = z.infer<typeof CategoryPatch>

/** Every category code exactly once, in the new order. */
export const CategoryOrder = z.strictObject({
  codes: z.array(CategoryCode).min(1).max(200)
    .refine(codes => new Set(codes).size === codes.length, 'each code only once'),
})

/** A polygon's rings must be closed, as GeoJSON requires: the last position repeats the first. */
export const AdminPlaceGeometry = PlaceGeometry.refine(
  g => g.type === 'Point' || g.coordinates.every(ring => ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]),
  { message: 'a polygon ring must end where it starts', path: ['coordinates'] },
)

const PlaceName = z.string().trim().min(2).max(100)

export const NewPlace = z.strictObject({ name: PlaceName, kind: PlaceKind, geometry: AdminPlaceGeometry })
export type NewPlace = z.infer<typeof NewPlace>

/** Rename, move (a new geometry), change kind, retire or reactivate. */
export const PlacePatch = z.strictObject({
  name: PlaceName.optional(),
  kind: PlaceKind.optional(),
  geometry: AdminPlaceGeometry.optional(),
  active: z.boolean().optional(),
}).refine(p => Object.keys(p).length > 0, 'name at least one field to change')
export type PlacePatch = z.infer<typeof PlacePatch>

export const PrioritiesQuery = z.object({ week: IsoWeek.optional() })

export const UserRolesBody = z.strictObject({ roles: z.array(Role).min(1).max(4) })

export const AuditQuery = z.object({
  /** Keyset paging: events with a smaller id than this, newest first. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  action: z.string().regex(/^[a-z_]{1,40}$/, 'an action name such as user_created').optional(),
  /** Events about this report: its views (also as a candidate, a source or a row of a list), decisions, redactions. */
  report: z.uuid().optional(),
  /** Events by this user (username). */
  actor: z.string().trim().min(1).max(100).optional(),
  /** Local days (the municipality's zone), inclusive. */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
})
export type AuditQuery = z.infer<typeof AuditQuery>
/** The same filters for the CSV export, which has no pages. */
export const AuditExportQuery = AuditQuery.omit({ before: true, limit: true })
export type AuditExportQuery = z.infer<typeof AuditExportQuery>

export const AuditEvent = z.object({
  id: Id,
  at: IsoInstant,
  actorId: Id.nullable(),
  actorUsername: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
})
export type AuditEvent = z.infer<typeof AuditEvent>

export const AuditPage = z.object({ events: z.array(AuditEvent), nextBefore: Id.nullable() })
export type AuditPage = z.infer<typeof AuditPage>
