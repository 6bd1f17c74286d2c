import { insideShape, shapeBounds } from '@lagesbild/domain/hot-spot-area'
import type { LatLon } from '@lagesbild/domain/geo'
import type { HotSpot, HotSpotShape } from '@lagesbild/domain'

// "Inside" a hot-spot is by geometry alone, with the server's own rule (domain/hot-spot-area) on the
// shape the pull carries for each hot-spot, so the phone answers it with no coverage.

/** The first of the week's hot-spots, in the decision's order, whose area holds the point. */
export function hotSpotAt(point: LatLon, spots: readonly HotSpot[]): HotSpot | null {
  return spots.find(s => s.shape !== null && insideShape(s.shape, point)) ?? null
}

/** The middle of a shape: for the nearest place's name, or a distance to show. */
export function shapeCentre(shape: HotSpotShape): LatLon {
  if (shape.type === 'Circle') return { lon: shape.coordinates[0], lat: shape.coordinates[1] }
  const [minLon, minLat, maxLon, maxLat] = shapeBounds(shape)
  return { lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2 }
}
