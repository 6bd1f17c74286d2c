// The summary's filter as it lives in the page URL: the shared StatsFilter, plus the drawn polygon, which
// only the page knows (the API filters by its bounding box, `bbox`; the page clips the map to the polygon).
import { StatsFilterQuery, statsFilterInput, statsFilterToQuery, type StatsFilter } from '@lagesbild/domain'

export type Lonlat = [number, number]
export type Bbox = [number, number, number, number]
export type FilterKey = keyof StatsFilter
type RouteQuery = Record<string, string | null | undefined | ReadonlyArray<string | null>>

export const AREA_KEY = 'area'
const MAX_POLYGON_POINTS = 200

/** Keeps what parses: a bad value in a shared link is dropped and named, the rest of the filter still applies. */
export function readFilter(query: RouteQuery): { filter: StatsFilter; dropped: string[] } {
  const input = statsFilterInput(query)
  const dropped: string[] = []
  for (;;) {
    const result = StatsFilterQuery.safeParse(input)
    if (result.success) return { filter: result.data, dropped }
    const bad = [...new Set(result.error.issues.map(i => String(i.path[0] ?? '')))].filter(k => k in input)
    if (!bad.length) return { filter: {}, dropped: Object.keys(input) }
    for (const key of bad) {
      delete input[key]
      dropped.push(key)
    }
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6

export function boundsOf(polygon: Lonlat[]): Bbox {
  const lons = polygon.map(p => p[0])
  const lats = polygon.map(p => p[1])
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)].map(round6) as Bbox
}

export function polygonParam(polygon: Lonlat[]): string {
  return polygon.map(([lon, lat]) => `${round6(lon)},${round6(lat)}`).join(';')
}

/** The polygon in the URL counts only while `bbox` is still its bounding box; otherwise the box rules. */
export function readPolygon(value: unknown, bbox: Bbox | undefined): Lonlat[] | null {
  if (typeof value !== 'string' || !bbox) return null
  const points = value.split(';').map(pair => pair.split(',').map(Number))
  if (points.length < 3 || points.length > MAX_POLYGON_POINTS) return null
  if (!points.every(p => p.length === 2 && Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90)) return null
  const polygon = points as Lonlat[]
  const b = boundsOf(polygon)
  return b.every((x, i) => Math.abs(x - bbox[i]!) < 1e-6) ? polygon : null
}

/** Even–odd ray casting in lon/lat: exact enough for the few kilometres of a town. */
export function inPolygon([x, y]: Lonlat, polygon: Lonlat[]): boolean {
  let inside = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!
    const [xj, yj] = polygon[j]!
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

export function toRouteQuery(filter: StatsFilter, polygon: Lonlat[] | null): Record<string, string | string[]> {
  const query = statsFilterToQuery(filter)
  if (polygon && filter.bbox) query[AREA_KEY] = polygonParam(polygon)
  return query
}

/** The filter without one key, or without one value of a repeatable key. */
export function withoutFilter(filter: StatsFilter, key: FilterKey, value?: string | number): StatsFilter {
  const next: StatsFilter = { ...filter }
  const current = next[key]
  if (value !== undefined && Array.isArray(current)) {
    const rest = (current as Array<string | number>).filter(v => v !== value)
    Object.assign(next, { [key]: rest.length ? rest : undefined })
  } else {
    delete next[key]
  }
  // A radius means nothing without its place.
  if (key === 'place') delete next.radius
  return next
}

/** How many chips the filter makes: one per alternative of a repeatable key, one for the hours, one for place and radius. */
export function activeFilterCount(f: StatsFilter): number {
  const one = (set: boolean) => (set ? 1 : 0)
  return one(!!f.from) + one(!!f.to) + one(!!f.week) + (f.category?.length ?? 0) + (f.org?.length ?? 0) + (f.weekday?.length ?? 0) +
    one(f.hourFrom !== undefined || f.hourTo !== undefined) + one(f.place !== undefined) + one(!!f.bbox)
}
