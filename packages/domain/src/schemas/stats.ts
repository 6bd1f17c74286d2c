/**
 * The summary (sammanställning): the filter shared by the stats API, the exports and the summary page's URL,
 * and the response of every stats endpoint.
 *
 * Every endpoint is GET, for the roles analyst, reviewer and admin (reporter 403, signed out 401), and takes
 * the filter as query parameters (below). It counts only incidents: `status = 'approved' AND duplicate_of IS NULL`
 * (a merged duplicate counts once, through its primary). Day, weekday, hour and ISO week are local to the
 * municipality's zone (GET /api/config → timeZone). A bad filter answers 400 `{error: {code, message, field}}`.
 *
 *   GET /api/stats/total                       → StatsTotal          {total}
 *   GET /api/stats/categories                  → StatsByCategory     {total, rows: [{category, count}]}, most first
 *   GET /api/stats/organisations               → StatsByOrganisation {total, rows: [{organisationId, name, kind, count}]}, most first
 *   GET /api/stats/trend?weeks=12              → StatsTrend          {endWeek, weeks: [{isoWeek, monday, count}]}: `weeks` (1–104,
 *        default 12; the page asks 12 and 52) ISO weeks, oldest first, zero-filled, ending at the filter's end: the
 *        `week`, else the week of `to`, else this week. from/to/week only set that end; the other filters apply.
 *   GET /api/stats/weekday-hour                → StatsWeekdayHour    {total, counts}: counts[weekday - 1][hour], 7 × 24
 *   GET /api/stats/places                      → StatsByPlace        {total, unplaced, rows: [PlaceCount]}, most first;
 *        grouped by the report's named place (place_id); `unplaced` counts reports without one
 *   GET /api/stats/grid?cell=250               → StatsGrid           {cellM, cells: [GridCell]}, non-empty cells, most first;
 *        cell = 100|250|500|1000 metres (default 250), square cells on a fixed lon/lat grid (see GridCell)
 *   GET /api/stats/hotspots?limit=10&cell=250  → StatsHotspots       {places: [PlaceCount], cells: [GridCell]}: the top `limit` (1–50)
 *   GET /api/stats/change?baseline=6           → StatsChange         {week, baselineWeeks, upTo, rule, rows: [ChangeRow]}: each
 *        category × place in `week` (the filter's `week`, else the week of `to`, else this week) against the mean of the
 *        `baseline` (4–8, default 6) weeks before it; see CHANGE_RULE for when a row is rising or falling. Rising rows
 *        first. While the week is still running, all weeks are compared up to the same weekday and hour (`upTo`).
 *   GET /api/stats/reports?page=1&pageSize=50  → StatsReportPage     {total, page, pageSize, rows: [StatsReportRow]}, newest first;
 *        pageSize 1–200; `description` only for reviewers and admins
 *   GET /api/stats/points?limit=10000          → StatsPoints         {total, truncated, points: [[lon, lat, category, id]]}, newest
 *        days first, at most `limit` (1–50,000); truncated = total > points.length
 *   GET /api/stats/weekly?week=2026-W48        → WeeklyStats         the weekly report (default: the last complete week); takes the
 *        filter too, except from/to (the week is the period)
 *   GET /api/export/reports.csv                → text/csv: UTF-8 with BOM, `;`, CRLF, local times; for Swedish Excel
 *   GET /api/export/reports.geojson?crs=EPSG:4326|EPSG:3006 → application/geo+json FeatureCollection (EPSG:3006 = SWEREF 99 TM)
 *        Both exports follow the filter exactly, hold `description` only for reviewers and admins, and are audited.
 *
 * Filter (query parameters; a repeated key gives alternatives, different keys combine with AND):
 *   from, to       YYYY-MM-DD local dates, inclusive (from=2026-11-02&to=2026-11-08 is seven whole days)
 *   week           ISO week, 2026-W48 (W53 only in years that have one)
 *   category       category code, repeatable
 *   org            organisation id, repeatable
 *   weekday        1 = Monday … 7 = Sunday, repeatable
 *   hourFrom/To    0–23, inclusive: 20–23 is 20:00–23:59; hourFrom > hourTo wraps past midnight (22–04 is 22:00–04:59);
 *                  only one of them: from that hour to 23:59, or from 00:00 to that hour
 *   bbox           minLon,minLat,maxLon,maxLat (WGS 84 degrees)
 *   place          place id; alone: reports at that named place (their place_id); with radius: every report within
 *   radius         `radius` metres (1–50,000) of the place's centre, whatever place it names. radius needs place.
 *
 * In the PWA: parseStatsFilter(route.query) and statsFilterToQuery(filter) for router.push({query}) and for the
 * API URL (statsFilterToSearchParams(filter).toString()).
 */
