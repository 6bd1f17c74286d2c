import type { OrgKind, StatsByCategory, StatsByOrganisation, StatsFilter, StatsTotal } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { statsQuery, type Sql } from './filter.ts'

export function totalSql(db: Db, f: StatsFilter): Sql {
  const q = statsQuery(db, f, 'none')
  return { sql: `SELECT ${q.count} AS count FROM ${q.from} WHERE ${q.where}`, params: q.params }
}

export function total(db: Db, f: StatsFilter): StatsTotal {
  const q = totalSql(db, f)
  return { total: db.prepare(q.sql).pluck().get(...q.params) as number }
}

export function byCategorySql(db: Db, f: StatsFilter): Sql {
  const q = statsQuery(db, f, 'category')
  return { sql: `SELECT category, ${q.count} AS count FROM ${q.from} WHERE ${q.where} GROUP BY category HAVING count > 0`, params: q.params }
}

export function byCategory(db: Db, f: StatsFilter): StatsByCategory {
  const q = byCategorySql(db, f)
  const rows = db.prepare(q.sql).all(...q.params) as Array<{ category: string; count: number }>
  rows.sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
  return { total: sum(rows), rows }
}

export function byOrganisationSql(db: Db, f: StatsFilter): Sql {
  const q = statsQuery(db, f, 'organisation')
  return { sql: `SELECT organisation_id AS id, ${q.count} AS count FROM ${q.from} WHERE ${q.where} GROUP BY organisation_id HAVING count > 0`, params: q.params }
}

export function byOrganisation(db: Db, f: StatsFilter): StatsByOrganisation {
  const q = byOrganisationSql(db, f)
  const counts = db.prepare(q.sql).all(...q.params) as Array<{ id: number; count: number }>
  const orgs = new Map((db.prepare('SELECT id, name, kind FROM organisations').all() as Array<{ id: number; name: string; kind: OrgKind }>).map(o => [o.id, o]))
  const rows = counts.map(c => ({ organisationId: c.id, name: orgs.get(c.id)?.name ?? `#${c.id}`, kind: orgs.get(c.id)?.kind ?? 'other', count: c.count }))
  rows.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'sv'))
  return { total: sum(rows), rows }
}

export const sum = (rows: ReadonlyArray<{ count: number }>) => rows.reduce((s, r) => s + r.count, 0)
