import { localParts, type VisitSummary } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'

// Visits are staff movement data: counted per organisation and hot-spot, shown only aggregated, kept 6 months.

export const DEFAULT_VISIT_RETENTION_MONTHS = 6
/** The settings key (table `settings`, migration 004) an admin may set to keep visits longer or shorter. */
export const VISIT_RETENTION_KEY = 'retention.visitMonths'

/** The configured retention of visits in months (1–120), else 6. Read on every pull page (the phone's cutoff), so cached. */
export function visitRetentionMonths(db: Db): number {
  const value = cached(db, 'SELECT value FROM settings WHERE key = ?', { pluck: true }).get(VISIT_RETENTION_KEY) as string | undefined
  const months = Number(value)
  return value !== undefined && Number.isInteger(months) && months >= 1 && months <= 120 ? months : DEFAULT_VISIT_RETENTION_MONTHS
}

/** The instant `months` calendar months before `now` (UTC calendar; a day either way does not matter here). */
export function monthsBefore(now: number, months: number): number {
  const d = new Date(now)
  d.setUTCMonth(d.getUTCMonth() - months)
  return d.getTime()
}

/**
 * Deletes the visits older than the retention period, and the push log's records of visit ops of that age.
 * Returns how many visits went. The retention runner (services/retention) calls this daily.
 */
export function expireVisits(db: Db, now: number, months = visitRetentionMonths(db)): number {
  const cutoff = monthsBefore(now, months)
  return db.transaction(() => {
    const gone = db.prepare('DELETE FROM visits WHERE at_hour < ?').run(cutoff).changes
    db.prepare(`DELETE FROM sync_ops WHERE kind = 'visit' AND at < ?`).run(cutoff)
    return gone
  })()
}

/** Visits per hot-spot and organisation in a week. */
export function visitCounts(db: Db, isoWeek: string): Map<number, Array<{ organisationId: number; visits: number }>> {
  const rows = db.prepare('SELECT hot_spot, organisation_id, count(*) AS n FROM visits WHERE iso_week = ? GROUP BY hot_spot, organisation_id ORDER BY hot_spot, organisation_id')
    .all(isoWeek) as Array<{ hot_spot: number; organisation_id: number; n: number }>
  const out = new Map<number, Array<{ organisationId: number; visits: number }>>()
  for (const r of rows) out.set(r.hot_spot, [...(out.get(r.hot_spot) ?? []), { organisationId: r.organisation_id, visits: r.n }])
  return out
}

/** A week's visits per hot-spot and organisation, with the local hours of the day they fell in. */
export function visitSummary(db: Db, isoWeek: string, timeZone: string): VisitSummary {
  const rows = db.prepare('SELECT hot_spot, organisation_id, at_hour, count(*) AS n FROM visits WHERE iso_week = ? GROUP BY hot_spot, organisation_id, at_hour ORDER BY hot_spot, organisation_id')
    .all(isoWeek) as Array<{ hot_spot: number; organisation_id: number; at_hour: number; n: number }>
  const spots = new Map<number, Map<number, { visits: number; hours: number[] }>>()
  for (const r of rows) {
    const orgs = spots.get(r.hot_spot) ?? new Map<number, { visits: number; hours: number[] }>()
    spots.set(r.hot_spot, orgs)
    const org = orgs.get(r.organisation_id) ?? { visits: 0, hours: new Array<number>(24).fill(0) }
    orgs.set(r.organisation_id, org)
    org.visits += r.n
    org.hours[localParts(r.at_hour, timeZone).hour]! += r.n
  }
  return {
    week: isoWeek,
    hotSpots: [...spots.entries()].map(([index, orgs]) => {
      const organisations = [...orgs.entries()].map(([organisationId, o]) => ({ organisationId, ...o }))
      return { index, visits: organisations.reduce((s, o) => s + o.visits, 0), organisations }
    }),
  }
}