import { z } from 'zod'
import { CategoryCode } from './category.ts'
import { OrgKind } from './organisation.ts'
import { isoWeekMonday, isoWeekOf } from '../local-time.ts'

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const WEEK_RE = /^(\d{4})-W(\d{2})$/

/** A real calendar date, YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === s
}

/** An ISO week that exists: 2026-W53 does, 2027-W53 does not. */
export function isIsoWeek(s: string): boolean {
  const m = WEEK_RE.exec(s)
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 53) return false
  const [y, mo, d] = isoWeekMonday(s).split('-').map(Number) as [number, number, number]
  return isoWeekOf(y, mo, d).isoWeek === s
}

const FilterDate = z.string().refine(isCalendarDate, 'a date YYYY-MM-DD')
const FilterWeek = z.string().refine(isIsoWeek, 'an ISO week such as 2026-W48')

// Query values arrive as a string, or as an array when the key is repeated.
const one = <T extends z.ZodType<unknown, string>>(item: T) => z.string().pipe(item)
function intIn(min: number, max: number) {
  return z.string().regex(/^\d{1,9}$/, `a whole number ${min}–${max}`).transform(Number).pipe(z.number().int().min(min).max(max))
}
function many<T extends z.ZodType<unknown, string>>(item: T, max = 50) {
  return z.preprocess(v => (v === undefined || Array.isArray(v) ? v : [v]), z.array(z.string().pipe(item)).min(1).max(max))
}

const Bbox = z.string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLon,minLat,maxLon,maxLat in degrees')
  .transform(s => s.split(',').map(Number) as [number, number, number, number])
  .refine(([minLon, minLat, maxLon, maxLat]) =>
    minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90 && minLon <= maxLon && minLat <= maxLat,
  'minLon ≤ maxLon within ±180 and minLat ≤ maxLat within ±90')

const filterFields = {
  from: one(FilterDate).optional(),
  to: one(FilterDate).optional(),
  week: one(FilterWeek).optional(),
  category: many(CategoryCode).optional(),
  org: many(intIn(1, 2_147_483_647)).optional(),
  weekday: many(intIn(1, 7), 7).optional(),
  hourFrom: one(intIn(0, 23)).optional(),
  hourTo: one(intIn(0, 23)).optional(),
  bbox: one(Bbox).optional(),
  place: one(intIn(1, 2_147_483_647)).optional(),
  radius: one(intIn(1, 50_000)).optional(),
}

function checked<T extends z.ZodObject>(schema: T) {
  return schema.superRefine((value, ctx) => {
    const f = value as { from?: string; to?: string; place?: number; radius?: number }
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' })
    if (f.radius !== undefined && f.place === undefined) ctx.addIssue({ code: 'custom', path: ['radius'], message: 'radius needs a place' })
  })
}

/** The summary filter as query parameters; the parsed value is `StatsFilter`. */
export const StatsFilterQuery = checked(z.object(filterFields))
export type StatsFilter = z.output<typeof StatsFilterQuery>

export const STATS_FILTER_KEYS = ['from', 'to', 'week', 'category', 'org', 'weekday', 'hourFrom', 'hourTo', 'bbox', 'place', 'radius'] as const

type QueryInput = URLSearchParams | Record<string, string | null | undefined | ReadonlyArray<string | null>>

/** Reads the filter keys (others are ignored) from URL search params or a router/Hono query object. */
export function statsFilterInput(query: QueryInput): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const key of STATS_FILTER_KEYS) {
    const values = (query instanceof URLSearchParams ? query.getAll(key) : [query[key]].flat())
      .filter((v): v is string => typeof v === 'string')
    if (values.length) out[key] = values.length === 1 ? values[0]! : values
  }
  return out
}

export function parseStatsFilter(query: QueryInput) {
  return StatsFilterQuery.safeParse(statsFilterInput(query))
}

/** The filter as query values (repeatable keys as arrays), omitting what is unset; parseStatsFilter reads it back. */
export function statsFilterToQuery(f: StatsFilter): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {}
  if (f.from) q.from = f.from
  if (f.to) q.to = f.to
  if (f.week) q.week = f.week
  if (f.category?.length) q.category = [...f.category]
  if (f.org?.length) q.org = f.org.map(String)
  if (f.weekday?.length) q.weekday = f.weekday.map(String)
  if (f.hourFrom !== undefined) q.hourFrom = String(f.hourFrom)
  if (f.hourTo !== undefined) q.hourTo = String(f.hourTo)
  if (f.bbox) q.bbox = f.bbox.join(',')
  if (f.place !== undefined) q.place = String(f.place)
  if (f.radius !== undefined) q.radius = String(f.radius)
  return q
}

