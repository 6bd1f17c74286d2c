import { distanceM, type LatLon } from '@lagesbild/domain/geo'
import type { Place, WeeklyPriority } from '@lagesbild/domain'

/** A hot-spot as decided (DESIGN "Weekly priority"); the loop's fields are optional until a server sends them. */
export type DecidedHotSpot = WeeklyPriority['hotSpots'][number] & {
  radiusM?: number
  actionStatus?: 'planned' | 'done' | 'not_done'
  actionComment?: string
}

export const DEFAULT_RADIUS_M = 150

/** Where a hot-spot is: a circle round a point place, or a polygon (an area place or a drawn area), in lon/lat. */
export type HotSpotArea =
  | { kind: 'circle'; centre: LatLon; radiusM: number }
  | { kind: 'polygon'; ring: Array<[number, number]> }

function isPolygon(g: unknown): g is { type: 'Polygon'; coordinates: Array<Array<[number, number]>> } {
  return typeof g === 'object' && g !== null && (g as { type?: unknown }).type === 'Polygon' && Array.isArray((g as { coordinates?: unknown }).coordinates)
}

export function hotSpotArea(spot: DecidedHotSpot, places: readonly Place[]): HotSpotArea | null {
  if (isPolygon(spot.geometry)) return { kind: 'polygon', ring: spot.geometry.coordinates[0] ?? [] }
  const place = places.find(p => p.id === spot.placeId)
  if (!place) return null
  if (place.geometry.type === 'Polygon' && spot.radiusM === undefined) return { kind: 'polygon', ring: place.geometry.coordinates[0] ?? [] }
  return { kind: 'circle', centre: { lat: place.lat, lon: place.lon }, radiusM: spot.radiusM ?? DEFAULT_RADIUS_M }
}

/** Even-odd ray casting on lon/lat: exact enough for areas of a few hundred metres. */
function inRing(point: LatLon, ring: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!, [xj, yj] = ring[j]!
    if ((yi > point.lat) !== (yj > point.lat) && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Inside by geometry alone, as DESIGN says: within the radius of a point place, or inside the polygon. */
export function isInside(point: LatLon, area: HotSpotArea): boolean {
  return area.kind === 'circle' ? distanceM(point, area.centre) <= area.radiusM : inRing(point, area.ring)
}

/** The centre of an area: for a label, a map view or the nearest place's name. */
export function areaCentre(area: HotSpotArea): LatLon {
  if (area.kind === 'circle') return area.centre
  const pts = area.ring.length > 1 ? area.ring.slice(0, -1) : area.ring
  const lon = pts.reduce((s, p) => s + p[0], 0) / Math.max(1, pts.length)
  const lat = pts.reduce((s, p) => s + p[1], 0) / Math.max(1, pts.length)
  return { lat, lon }
}

/** The first of the week's hot-spots (in the decision's order) whose area holds the point, with its index. */
export function hotSpotAt(point: LatLon, spots: readonly DecidedHotSpot[], places: readonly Place[]): { index: number; spot: DecidedHotSpot } | null {
  for (const [index, spot] of spots.entries()) {
    const area = hotSpotArea(spot, places)
    if (area && isInside(point, area)) return { index, spot }
  }
  return null
}
