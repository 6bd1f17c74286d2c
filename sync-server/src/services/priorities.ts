import {
  DEFAULT_HOT_SPOT_RADIUS_M, localParts, type ActionStatus, type HotSpot, type HotSpotInput, type HotSpotShape, type Place,
  type PrioritiesBody, type PriorityVersion, type WeeklyPriority,
} from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import { ApiError } from '../http-error.ts'
import { unknownCategories } from './categories.ts'
import { areaProblem, municipalityBounds } from './place-import.ts'
import { listPlaces } from './places.ts'
import { nextSeq } from './seq.ts'

interface PriorityRow { iso_week: string; focus_categories: string; hot_spots: string; notes: string; decided_at: number; version: number }
interface ActionRow { hot_spot: number; status: ActionStatus; comment: string | null; updated_at: number }

/** A hot-spot's area for "inside": a circle round a point place, the polygon of an area place, or the drawn area. */
export function shapeOf(spot: HotSpotInput, places: ReadonlyMap<number, Place>): HotSpotShape | null {
  if (spot.geometry) return spot.geometry
  const place = spot.placeId !== undefined ? places.get(spot.placeId) : undefined
  if (!place) return null
  if (place.geometry.type === 'Polygon') return place.geometry
  return { type: 'Circle', coordinates: place.geometry.coordinates, radiusM: spot.radiusM ?? DEFAULT_HOT_SPOT_RADIUS_M }
}

/** The stored hot-spots with the action states and the resolved shapes. */
function hotSpotsOf(db: Db, isoWeek: string, inputs: HotSpotInput[], places: ReadonlyMap<number, Place>): HotSpot[] {
  const actions = new Map((cached(db, 'SELECT hot_spot, status, comment, updated_at FROM hot_spot_actions WHERE iso_week = ?').all(isoWeek) as ActionRow[]).map(a => [a.hot_spot, a]))
  return inputs.map((s, index) => {
    const action = actions.get(index)
    const pointPlace = s.placeId !== undefined && places.get(s.placeId)?.geometry.type === 'Point'
    return {
      index,
      ...(s.placeId !== undefined ? { placeId: s.placeId } : {}),
      ...(pointPlace ? { radiusM: s.radiusM ?? DEFAULT_HOT_SPOT_RADIUS_M } : {}),
      ...(s.geometry ? { geometry: s.geometry } : {}),
      ...(s.label !== undefined ? { label: s.label } : {}),
      ...(s.responsibleOrgId !== undefined ? { responsibleOrgId: s.responsibleOrgId } : {}),
      action: s.action,
      actionStatus: action?.status ?? 'planned',
      ...(action?.comment ? { actionComment: action.comment } : {}),
      ...(action ? { actionUpdatedAt: new Date(action.updated_at).toISOString() } : {}),
      shape: shapeOf(s, places),
    }
  })
}

export const placeMap = (db: Db) => new Map(listPlaces(db).map(p => [p.id, p]))

/** Whether a week has started in the municipality's zone: its decision is then history. */
export function weekStarted(isoWeek: string, now: number, timeZone: string): boolean {
  return localParts(now, timeZone).isoWeek >= isoWeek
}

/** The stored decision of a week as entered (no action states), or null. */
export function decisionOf(db: Db, isoWeek: string): (PriorityRow & { spots: HotSpotInput[] }) | null {
  const row = cached(db, 'SELECT iso_week, focus_categories, hot_spots, notes, decided_at, version FROM weekly_priorities WHERE iso_week = ?').get(isoWeek) as PriorityRow | undefined
  return row ? { ...row, spots: JSON.parse(row.hot_spots) as HotSpotInput[] } : null
}

export function prioritiesFor(db: Db, isoWeek: string, timeZone: string, now: number, places = placeMap(db)): WeeklyPriority | null {
  const d = decisionOf(db, isoWeek)
  if (!d) return null
  return {
    isoWeek: d.iso_week,
    focusCategories: JSON.parse(d.focus_categories) as string[],
    hotSpots: hotSpotsOf(db, isoWeek, d.spots, places),
    notes: d.notes,
    decidedAt: new Date(d.decided_at).toISOString(),
    version: d.version,
    locked: weekStarted(isoWeek, now, timeZone),
  }
}

/** This week's and next week's priorities, for the phones: the meeting decides next week's focus. */
export function currentPriorities(db: Db, timeZone: string, now: number): WeeklyPriority[] {
  const weeks = [localParts(now, timeZone).isoWeek, localParts(now + 7 * 86_400_000, timeZone).isoWeek]
  const places = placeMap(db)
  return weeks.map(week => prioritiesFor(db, week, timeZone, now, places)).filter((p): p is WeeklyPriority => p !== null)
}