export function statsFilterToSearchParams(f: StatsFilter): URLSearchParams {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(statsFilterToQuery(f))) for (const x of [v].flat()) p.append(k, x)
  return p
}

// ---- endpoint-specific parameters (each also takes the filter) ----

export const GRID_CELL_SIZES = [100, 250, 500, 1000] as const
const CellSize = z.enum(['100', '250', '500', '1000']).transform(Number)

const withFilter = <S extends z.ZodRawShape>(extra: S) => checked(z.object({ ...filterFields, ...extra }))
export const TrendQuery = withFilter({ weeks: one(intIn(1, 104)).default(12) })
export const GridQuery = withFilter({ cell: one(CellSize).default(250) })
export const HotspotsQuery = withFilter({ cell: one(CellSize).default(250), limit: one(intIn(1, 50)).default(10) })
export const ChangeQuery = withFilter({ baseline: one(intIn(4, 8)).default(6) })
export const ReportPageQuery = withFilter({ page: one(intIn(1, 1_000_000)).default(1), pageSize: one(intIn(1, 200)).default(50) })
export const PointsQuery = withFilter({ limit: one(intIn(1, 50_000)).default(10_000) })
/** The weekly report's period is its week: from and to are not taken. */
const notInWeekly = z.string().refine(() => false, 'the weekly report takes week, not from/to').optional()
export const WeeklyQuery = checked(z.object({ ...filterFields, from: notInWeekly, to: notInWeekly, cell: one(CellSize).default(250) }))
export const ExportCrs = z.enum(['EPSG:4326', 'EPSG:3006'])
export const GeoJsonExportQuery = withFilter({ crs: one(ExportCrs).default('EPSG:4326') })

// ---- responses ----

const Count = z.number().int().min(0)
/** [minLon, minLat, maxLon, maxLat] */
const Bounds = z.tuple([z.number(), z.number(), z.number(), z.number()])

export const StatsTotal = z.object({ total: Count })
export type StatsTotal = z.infer<typeof StatsTotal>

export const CategoryCount = z.object({ category: z.string(), count: Count })
export const StatsByCategory = z.object({ total: Count, rows: z.array(CategoryCount) })
export type StatsByCategory = z.infer<typeof StatsByCategory>

export const OrganisationCount = z.object({ organisationId: z.number().int(), name: z.string(), kind: OrgKind, count: Count })
export const StatsByOrganisation = z.object({ total: Count, rows: z.array(OrganisationCount) })
export type StatsByOrganisation = z.infer<typeof StatsByOrganisation>

export const WeekCount = z.object({ isoWeek: z.string(), monday: z.string(), count: Count })
export type WeekCount = z.infer<typeof WeekCount>
export const StatsTrend = z.object({ endWeek: z.string(), weeks: z.array(WeekCount) })
export type StatsTrend = z.infer<typeof StatsTrend>

export const StatsWeekdayHour = z.object({
  total: Count,
  /** counts[weekday - 1][hour]: 7 rows (Monday first) of 24 local hours */
  counts: z.array(z.array(Count)),
})
export type StatsWeekdayHour = z.infer<typeof StatsWeekdayHour>

export const PlaceCount = z.object({ placeId: z.number().int(), name: z.string(), kind: z.enum(['place', 'area']), lat: z.number(), lon: z.number(), count: Count })
export type PlaceCount = z.infer<typeof PlaceCount>
export const StatsByPlace = z.object({ total: Count, unplaced: Count, rows: z.array(PlaceCount) })
export type StatsByPlace = z.infer<typeof StatsByPlace>

/**
 * A map grid cell. The grid is fixed in lon/lat: cells are `cellM` metres north–south, and as many degrees of
 * longitude as make `cellM` metres east–west at 58° N (so within ±6 % of square from Malmö to Umeå).
 * `key` ("x:y", the cell's column and row) is stable for a given cell size; `bounds` is what to draw.
 */
export const GridCell = z.object({ key: z.string(), count: Count, centre: z.tuple([z.number(), z.number()]), bounds: Bounds })
export type GridCell = z.infer<typeof GridCell>
export const StatsGrid = z.object({ cellM: z.number().int(), cells: z.array(GridCell) })
export type StatsGrid = z.infer<typeof StatsGrid>

