import type { StatsFilter } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { ApiError } from '../../http-error.ts'
import { areaKm2, areaTerm, cellRanges, cellRangesSql, cellSpan, type Area } from './area.ts'
import { weekRange } from './weeks.ts'

/** The shared counting rule: an approved report that is not a merged duplicate is one incident. */
export const COUNTED = `status = 'approved' AND duplicate_of IS NULL`

/** A statement and its bound parameters, in order: what an aggregate runs, and what the benchmark runs bare. */
export interface Sql { sql: string; params: Array<string | number> }

/**
 * What an aggregate groups by; each source has an index that delivers these groups in order (migration 003).
 * `newest` lists reports by local_date descending, which every reports index led by a single-valued column keeps.
 */
export type Grouping = 'none' | 'date' | 'category' | 'organisation' | 'place' | 'weekday_hour' | 'grid' | 'newest'

/**
 * A query over the counted reports: `SELECT … ${q.count} FROM ${q.from} WHERE ${q.where}` with `q.params`.
 * `count` is count(*) over reports, or the sum of the counts in a rollup. A rollup writes "no named place" as
 * place_id 0 where reports have NULL; groups in a rollup may sum to 0 (reports that stopped counting).
 */
export interface StatsQuery { from: string; where: string; params: Array<string | number>; count: string; source: 'reports' | 'stats_hourly' | 'stats_daily_place' | 'stats_place_weekly' | CellTable }

interface Term { sql: string; params: Array<string | number> }
interface Terms {
  date?: Term & { days: number }
  category?: Term & { n: number }
  organisation?: Term & { n: number }
  weekday?: Term & { n: number }
  hour?: Term
  place?: Term
  /** bbox and radius: the exact test on lon/lat */
  area?: Term & { shape: Area; areaKm2: number }
}

type CellTable = 'stats_cells' | 'stats_cells_daily' | 'stats_cells_weekly'

/** The cell rollup that can answer a grouping under these filters (ignoring the area), if any. */
function cellRollup(grouping: Grouping, t: Terms): { table: CellTable; columns: string[]; filters: Term[] } | null {
  const has = (...keys: Array<keyof Terms>) => keys.some(k => t[k] !== undefined)
  const present = (...keys: Array<keyof Terms>) => keys.flatMap(k => (t[k] && k !== 'area' ? [t[k] as Term] : []))
  const grid = grouping === 'grid'
  if (['none', 'category', 'organisation', 'place', 'grid'].includes(grouping) && !has('date', 'weekday', 'hour')) {
    return { table: 'stats_cells', columns: ['category', 'organisation_id', 'place_id', 'grid_cell'], filters: present('category', 'organisation', 'place') }
  }
  if ((grouping === 'date' || grid) && !has('category', 'organisation', 'place', 'hour')) {
    return { table: 'stats_cells_daily', columns: ['local_date', 'local_weekday', 'grid_cell'], filters: present('date', 'weekday') }
  }
  if ((grouping === 'weekday_hour' || grid) && !has('category', 'place', 'date')) {
    return { table: 'stats_cells_weekly', columns: ['organisation_id', 'local_weekday', 'local_hour', 'grid_cell'], filters: present('organisation', 'weekday', 'hour') }
  }
  return null
}

// Seeking an index on a filter beats reading the grouping's index in order when the filter keeps few rows.
const SEEK_DATE_DAYS = 70
const SEEK_AREA_KM2 = 0.1

const REPORT_INDEX: Record<Grouping, string> = {
  none: 'stats_date', date: 'stats_date', category: 'stats_category', organisation: 'stats_organisation',
  place: 'stats_place', weekday_hour: 'stats_weekday_hour', grid: 'stats_grid', newest: 'stats_date',
}
// NOT INDEXED reads a WITHOUT ROWID rollup by its primary key, which leads with local_date.
const HOURLY_INDEX: Partial<Record<Grouping, string>> = {
  category: 'INDEXED BY stats_hourly_category', organisation: 'INDEXED BY stats_hourly_organisation', weekday_hour: 'INDEXED BY stats_hourly_weekday_hour',
}
const DAILY_PLACE_INDEX: Partial<Record<Grouping, string>> = {
  category: 'INDEXED BY stats_daily_place_category', organisation: 'INDEXED BY stats_daily_place_organisation', place: 'INDEXED BY stats_daily_place_place',
}

