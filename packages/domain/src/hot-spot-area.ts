import { distanceM, type LatLon } from './geo.ts'
import type { HotSpotShape } from './schemas/loop.ts'

// Whether a position is inside a hot-spot, by geometry alone (DESIGN: weekly priority). The server counts the
// follow-up with it and the phone tests "inside" offline with the same code.

type Position = [number, number] | readonly [number, number]
export type Ring = ReadonlyArray<Position>

/** Even–odd rule over every ring, so a hole (a ring inside the outer one) is outside. */
export function pointInPolygon(lon: number, lat: number, rings: ReadonlyArray<Ring>): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!, [xj, yj] = ring[j]!
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
    }
  }
  return inside
}

export function insideShape(shape: HotSpotShape, p: LatLon): boolean {
  if (shape.type === 'Circle') return distanceM({ lon: shape.coordinates[0], lat: shape.coordinates[1] }, p) <= shape.radiusM
  return pointInPolygon(p.lon, p.lat, shape.coordinates)
}

/** [minLon, minLat, maxLon, maxLat] of a shape. */
export function shapeBounds(shape: HotSpotShape): [number, number, number, number] {
  if (shape.type === 'Circle') {
    const [lon, lat] = shape.coordinates
    const dLat = (shape.radiusM / 111_194.93) * 1.001
    const dLon = dLat / Math.cos(Math.min(89, Math.abs(lat) + dLat) * Math.PI / 180)
    return [lon - dLon, lat - dLat, lon + dLon, lat + dLat]
  }
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity
  for (const [lon, lat] of shape.coordinates[0] ?? []) {
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon)
    minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat)
  }
  return [minLon, minLat, maxLon, maxLat]
}

const orientation = (a: Position, b: Position, c: Position) => {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
  return v > 0 ? 1 : v < 0 ? -1 : 0
}
const onSegment = (a: Position, b: Position, p: Position) =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])

/** Whether the closed segments ab and cd share any point (touching and overlapping included). */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b)
  if (o1 !== o2 && o3 !== o4) return true
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b))
}

export const MAX_POLYGON_POSITIONS = 2000

/**
 * What is wrong with a polygon's rings, or null: each ring closed (ends where it starts) with at least three
 * distinct corners, no position repeated, and no edge crossing or touching another edge (of any ring) except
 * its two neighbours at their shared corner. Quadratic in the corners: fine for hand-drawn and imported areas.
 */
export function polygonProblem(rings: ReadonlyArray<Ring>): string | null {
  if (rings.length === 0) return 'a polygon needs an outer ring'
  const total = rings.reduce((s, r) => s + r.length, 0)
  if (total > MAX_POLYGON_POSITIONS) return `too many positions (${total}; at most ${MAX_POLYGON_POSITIONS})`
  const edges: Array<{ ring: number; i: number; a: Position; b: Position; n: number }> = []
  for (const [r, ring] of rings.entries()) {
    const name = r === 0 ? 'the outer ring' : `ring ${r}`
    if (ring.length < 4) return `${name} needs at least 4 positions (3 corners and the first repeated)`
    const first = ring[0]!, last = ring.at(-1)!
    if (first[0] !== last[0] || first[1] !== last[1]) return `${name} is not closed: its last position must repeat the first`
    const seen = new Set<string>()
    for (let i = 0; i < ring.length - 1; i++) {
      const key = `${ring[i]![0]},${ring[i]![1]}`
      if (seen.has(key)) return `${name} passes position ${i} (${key}) twice`
      seen.add(key)
      edges.push({ ring: r, i, a: ring[i]!, b: ring[i + 1]!, n: ring.length - 1 })
    }
  }
  for (let x = 0; x < edges.length; x++) {
    for (let y = x + 1; y < edges.length; y++) {
      const e = edges[x]!, f = edges[y]!
      const neighbours = e.ring === f.ring && (f.i === e.i + 1 || (e.i === 0 && f.i === e.n - 1))
      if (neighbours) {
        // Neighbours share one corner; folding back along each other is a crossing too.
        const shared = f.i === e.i + 1 ? e.b : e.a
        const eOther = shared === e.b ? e.a : e.b, fOther = shared === f.a ? f.b : f.a
        if (orientation(eOther, shared, fOther) === 0 && (onSegment(shared, eOther, fOther) || onSegment(shared, fOther, eOther))) {
          return `${e.ring === 0 ? 'the outer ring' : `ring ${e.ring}`} folds back on itself at position ${f.i === e.i + 1 ? f.i : e.i}`
        }
        continue
      }
      if (segmentsIntersect(e.a, e.b, f.a, f.b)) {
        const where = (g: typeof e) => `${g.ring === 0 ? 'outer ring' : `ring ${g.ring}`} edge ${g.i}–${g.i + 1}`
        return `the polygon intersects itself: ${where(e)} meets ${where(f)}`
      }
    }
  }
  return null
}