/** Checks that every category, place and organisation the decision names exists, and every drawn area; 400 naming the first that fails. */
function checkReferences(db: Db, body: PrioritiesBody, bounds: [number, number, number, number] | null): void {
  const unknown = unknownCategories(db, body.focusCategories)[0]
  if (unknown) {
    const field = `focusCategories.${body.focusCategories.indexOf(unknown)}`
    throw new ApiError(400, 'invalid_request', `${field}: no category with the code "${unknown}"`, field)
  }
  const place = cached(db, 'SELECT 1 FROM places WHERE id = ?')
  const org = cached(db, 'SELECT 1 FROM organisations WHERE id = ?')
  body.hotSpots.forEach((spot, i) => {
    if (spot.placeId !== undefined && !place.get(spot.placeId)) {
      throw new ApiError(400, 'invalid_request', `hotSpots.${i}.placeId: no place with the id ${spot.placeId}`, `hotSpots.${i}.placeId`)
    }
    if (spot.responsibleOrgId !== undefined && !org.get(spot.responsibleOrgId)) {
      throw new ApiError(400, 'invalid_request', `hotSpots.${i}.responsibleOrgId: no organisation with the id ${spot.responsibleOrgId}`, `hotSpots.${i}.responsibleOrgId`)
    }
    const problem = spot.geometry ? areaProblem(spot.geometry, bounds) : null
    if (problem) throw new ApiError(400, 'invalid_request', `hotSpots.${i}.geometry: ${problem}`, `hotSpots.${i}.geometry`)
  })
}

export interface Decider { id: number; isAdmin: boolean }

/**
 * Records a new version of a week's decision. Reviewers and admins may until the week starts; after that only an
 * admin, and the version is marked late. Every version is kept in priority_versions. Returns the decision and
 * whether it was late.
 */
export function setPriorities(db: Db, isoWeek: string, body: PrioritiesBody, by: Decider, timeZone: string, now: number): { priority: WeeklyPriority; late: boolean } {
  return db.transaction(() => {
    const late = weekStarted(isoWeek, now, timeZone)
    if (late && !by.isAdmin) {
      throw new ApiError(409, 'decision_locked', `${isoWeek} has started: its decision is history; an admin may correct it as late minutes`)
    }
    const current = decisionOf(db, isoWeek)
    const currentVersion = current?.version ?? 0
    if (body.baseVersion !== undefined && body.baseVersion !== currentVersion) {
      throw new ApiError(409, 'version_conflict', `baseVersion: the decision is at version ${currentVersion}, not ${body.baseVersion}; reload it`, 'baseVersion')
    }
    const places = placeMap(db)
    checkReferences(db, body, municipalityBounds(db))
    const hotSpots: HotSpotInput[] = body.hotSpots.map(s => ({
      ...(s.placeId !== undefined ? { placeId: s.placeId } : {}),
      // a radius only means something round a point place
      ...(s.placeId !== undefined && s.radiusM !== undefined && places.get(s.placeId)?.geometry.type === 'Point' ? { radiusM: s.radiusM } : {}),
      ...(s.geometry ? { geometry: s.geometry } : {}),
      ...(s.label !== undefined ? { label: s.label } : {}),
      ...(s.responsibleOrgId !== undefined ? { responsibleOrgId: s.responsibleOrgId } : {}),
      action: s.action,
    }))
    const version = currentVersion + 1
    const focus = JSON.stringify(body.focusCategories), spots = JSON.stringify(hotSpots)
    db.prepare(`INSERT INTO weekly_priorities (iso_week, focus_categories, hot_spots, notes, decided_at, decided_by, seq, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (iso_week) DO UPDATE SET focus_categories = excluded.focus_categories, hot_spots = excluded.hot_spots,
                  notes = excluded.notes, decided_at = excluded.decided_at, decided_by = excluded.decided_by, seq = excluded.seq, version = excluded.version`)
      .run(isoWeek, focus, spots, body.notes, now, by.id, nextSeq(db), version)
    db.prepare(`INSERT INTO priority_versions (iso_week, version, focus_categories, hot_spots, notes, decided_at, decided_by, late)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(isoWeek, version, focus, spots, body.notes, now, by.id, late ? 1 : 0)
    return { priority: prioritiesFor(db, isoWeek, timeZone, now, places)!, late }
  })()
}

/** Every version of a week's decision, newest first. */
export function priorityVersions(db: Db, isoWeek: string): PriorityVersion[] {
  const rows = db.prepare(`SELECT v.version, v.focus_categories, v.hot_spots, v.notes, v.decided_at, v.decided_by, u.username, v.late
                           FROM priority_versions v LEFT JOIN users u ON u.id = v.decided_by WHERE v.iso_week = ? ORDER BY v.version DESC`)
    .all(isoWeek) as Array<{ version: number; focus_categories: string; hot_spots: string; notes: string; decided_at: number; decided_by: number | null; username: string | null; late: number }>
  return rows.map(r => ({
    version: r.version,
    decidedAt: new Date(r.decided_at).toISOString(),
    decidedBy: r.decided_by !== null && r.username !== null ? { id: r.decided_by, username: r.username } : null,
    late: r.late === 1,
    focusCategories: JSON.parse(r.focus_categories) as string[],
    hotSpots: JSON.parse(r.hot_spots) as HotSpotInput[],
    notes: r.notes,
  }))
}
