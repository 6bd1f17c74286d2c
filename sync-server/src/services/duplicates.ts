import { DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_MS, distanceM, type OrgKind, type RelatedReport } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import type { ReportRow } from './reports.ts'

const METRES_PER_DEGREE_LAT = 111_320

type RelatedRow = Pick<ReportRow, 'id' | 'category' | 'occurred_at' | 'occurred_at_text' | 'lat' | 'lon' | 'status' | 'version' | 'description' | 'duplicate_of' | 'organisation_id'> & {
  org_name: string
  org_kind: OrgKind
  place_name: string | null
}

const RELATED_COLUMNS = `r.id, r.category, r.occurred_at, r.occurred_at_text, r.lat, r.lon, r.status, r.version, r.description, r.duplicate_of,
  r.organisation_id, o.name AS org_name, o.kind AS org_kind, p.name AS place_name`
const RELATED_FROM = 'FROM reports r JOIN organisations o ON o.id = r.organisation_id LEFT JOIN places p ON p.id = r.place_id'

type Anchor = Pick<ReportRow, 'id' | 'category' | 'occurred_at' | 'lat' | 'lon' | 'duplicate_of'>

function toRelated(row: RelatedRow, anchor: Anchor): RelatedReport {
  return {
    id: row.id, category: row.category, occurredAt: row.occurred_at_text, status: row.status, version: row.version,
    description: row.description, duplicateOf: row.duplicate_of, placeName: row.place_name,
    organisation: { id: row.organisation_id, name: row.org_name, kind: row.org_kind },
    distanceM: Math.round(distanceM(anchor, row)),
    minutesApart: Math.round(Math.abs(row.occurred_at - anchor.occurred_at) / 60_000),
  }
}

/**
 * Reports that may describe the same event as `anchor`: same category, within DUPLICATE_RADIUS_M and
 * DUPLICATE_WINDOW_MS, still open or approved, and not yet part of an event. The index on
 * (category, occurred_at) and a bounding box narrow the search; the exact distance decides. A report
 * that is already linked to an event gets no suggestions: its primary carries them.
 */
export function findCandidates(db: Db, anchor: Anchor): RelatedReport[] {
  if (anchor.duplicate_of !== null) return []
  const dLat = DUPLICATE_RADIUS_M / METRES_PER_DEGREE_LAT
  const dLon = dLat / Math.max(0.01, Math.cos(anchor.lat * Math.PI / 180))
  const rows = db.prepare(`SELECT ${RELATED_COLUMNS} ${RELATED_FROM}
    WHERE r.category = ? AND r.occurred_at BETWEEN ? AND ?
      AND r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?
      AND r.id <> ? AND r.duplicate_of IS NULL AND r.status IN ('submitted', 'needs_info', 'approved')
    ORDER BY abs(r.occurred_at - ?) LIMIT 50`)
    .all(anchor.category, anchor.occurred_at - DUPLICATE_WINDOW_MS, anchor.occurred_at + DUPLICATE_WINDOW_MS,
      anchor.lat - dLat, anchor.lat + dLat, anchor.lon - dLon, anchor.lon + dLon, anchor.id, anchor.occurred_at) as RelatedRow[]
  return rows.map(r => toRelated(r, anchor)).filter(r => r.distanceM <= DUPLICATE_RADIUS_M)
}

/**
 * The other reports of the same event: for a primary, the reports linked to it; for a linked report,
 * its primary and the primary's other sources.
 */
export function findSources(db: Db, anchor: Anchor): RelatedReport[] {
  const primary = anchor.duplicate_of ?? anchor.id
  const rows = db.prepare(`SELECT ${RELATED_COLUMNS} ${RELATED_FROM}
    WHERE (r.duplicate_of = ? OR r.id = ?) AND r.id <> ? ORDER BY r.duplicate_of IS NOT NULL, r.occurred_at`)
    .all(primary, primary, anchor.id) as RelatedRow[]
  return rows.map(r => toRelated(r, anchor))
}

/** How many reports are linked to each of the given primaries. */
export function countSources(db: Db, ids: readonly string[]): Map<string, number> {
  if (ids.length === 0) return new Map()
  const rows = db.prepare(`SELECT duplicate_of AS id, count(*) AS n FROM reports WHERE duplicate_of IN (${ids.map(() => '?').join(', ')}) GROUP BY duplicate_of`)
    .all(...ids) as Array<{ id: string; n: number }>
  return new Map(rows.map(r => [r.id, r.n]))
}
