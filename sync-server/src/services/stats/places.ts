import type { GridCell, PlaceCount, StatsByPlace, StatsFilter, StatsGrid, StatsHotspots } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { GRID_BASE_M, GRID_ROWS, gridCell } from './grid.ts'
import { sum } from './counts.ts'
import { statsQuery, type Sql } from './filter.ts'

interface PlaceRow { id: number; name: string; kind: 'place' | 'area'; lat: number; lon: number }

export function byPlaceSql(db: Db, f: StatsFilter): Sql {
  const q = statsQuery(db, f, 'place')
  return { sql: `SELECT place_id AS id, ${q.count} AS count FROM ${q.from} WHERE ${q.where} GROUP BY place_id HAVING count > 0`, params: q.params }
}

export function byPlace(db: Db, f: StatsFilter): StatsByPlace {
  const q = byPlaceSql(db, f)
  return placeCounts(db, db.prepare(q.sql).all(...q.params) as Array<{ id: number | null; count: number }>)
}

/** Named places with their counts, most first; the rest (no place, or 0 in a rollup) is `unplaced`. */
function placeCounts(db: Db, counts: ReadonlyArray<{ id: number | null; count: number }>): StatsByPlace {
  const places = new Map((db.prepare('SELECT id, name, kind, lat, lon FROM places').all() as PlaceRow[]).map(p => [p.id, p]))
  const rows: PlaceCount[] = []
  let unplaced = 0
  for (const c of counts) {
    const p = c.id === null ? undefined : places.get(c.id)
    if (p) rows.push({ placeId: p.id, name: p.name, kind: p.kind, lat: p.lat, lon: p.lon, count: c.count })
    else unplaced += c.count
  }
  rows.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'sv'))
  return { total: sum(rows) + unplaced, unplaced, rows }
}

/** Non-empty cells of `cellM` metres, most first. Grouped by the indexed base cell, then folded into the size asked. */
export function gridSql(db: Db, f: StatsFilter): Sql {
  const q = statsQuery(db, f, 'grid')
  return { sql: `SELECT grid_cell, ${q.count} AS count FROM ${q.from} WHERE ${q.where} GROUP BY grid_cell HAVING count > 0`, params: q.params }
}

export function grid(db: Db, f: StatsFilter, cellM: number): StatsGrid {
  const q = gridSql(db, f)
  return { cellM, cells: foldCells(db.prepare(q.sql).raw().all(...q.params) as Array<[number, number]>, cellM) }
}

/**
 * The places and the cells with the most incidents. When either can come from a rollup, each has its own query;
 * otherwise both come from one pass over the reports' grid index, which keeps each cell's places together.
 */
export function hotspots(db: Db, f: StatsFilter, cellM: number, limit: number): StatsHotspots {
  const q = statsQuery(db, f, 'grid')
  if (q.source !== 'reports' || statsQuery(db, f, 'place').source !== 'reports') {
    return { cellM, places: byPlace(db, f).rows.slice(0, limit), cells: grid(db, f, cellM).cells.slice(0, limit) }
  }
  const rows = db.prepare(`SELECT grid_cell, place_id, count(*) FROM ${q.from} WHERE ${q.where} GROUP BY grid_cell, place_id`)
    .raw().all(...q.params) as Array<[number, number | null, number]>
  const perPlace = new Map<number, number>()
  for (const [, placeId, count] of rows) if (placeId !== null) perPlace.set(placeId, (perPlace.get(placeId) ?? 0) + count)
  return {
    cellM,
    places: placeCounts(db, [...perPlace].map(([id, count]) => ({ id, count }))).rows.slice(0, limit),
    cells: foldCells(rows.map(([cell, , count]) => [cell, count] as [number, number]), cellM).slice(0, limit),
  }
}

/** Base-cell counts folded into cells of `cellM` metres, most first. */
function foldCells(base: ReadonlyArray<[number, number]>, cellM: number): GridCell[] {
  const k = cellM / GRID_BASE_M
  const cells = new Map<string, { x: number; y: number; count: number }>()
  for (const [cell, count] of base) {
    const x = Math.floor(Math.floor(cell / GRID_ROWS) / k), y = Math.floor((cell % GRID_ROWS) / k), key = `${x}:${y}`
    const c = cells.get(key)
    if (c) c.count += count
    else cells.set(key, { x, y, count })
  }
  return [...cells.values()].sort((a, b) => b.count - a.count || a.x - b.x || a.y - b.y).map(c => gridCell(c.x, c.y, cellM, c.count))
}