/**
 * Translates a filter into SQL over the counted reports and picks where to read them, so the plan never depends
 * on whether ANALYZE has run:
 * - without an area, from a rollup: stats_hourly keeps the hour, stats_daily_place the place, stats_place_weekly
 *   both but not the date; they are several times smaller than the reports;
 * - without a time, the grid from the stats_cells rollup; with an area, the cells wholly inside it from a cell
 *   rollup (stats_cells, or stats_cells_daily / _weekly for the trend and the weekday × hour matrix) and the cells
 *   on its edge from the reports;
 * - else from the reports through a covering index: the one a selective filter can seek (a named place, a
 *   period of at most ten weeks, a small area, one or two categories, one organisation, a few weekdays; SQLite
 *   then sorts only the rows that pass every filter), else the grouping's own, read in order without sorting.
 * Dates compare the precomputed local_date, so a day is a local day; a week is its Monday–Sunday. `dates: false`
 * leaves out from/to/week (the trend and the change set their own period in `extraDates`); `readsHour` says the
 * caller's SQL reads local_hour itself. A place that does not exist is a 400 naming `place`.
 */
export function statsQuery(db: Db, f: StatsFilter, grouping: Grouping, options: { dates?: boolean; extraDates?: [string, string]; readsHour?: boolean } = {}): StatsQuery {
  const t = terms(db, f, options.dates ?? true, options.extraDates)
  const needsHour = grouping === 'weekday_hour' || t.hour !== undefined || options.readsHour === true
  const needsPlace = grouping === 'place' || t.place !== undefined
  const seekDate = t.date !== undefined && t.date.days <= SEEK_DATE_DAYS
  const filters = [t.date, t.category, t.organisation, t.weekday, t.hour, t.place].filter((x): x is Term => x !== undefined)

  if (!t.area && !t.date && needsHour && needsPlace && grouping !== 'grid' && grouping !== 'newest') {
    return { source: 'stats_place_weekly', from: 'stats_place_weekly', where: filters.map(p => p.sql).join(' AND ') || '1', params: filters.flatMap(p => p.params), count: 'coalesce(sum(n), 0)' }
  }
  if (!t.area && grouping !== 'grid' && grouping !== 'newest' && !(needsHour && needsPlace)) {
    const source = needsPlace ? 'stats_daily_place' : 'stats_hourly'
    const byGroup = needsPlace ? DAILY_PLACE_INDEX : HOURLY_INDEX
    let index = byGroup[grouping] ?? 'NOT INDEXED'
    if (needsPlace && t.place) index = DAILY_PLACE_INDEX.place!
    else if (seekDate) index = 'NOT INDEXED'
    else if (t.category?.n === 1) index = byGroup.category!
    else if (t.organisation?.n === 1) index = byGroup.organisation!
    return { source, from: `${source} ${index}`, where: filters.map(p => p.sql).join(' AND ') || '1', params: filters.flatMap(p => p.params), count: 'coalesce(sum(n), 0)' }
  }

  // No time in the filter: the grid from the stats_cells rollup. An area: the cells wholly inside it from a
  // cell rollup that keeps what the query needs, and the cells on its edge from the reports, tested row by row.
  const rollup = cellRollup(grouping, t)
  if (rollup && !t.area && grouping === 'grid') {
    const { table, filters } = rollup
    return { source: table, from: table, where: filters.map(p => p.sql).join(' AND ') || '1', params: filters.flatMap(p => p.params), count: 'coalesce(sum(n), 0)' }
  }
  const cells = rollup && t.area ? cellRanges(t.area.shape) : null
  if (rollup && t.area && cells) {
    // Each range drives one seek: SQLite would not split an OR of ranges over a partial index.
    const ranges = cellRangesSql
    const { table, columns, filters } = rollup
    const arms: Term[] = []
    if (cells.inside.length) {
      const r = ranges(cells.inside)
      arms.push({
        sql: `SELECT ${columns.join(', ')}, n AS c FROM ${r.sql} CROSS JOIN ${table}
              WHERE grid_cell BETWEEN cells.column1 AND cells.column2${filters.map(p => ` AND ${p.sql}`).join('')}`,
        params: [...r.params, ...filters.flatMap(p => p.params)],
      })
    }
    if (cells.edge.length) {
      const r = ranges(cells.edge), terms = [{ sql: COUNTED, params: [] }, t.area, ...filters]
      arms.push({
        sql: `SELECT ${columns.map(c => (c === 'place_id' ? 'coalesce(place_id, 0) AS place_id' : c)).join(', ')}, 1 AS c
              FROM ${r.sql} CROSS JOIN reports INDEXED BY stats_grid
              WHERE grid_cell BETWEEN cells.column1 AND cells.column2 AND ${terms.map(p => p.sql).join(' AND ')}`,
        params: [...r.params, ...terms.flatMap(p => p.params)],
      })
    }
    if (!arms.length) arms.push({ sql: `SELECT ${columns.map(c => `NULL AS ${c}`).join(', ')}, 0 AS c WHERE 0`, params: [] })
    return {
      source: table, from: `(${arms.map(a => a.sql).join(' UNION ALL ')})`,
      where: '1', params: arms.flatMap(a => a.params), count: 'coalesce(sum(c), 0)',
    }
  }

  let index = REPORT_INDEX[grouping]
  if (grouping === 'newest') {
    if (t.place) index = 'stats_place'
    else if (!t.date && t.category?.n === 1) index = 'stats_category'
    else if (!t.date && t.organisation?.n === 1) index = 'stats_organisation'
  } else if (t.place) index = 'stats_place'
  else if (seekDate) index = 'stats_date'
  else if (t.area && t.area.areaKm2 <= SEEK_AREA_KM2) index = 'stats_grid'
  else if (t.category && t.category.n <= 2) index = 'stats_category'
  else if (t.organisation?.n === 1) index = 'stats_organisation'
  else if (t.weekday && t.weekday.n <= 3) index = 'stats_weekday_hour'
  const parts: Term[] = [{ sql: COUNTED, params: [] }, ...filters]
  if (t.area) parts.push(t.area)
  if (t.area && index === 'stats_grid') parts.push(cellSpan(t.area.shape))
  return { source: 'reports', from: `reports INDEXED BY ${index}`, where: parts.map(p => p.sql).join(' AND '), params: parts.flatMap(p => p.params), count: 'count(*)' }
}

