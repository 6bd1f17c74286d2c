import { z } from 'zod'
import { Id } from './common.ts'

const Lon = z.number().min(-180).max(180)
const Lat = z.number().min(-90).max(90)
const Position = z.tuple([Lon, Lat])

export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position })
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position).min(4)).min(1) })
export const PlaceGeometry = z.discriminatedUnion('type', [PointGeometry, PolygonGeometry])
export type PlaceGeometry = z.infer<typeof PlaceGeometry>

export const PlaceKind = z.enum(['place', 'area'])

export const Place = z.object({
  id: Id,
  name: z.string(),
  kind: PlaceKind,
  geometry: PlaceGeometry,
  // Centre used for distance sorting and for placing a report at a named place.
  lat: Lat,
  lon: Lon,
  active: z.boolean(),
})
export type Place = z.infer<typeof Place>
