import proj4 from 'proj4'
import { polygonProblem, type Place, type PlaceGeometry } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError } from '../http-error.ts'
import { createPlace } from './place-admin.ts'

// Admins import named places and areas (hot-spot areas) as GeoJSON: all or nothing, every bad feature named.

proj4.defs('EPSG:3006', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs')
const fromSweref = proj4('EPSG:3006', 'EPSG:4326')

export type Bounds = [number, number, number, number]
export type Crs = 'EPSG:4326' | 'EPSG:3006'
export interface FeatureProblem { index: number; name?: string; reason: string }

export const MAX_IMPORT_FEATURES = 500
/** How far beyond the known places the municipality is taken to reach when no bounds are configured. */
const DERIVED_MARGIN_M = 15_000

/**
 * The municipality's extent [minLon, minLat, maxLon, maxLat]: MUNICIPALITY_BBOX when configured, else the places'
 * extent widened by 15 km; null (no check) before there is any place.
 */
export function municipalityBounds(db: Db, configured: Bounds | null = null): Bounds | null {
  if (configured) return configured
  const b = db.prepare('SELECT min(lon) AS w, min(lat) AS s, max(lon) AS e, max(lat) AS n FROM places').get() as { w: number | null; s: number | null; e: number | null; n: number | null }
  if (b.w === null || b.s === null || b.e === null || b.n === null) return null
  const dLat = DERIVED_MARGIN_M / 111_195, dLon = dLat / Math.cos(Math.max(Math.abs(b.s), Math.abs(b.n)) * Math.PI / 180)
  return [b.w - dLon, b.s - dLat, b.e + dLon, b.n + dLat]
}

const inBounds = (b: Bounds, [lon, lat]: readonly [number, number]) => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]
const fmt = (b: Bounds) => b.map(n => n.toFixed(4)).join(', ')

/** What is wrong with an area in WGS 84 (rings, crossings, outside the municipality), or null. */
export function areaProblem(geometry: PlaceGeometry, bounds: Bounds | null): string | null {
  if (geometry.type === 'Polygon') {
    const problem = polygonProblem(geometry.coordinates)
    if (problem) return problem
  }
  const positions = geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates.flat()
  const outside = bounds ? positions.find(p => !inBounds(bounds, p)) : undefined
  if (outside && bounds) return `position ${outside[0]}, ${outside[1]} is outside the municipality (${fmt(bounds)})`
  return null
}

/** The CRS a GeoJSON object names in its (2008-style) `crs` member, if any; null for one this server does not know. */
function namedCrs(fc: Record<string, unknown>): Crs | null | undefined {
  const crs = fc.crs as { properties?: { name?: unknown } } | undefined
  if (crs === undefined) return undefined
  const name = typeof crs?.properties?.name === 'string' ? crs.properties.name : ''
  if (/CRS84$|EPSG:{1,2}4326$/i.test(name)) return 'EPSG:4326'
  if (/EPSG:{1,2}3006$/i.test(name)) return 'EPSG:3006'
  return null
}

const isNumberPair = (p: unknown): p is number[] =>
  Array.isArray(p) && (p.length === 2 || p.length === 3) && p.every(n => typeof n === 'number' && Number.isFinite(n))

/** A position in WGS 84, rounded to 7 decimals (about 1 cm), or the reason it is not one in the given CRS. */
function toWgs84(p: unknown, crs: Crs): [number, number] | string {
  if (!isNumberPair(p)) return 'a position must be [x, y] numbers'
  const [x, y] = p as [number, number]
  if (crs === 'EPSG:3006') {
    if (x < 150_000 || x > 1_000_000 || y < 6_000_000 || y > 7_800_000) {
      return `position ${x}, ${y} is not SWEREF 99 TM (easting 150 000–1 000 000 m, northing 6 000 000–7 800 000 m); is the file in WGS 84?`
    }
    const [lon, lat] = fromSweref.forward([x, y]) as [number, number]
    return [round7(lon), round7(lat)]
  }
  if (x < -180 || x > 180 || y < -90 || y > 90) return `position ${x}, ${y} is not WGS 84 degrees; is the file in SWEREF 99 TM? (crs=EPSG:3006)`
  return [round7(x), round7(y)]
}
const round7 = (n: number) => Math.round(n * 1e7) / 1e7

