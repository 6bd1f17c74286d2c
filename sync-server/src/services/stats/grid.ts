import type { GridCell } from '@lagesbild/domain'

/**
 * The map grid: fixed in lon/lat so a cell's key never changes. Base cells are 50 m north–south and 50 m
 * east–west at 58° N (mid-Sweden: within ±6 % between Malmö and Umeå); a cell of 250 m is 5 × 5 base cells.
 * Migration 003 computes the base cell of each report with these same numbers (reports.grid_cell).
 */
// Great-circle metres per degree of latitude on the sphere geo.ts uses (R = 6,371,008.8 m).
export const M_PER_DEG = (Math.PI / 180) * 6_371_008.8
export const GRID_BASE_M = 50
export const GRID_REF_LAT = 58
export const GRID_DLAT = GRID_BASE_M / M_PER_DEG
export const GRID_DLON = GRID_DLAT / Math.cos(GRID_REF_LAT * Math.PI / 180)

/** reports.grid_cell is column × GRID_ROWS + row. */
export const GRID_ROWS = 1_048_576

/** The base cell of a position [column, row], as migration 003's generated column computes it. */
export function baseCell(lon: number, lat: number): [number, number] {
  return [Math.trunc((lon + 180) / GRID_DLON), Math.trunc((lat + 90) / GRID_DLAT)]
}

/** A cell of `cellM` metres (a multiple of the base) from its column and row. */
export function gridCell(x: number, y: number, cellM: number, count: number): GridCell {
  const k = cellM / GRID_BASE_M
  const minLon = x * k * GRID_DLON - 180, minLat = y * k * GRID_DLAT - 90
  const maxLon = (x + 1) * k * GRID_DLON - 180, maxLat = (y + 1) * k * GRID_DLAT - 90
  return {
    key: `${x}:${y}`, count,
    centre: [round((minLon + maxLon) / 2), round((minLat + maxLat) / 2)],
    bounds: [round(minLon), round(minLat), round(maxLon), round(maxLat)],
  }
}

const round = (n: number) => Math.round(n * 1e7) / 1e7

/** The cell size retention rounds exact positions to (DESIGN: the 250 m grid the summary shows). */
export const RETENTION_CELL_M = 250

/**
 * The centre of the `cellM` cell a position lies in. A rounded position stays in the same cell of every grid whose
 * cells are a multiple of `cellM`, and sits in the middle of a base cell, never on an edge.
 */
export function roundToGrid(lon: number, lat: number, cellM = RETENTION_CELL_M): { lon: number; lat: number } {
  const k = cellM / GRID_BASE_M
  const [x, y] = baseCell(lon, lat)
  const cx = Math.floor(x / k), cy = Math.floor(y / k)
  return { lon: (cx * k + k / 2) * GRID_DLON - 180, lat: (cy * k + k / 2) * GRID_DLAT - 90 }
}