export const StatsHotspots = z.object({ cellM: z.number().int(), places: z.array(PlaceCount), cells: z.array(GridCell) })
export type StatsHotspots = z.infer<typeof StatsHotspots>

/**
 * When a category × place counts as rising or falling in a week, against the mean of its baseline weeks:
 * rising when current ≥ minCount and current ≥ risingRatio × baselineMean (so a new problem with no history
 * rises once it reaches minCount); falling when baselineMean ≥ minCount and current ≤ fallingRatio × baselineMean.
 */
export const CHANGE_RULE = { minCount: 3, risingRatio: 2, fallingRatio: 0.5 } as const
export type ChangeTrend = 'rising' | 'falling' | 'steady'

export function changeTrend(current: number, baselineMean: number, rule = CHANGE_RULE): ChangeTrend {
  if (current >= rule.minCount && current >= rule.risingRatio * baselineMean) return 'rising'
  if (baselineMean >= rule.minCount && current <= rule.fallingRatio * baselineMean) return 'falling'
  return 'steady'
}

export const ChangeRow = z.object({
  category: z.string(),
  /** null: reports without a named place */
  placeId: z.number().int().nullable(),
  placeName: z.string().nullable(),
  current: Count,
  baselineTotal: Count,
  baselineMean: z.number(),
  /** current − baselineMean */
  delta: z.number(),
  /** current / baselineMean; null when the baseline is empty */
  ratio: z.number().nullable(),
  trend: z.enum(['rising', 'falling', 'steady']),
})
export type ChangeRow = z.infer<typeof ChangeRow>
export const StatsChange = z.object({
  week: z.string(),
  baselineWeeks: z.array(z.string()),
  /**
   * Set while `week` has not ended: then the week and every baseline week are counted only up to the same local
   * weekday and hour (a Wednesday afternoon compares Monday–Wednesday 15:59 with Monday–Wednesday 15:59).
   */
  upTo: z.object({ weekday: z.number().int(), hour: z.number().int() }).nullable(),
  rule: z.object({ minCount: z.number(), risingRatio: z.number(), fallingRatio: z.number() }),
  /** Every category × place with a report in the week or its baseline: rising first (largest delta first), then steady, then falling. */
  rows: z.array(ChangeRow),
})
export type StatsChange = z.infer<typeof StatsChange>

export const StatsReportRow = z.object({
  id: z.string(),
  category: z.string(),
  /** ISO 8601 with the municipality's offset, e.g. 2026-11-24T21:40:00+01:00 */
  occurredAt: z.string(),
  localDate: z.string(),
  /** HH:MM local */
  localTime: z.string(),
  weekday: z.number().int(),
  isoWeek: z.string(),
  placeId: z.number().int().nullable(),
  placeName: z.string().nullable(),
  organisationId: z.number().int(),
  organisationName: z.string(),
  lat: z.number(),
  lon: z.number(),
  /** Only for reviewers and admins. */
  description: z.string().optional(),
})
export type StatsReportRow = z.infer<typeof StatsReportRow>
export const StatsReportPage = z.object({ total: Count, page: z.number().int(), pageSize: z.number().int(), rows: z.array(StatsReportRow) })
export type StatsReportPage = z.infer<typeof StatsReportPage>

/** [lon, lat, category, id] */
export const StatsPoint = z.tuple([z.number(), z.number(), z.string(), z.string()])
export type StatsPoint = z.infer<typeof StatsPoint>
export const StatsPoints = z.object({ total: Count, truncated: z.boolean(), points: z.array(StatsPoint) })
export type StatsPoints = z.infer<typeof StatsPoints>

export const WeeklyStats = z.object({
  week: z.string(),
  monday: z.string(),
  sunday: z.string(),
  total: Count,
  /** the 12 weeks ending with `week`, oldest first (the last one is `week` itself) */
  trend: z.array(WeekCount),
  /** mean weekly total over the baseline weeks (the 6 before `week`) */
  baselineMean: z.number(),
  byCategory: z.array(CategoryCount.extend({ baselineMean: z.number() })),
  byOrganisation: z.array(OrganisationCount),
  hotspots: StatsHotspots,
  /** the rising and falling rows of StatsChange for the week */
  changes: z.array(ChangeRow),
  weekdayHour: StatsWeekdayHour,
})
export type WeeklyStats = z.infer<typeof WeeklyStats>