function terms(db: Db, f: StatsFilter, dates: boolean, extraDates?: [string, string]): Terms {
  const t: Terms = {}
  const inList = (column: string, values: ReadonlyArray<string | number>): Term =>
    ({ sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] })

  let lo: string | undefined, hi: string | undefined
  const narrow = (a: string | undefined, b: string | undefined) => {
    if (a !== undefined && (lo === undefined || a > lo)) lo = a
    if (b !== undefined && (hi === undefined || b < hi)) hi = b
  }
  if (dates) {
    narrow(f.from, f.to)
    if (f.week) narrow(...weekRange(f.week))
  }
  if (extraDates) narrow(...extraDates)
  if (lo !== undefined && hi !== undefined) t.date = { sql: 'local_date BETWEEN ? AND ?', params: [lo, hi], days: daysBetween(lo, hi) + 1 }
  else if (lo !== undefined) t.date = { sql: 'local_date >= ?', params: [lo], days: Infinity }
  else if (hi !== undefined) t.date = { sql: 'local_date <= ?', params: [hi], days: Infinity }

  if (f.category?.length) {
    const values = [...new Set(f.category)]
    t.category = { ...inList('category', values), n: values.length }
  }
  if (f.org?.length) {
    const values = [...new Set(f.org)]
    t.organisation = { ...inList('organisation_id', values), n: values.length }
  }
  if (f.weekday?.length) {
    const values = [...new Set(f.weekday)]
    t.weekday = { ...inList('local_weekday', values), n: values.length }
  }
  const { hourFrom: hf, hourTo: ht } = f
  if (hf !== undefined && ht !== undefined) {
    t.hour = hf <= ht
      ? { sql: 'local_hour BETWEEN ? AND ?', params: [hf, ht] }
      : { sql: '(local_hour >= ? OR local_hour <= ?)', params: [hf, ht] } // wraps past midnight
  } else if (hf !== undefined) t.hour = { sql: 'local_hour >= ?', params: [hf] }
  else if (ht !== undefined) t.hour = { sql: 'local_hour <= ?', params: [ht] }

  const area: Area = {}
  if (f.bbox) area.bbox = f.bbox
  if (f.place !== undefined) {
    const centre = db.prepare('SELECT lat, lon FROM places WHERE id = ?').get(f.place) as { lat: number; lon: number } | undefined
    if (!centre) throw new ApiError(400, 'invalid_request', 'place: no place with that id', 'place')
    if (f.radius === undefined) t.place = { sql: 'place_id = ?', params: [f.place] }
    else area.circle = { ...centre, radius: f.radius }
  }
  if (area.bbox || area.circle) t.area = { ...areaTerm(area), shape: area, areaKm2: areaKm2(area) }
  return t
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000)
}
