import type { StatsFilter, StatsPoint, StatsPoints, StatsReportPage, StatsReportRow } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { total } from './counts.ts'
import { statsQuery, type Sql } from './filter.ts'
import { localIso } from './local-format.ts'

/** A matching report as the table and the exports show it. */
export interface ListedReport {
  id: string
  category: string
  occurred_at: number
  local_date: string
  local_weekday: number
  local_hour: number
  iso_week: string
  place_id: number | null
  place_name: string | null
  organisation_id: number
  organisation_name: string
  lat: number
  lon: number
  description: string
}

/**
 * The matching reports, newest first. The inner query reads only an index and the rows it keeps; the names are
 * joined to the page, not to every candidate. Ordered by local day first, which the chosen index delivers,
 * so SQLite sorts one day at a time.
 */
export function listSql(db: Db, f: StatsFilter, page?: { limit: number; offset: number }): Sql {
  const q = statsQuery(db, f, 'newest')
  const limit = page ? ' LIMIT ? OFFSET ?' : ''
  return {
    sql: `SELECT r.id, r.category, r.occurred_at, r.local_date, r.local_weekday, r.local_hour, r.iso_week, r.place_id, p.name AS place_name,
                 r.organisation_id, o.name AS organisation_name, r.lat, r.lon, r.description
          FROM (SELECT rowid AS rid FROM ${q.from} WHERE ${q.where} ORDER BY local_date DESC, occurred_at DESC, id DESC${limit}) k
          JOIN reports r ON r.rowid = k.rid
          LEFT JOIN places p ON p.id = r.place_id
          JOIN organisations o ON o.id = r.organisation_id
          ORDER BY r.local_date DESC, r.occurred_at DESC, r.id DESC`,
    params: page ? [...q.params, page.limit, page.offset] : q.params,
  }
}

export function reportPage(db: Db, f: StatsFilter, page: number, pageSize: number, withDescription: boolean, timeZone: string): StatsReportPage {
  const q = listSql(db, f, { limit: pageSize, offset: (page - 1) * pageSize })
  const rows = (db.prepare(q.sql).all(...q.params) as ListedReport[]).map(r => toRow(r, withDescription, timeZone))
  return { total: total(db, f).total, page, pageSize, rows }
}

export function toRow(r: ListedReport, withDescription: boolean, timeZone: string): StatsReportRow {
  const local = localIso(r.occurred_at, timeZone)
  return {
    id: r.id, category: r.category, occurredAt: local.iso, localDate: r.local_date, localTime: local.time,
    weekday: r.local_weekday, isoWeek: r.iso_week, placeId: r.place_id, placeName: r.place_name,
    organisationId: r.organisation_id, organisationName: r.organisation_name, lat: r.lat, lon: r.lon,
    ...(withDescription ? { description: r.description } : {}),
  }
}

/** Positions of the matching reports, newest days first, at most `limit`. */
export function pointsSql(db: Db, f: StatsFilter, limit: number): Sql {
  const q = statsQuery(db, f, 'newest')
  return { sql: `SELECT lon, lat, category, id FROM ${q.from} WHERE ${q.where} ORDER BY local_date DESC LIMIT ?`, params: [...q.params, limit] }
}

export function points(db: Db, f: StatsFilter, limit: number): StatsPoints {
  const q = pointsSql(db, f, limit)
  const pts = db.prepare(q.sql).raw().all(...q.params) as StatsPoint[]
  const count = pts.length < limit ? pts.length : total(db, f).total
  return { total: count, truncated: count > pts.length, points: pts }
}
