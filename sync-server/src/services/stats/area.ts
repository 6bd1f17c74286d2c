import { distanceM } from '@lagesbild/domain'
import { GRID_DLAT, GRID_DLON, GRID_ROWS, M_PER_DEG, baseCell } from './grid.ts'

/** A filter's area: a bbox, a circle round a place, or both (their intersection). */
export interface Area {
  bbox?: [number, number, number, number]
  circle?: { lon: number; lat: number; radius: number }
}

interface Term { sql: string; params: Array<string | number> }

/** The area's bounding box [minLon, minLat, maxLon, maxLat]. */
export function boundsOf(a: Area): [number, number, number, number] {
  const boxes: Array<[number, number, number, number]> = []
  if (a.bbox) boxes.push(a.bbox)
  if (a.circle) {
    const { lon, lat, radius } = a.circle
    const dLat = (radius / M_PER_DEG) * 1.001
    const dLon = dLat / Math.cos(Math.min(89, Math.abs(lat) + dLat) * Math.PI / 180)
    boxes.push([lon - dLon, lat - dLat, lon + dLon, lat + dLat])
  }
  return boxes.reduce((x, y) => [Math.max(x[0], y[0]), Math.max(x[1], y[1]), Math.min(x[2], y[2]), Math.min(x[3], y[3])])
}

/**
 * The exact test of a position against the area, in SQL on lon/lat. The circle uses the haversine of geo.ts
 * distanceM; a flat (equirectangular) distance settles every row but those near the circle first, so the
 * trigonometry runs for a sliver of the rows. The flat distance errs by less than tan(lat) · radius / R, and
 * the band left to the haversine is twice that.
 */
export function areaTerm(a: Area): Term {
  const [minLon, minLat, maxLon, maxLat] = boundsOf(a)
  const parts: Term[] = [{ sql: 'lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?', params: [minLon, maxLon, minLat, maxLat] }]
  if (a.circle) {
    const { lon, lat, radius } = a.circle
    const rad = Math.PI / 180
    const ky = M_PER_DEG, kx = M_PER_DEG * Math.cos(lat * rad)
    const band = 0.001 + 2 * Math.tan(Math.min(80, Math.abs(lat)) * rad) * radius / 6_371_008.8
    const flat = `((lon - ${lon}) * ${kx}) * ((lon - ${lon}) * ${kx}) + ((lat - ${lat}) * ${ky}) * ((lat - ${lat}) * ${ky})`
    parts.push({
      sql: `(${flat} <= ? OR (${flat} <= ? AND 2 * 6371008.8 * asin(min(1, sqrt(pow(sin((lat - ?) * ${rad} / 2), 2)
        + cos(? * ${rad}) * cos(lat * ${rad}) * pow(sin((lon - ?) * ${rad} / 2), 2)))) <= ?))`,
      params: [(radius * (1 - band)) ** 2, (radius * (1 + band)) ** 2, lat, lat, lon, radius],
    })
  }
  return { sql: parts.map(p => p.sql).join(' AND '), params: parts.flatMap(p => p.params) }
}

export function areaKm2(a: Area): number {
  const [minLon, minLat, maxLon, maxLat] = boundsOf(a)
  return Math.max(0, maxLon - minLon) * M_PER_DEG * Math.cos(minLat * Math.PI / 180) * Math.max(0, maxLat - minLat) * M_PER_DEG / 1e6
}

/** The range of grid_cell values a position in the area can have (the cell's column grows with lon, its row with lat). */
export function cellSpan(a: Area): Term {
  const [minLon, minLat, maxLon, maxLat] = boundsOf(a)
  const [x0, y0] = baseCell(minLon, minLat), [x1, y1] = baseCell(maxLon, maxLat)
  return { sql: 'grid_cell BETWEEN ? AND ?', params: [x0 * GRID_ROWS + y0, x1 * GRID_ROWS + y1] }
}

const MAX_CELLS = 40_000 // 10 × 10 km in 50 m cells; a larger area is nearly everything and is read in full
const EPS_DEG = 1e-9     // a position on a cell's edge may fall in either cell: never trust an edge

export type CellRange = [number, number]

// SQLite allows 32,766 bound parameters per statement; a thin area (thousands of columns, one row) has one range
// per column. Up to this many ranges are bound as a VALUES list; more go in as one JSON parameter.
const MAX_BOUND_RANGES = 500

/**
 * A row source `cells(column1, column2)` of grid_cell ranges to drive one index seek each (CROSS JOIN it before
 * the table). Any number of ranges stays within SQLite's limits: a long list is one JSON text read by json_each.
 */
export function cellRangesSql(list: readonly CellRange[]): Term {
  if (list.length <= MAX_BOUND_RANGES) return { sql: `(VALUES ${list.map(() => '(?, ?)').join(', ')}) AS cells`, params: list.flat() }
  return { sql: `(SELECT value ->> 0 AS column1, value ->> 1 AS column2 FROM json_each(?)) AS cells`, params: [JSON.stringify(list)] }
}

/**
 * The area's base cells, sorted into those wholly inside it (their rows need no test: a rollup can count them)
 * and those on its edge (their rows are tested one by one), as grid_cell ranges. Null when the area is too large.
 */
export function cellRanges(a: Area): { inside: CellRange[]; edge: CellRange[] } | null {
  const [minLon, minLat, maxLon, maxLat] = boundsOf(a)
  if (minLon > maxLon || minLat > maxLat) return { inside: [], edge: [] }
  const [x0, y0] = baseCell(minLon, minLat), [x1, y1] = baseCell(maxLon, maxLat)
  if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS) return null
  const inside: CellRange[] = [], edge: CellRange[] = []
  for (let x = x0; x <= x1; x++) {
    let run: { kind: 'in' | 'edge'; from: number } | null = null
    const close = (y: number) => {
      if (run) (run.kind === 'in' ? inside : edge).push([x * GRID_ROWS + run.from, x * GRID_ROWS + y - 1])
      run = null
    }
    for (let y = y0; y <= y1 + 1; y++) {
      const kind = y > y1 ? 'out' : classify(a, x, y)
      if (run && run.kind !== kind) close(y)
      if (!run && kind !== 'out') run = { kind, from: y }
    }
  }
  return { inside, edge }
}

function classify(a: Area, x: number, y: number): 'in' | 'edge' | 'out' {
  const w = x * GRID_DLON - 180 - EPS_DEG, e = (x + 1) * GRID_DLON - 180 + EPS_DEG
  const s = y * GRID_DLAT - 90 - EPS_DEG, n = (y + 1) * GRID_DLAT - 90 + EPS_DEG
  let inside = true
  if (a.bbox) {
    const [minLon, minLat, maxLon, maxLat] = a.bbox
    if (e < minLon || w > maxLon || n < minLat || s > maxLat) return 'out'
    if (w < minLon || e > maxLon || s < minLat || n > maxLat) inside = false
  }
  if (a.circle) {
    const { lon, lat, radius } = a.circle
    const nearest = { lon: Math.min(Math.max(lon, w), e), lat: Math.min(Math.max(lat, s), n) }
    if (distanceM(a.circle, nearest) > radius + 1) return 'out' // 1 m covers where a 50 m cell's nearest point lies
    const corners = [[w, s], [w, n], [e, s], [e, n]] as const
    if (corners.some(([cLon, cLat]) => distanceM(a.circle!, { lon: cLon, lat: cLat }) > radius * (1 - 1e-6))) inside = false
  }
  return inside ? 'in' : 'edge'
}