/** One feature as a place to create, or the reason it cannot be. */
function featureToPlace(f: unknown, crs: Crs, bounds: Bounds | null): { name: string; kind: Place['kind']; geometry: PlaceGeometry } | { name?: string; reason: string } {
  if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') return { reason: 'not a GeoJSON Feature' }
  const { geometry, properties } = f as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null }
  const rawName = properties && typeof properties.name === 'string' ? properties.name.trim() : ''
  const named = rawName ? { name: rawName } : {}
  if (rawName.length < 2 || rawName.length > 100) return { ...named, reason: 'properties.name: a name of 2–100 characters is required' }
  if (!geometry || typeof geometry !== 'object') return { ...named, reason: 'the feature has no geometry' }
  if (geometry.type === 'Point') {
    const p = toWgs84(geometry.coordinates, crs)
    if (typeof p === 'string') return { ...named, reason: p }
    const g: PlaceGeometry = { type: 'Point', coordinates: p }
    const problem = areaProblem(g, bounds)
    return problem ? { ...named, reason: problem } : { name: rawName, kind: 'place', geometry: g }
  }
  if (geometry.type === 'Polygon') {
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0 || !geometry.coordinates.every(Array.isArray)) {
      return { ...named, reason: 'a Polygon needs coordinates: an array of rings' }
    }
    const rings: Array<Array<[number, number]>> = []
    for (const ring of geometry.coordinates as unknown[][]) {
      const out: Array<[number, number]> = []
      for (const p of ring) {
        const q = toWgs84(p, crs)
        if (typeof q === 'string') return { ...named, reason: q }
        out.push(q)
      }
      // A ring closed in the file stays closed after rounding.
      if (out.length > 1 && isNumberPair(ring[0]) && isNumberPair(ring.at(-1)) && (ring[0] as number[])[0] === (ring.at(-1) as number[])[0] && (ring[0] as number[])[1] === (ring.at(-1) as number[])[1]) {
        out[out.length - 1] = [...out[0]!]
      }
      rings.push(out)
    }
    const g: PlaceGeometry = { type: 'Polygon', coordinates: rings }
    const problem = areaProblem(g, bounds)
    return problem ? { ...named, reason: problem } : { name: rawName, kind: 'area', geometry: g }
  }
  const type = typeof geometry.type === 'string' ? geometry.type : 'unknown'
  return { ...named, reason: `a ${type} cannot be imported: only Point and Polygon${type === 'MultiPolygon' ? ' (split a MultiPolygon into Polygons, one name each)' : ''}` }
}

/**
 * Imports a FeatureCollection of Points (places) and Polygons (areas) named by `properties.name`, in WGS 84 or
 * SWEREF 99 TM (the `crs` argument, else the file's own `crs` member, else WGS 84). All or nothing: when any
 * feature fails, nothing is created and every failing feature is listed with its index and reason.
 */
export function importPlaces(db: Db, fc: unknown, crsParam: Crs | undefined, bounds: Bounds | null): { created: Place[] } | { problems: FeatureProblem[] } {
  if (!fc || typeof fc !== 'object' || (fc as { type?: unknown }).type !== 'FeatureCollection') {
    throw new ApiError(400, 'invalid_request', 'type: the body must be a GeoJSON FeatureCollection', 'type')
  }
  const features = (fc as { features?: unknown }).features
  if (!Array.isArray(features) || features.length === 0) throw new ApiError(400, 'invalid_request', 'features: a FeatureCollection with at least one feature is required', 'features')
  if (features.length > MAX_IMPORT_FEATURES) throw new ApiError(400, 'invalid_request', `features: at most ${MAX_IMPORT_FEATURES} in one import, got ${features.length}`, 'features')
  const fileCrs = namedCrs(fc as Record<string, unknown>)
  if (fileCrs === null) throw new ApiError(400, 'invalid_request', 'crs: the file names a CRS other than WGS 84 (EPSG:4326) or SWEREF 99 TM (EPSG:3006)', 'crs')
  if (crsParam && fileCrs && crsParam !== fileCrs) throw new ApiError(400, 'invalid_request', `crs: the file says ${fileCrs} but the request says ${crsParam}`, 'crs')
  const crs = crsParam ?? fileCrs ?? 'EPSG:4326'

  const existing = new Set((db.prepare('SELECT name FROM places').pluck().all() as string[]).map(n => n.toLocaleLowerCase('sv')))
  const seen = new Map<string, number>()
  const problems: FeatureProblem[] = []
  const places: Array<{ name: string; kind: Place['kind']; geometry: PlaceGeometry }> = []
  features.forEach((f, index) => {
    const result = featureToPlace(f, crs, bounds)
    if ('reason' in result) { problems.push({ index, ...result }); return }
    const key = result.name.toLocaleLowerCase('sv')
    if (existing.has(key)) problems.push({ index, name: result.name, reason: 'a place with this name exists already' })
    else if (seen.has(key)) problems.push({ index, name: result.name, reason: `the same name as feature ${seen.get(key)}` })
    else { seen.set(key, index); places.push(result) }
  })
  if (problems.length) return { problems }
  return { created: db.transaction(() => places.map(p => createPlace(db, p)))() }
}
