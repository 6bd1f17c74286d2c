import type { ZodObject, ZodType } from 'zod'
import {
  ChangeQuery, GridQuery, HotspotsQuery, PointsQuery, ReportPageQuery, StatsByCategory, StatsByOrganisation, StatsByPlace,
  StatsChange, StatsFilterQuery, StatsGrid, StatsHotspots, StatsPoints, StatsReportPage, StatsTotal, StatsTrend, StatsWeekdayHour,
  TrendQuery, WeeklyQuery, WeeklyStats,
} from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { currentUser, hasAnyRole } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'
import { change, changePeriod } from '../services/stats/change.ts'
import { byCategory, byOrganisation, total } from '../services/stats/counts.ts'
import { endWeekOf } from '../services/stats/weeks.ts'
import { points, reportPage } from '../services/stats/listing.ts'
import { byPlace, grid, hotspots } from '../services/stats/places.ts'
import { trend, weekdayHour } from '../services/stats/time.ts'
import { lastCompleteWeek, weekly } from '../services/stats/weekly.ts'
import { defineRoute, errors, json, router } from './define.ts'

/** Who sees the summary: the meeting (analysts) and the safety unit. */
export const STATS_ROLES = ['analyst', 'reviewer', 'admin'] as const

const statsRoute = <Q extends ZodObject, R extends ZodType>(path: string, summary: string, query: Q, response: R) =>
  defineRoute(STATS_ROLES, {
    method: 'get', path, tags: ['stats'], summary, request: { query },
    responses: { 200: json(response, summary), 400: errors[400], 401: errors[401], 403: errors[403] },
  })

export function statsRoutes(deps: Deps) {
  const app = router()
  const { db } = deps
  const tz = deps.config.timeZone

  app.openapi(statsRoute('/stats/total', 'Number of incidents matching the filter', StatsFilterQuery, StatsTotal),
    c => c.json(total(db, c.req.valid('query')), 200))

  app.openapi(statsRoute('/stats/categories', 'Incidents per category, most first', StatsFilterQuery, StatsByCategory),
    c => c.json(byCategory(db, c.req.valid('query')), 200))

  app.openapi(statsRoute('/stats/organisations', 'Incidents per reporting organisation, most first', StatsFilterQuery, StatsByOrganisation),
    c => c.json(byOrganisation(db, c.req.valid('query')), 200))

  app.openapi(statsRoute('/stats/trend', 'Incidents per ISO week, ending with the filtered period', TrendQuery, StatsTrend), c => {
    const { weeks, ...f } = c.req.valid('query')
    return c.json(trend(db, f, endWeekOf(f, deps.now(), tz), weeks), 200)
  })

  app.openapi(statsRoute('/stats/weekday-hour', 'Incidents per local weekday and hour', StatsFilterQuery, StatsWeekdayHour),
    c => c.json(weekdayHour(db, c.req.valid('query')), 200))

  app.openapi(statsRoute('/stats/places', 'Incidents per named place, most first', StatsFilterQuery, StatsByPlace),
    c => c.json(byPlace(db, c.req.valid('query')), 200))

  app.openapi(statsRoute('/stats/grid', 'Incidents per map grid cell, most first', GridQuery, StatsGrid), c => {
    const { cell, ...f } = c.req.valid('query')
    return c.json(grid(db, f, cell), 200)
  })

  app.openapi(statsRoute('/stats/hotspots', 'The places and grid cells with the most incidents', HotspotsQuery, StatsHotspots), c => {
    const { cell, limit, ...f } = c.req.valid('query')
    return c.json(hotspots(db, f, cell, limit), 200)
  })

  app.openapi(statsRoute('/stats/change', 'Each category × place in a week against its baseline weeks', ChangeQuery, StatsChange), c => {
    const { baseline, ...f } = c.req.valid('query')
    const now = deps.now()
    return c.json(change(db, f, changePeriod(endWeekOf(f, now, tz), baseline, now, tz)), 200)
  })

  app.openapi(statsRoute('/stats/reports', 'A page of the matching reports, newest first', ReportPageQuery, StatsReportPage), c => {
    const { page, pageSize, ...f } = c.req.valid('query')
    const user = currentUser(c)
    const withDescription = hasAnyRole(user, ['reviewer'])
    const answer = reportPage(db, f, page, pageSize, withDescription, tz)
    // Free text in a list is a view of each report: the ids shown are recorded, so "who saw this report" is complete.
    if (withDescription && answer.rows.length) {
      audit(db, { actorId: user.id, action: 'reports_listed', target: null, detail: { reports: answer.rows.map(r => r.id) }, ip: clientAddress(c) }, deps.now())
    }
    return c.json(answer, 200)
  })

  app.openapi(statsRoute('/stats/points', 'Positions of the matching reports for the map', PointsQuery, StatsPoints), c => {
    const { limit, ...f } = c.req.valid('query')
    return c.json(points(db, f, limit), 200)
  })

  app.openapi(statsRoute('/stats/weekly', 'The weekly report of one ISO week', WeeklyQuery, WeeklyStats), c => {
    const { cell, ...f } = c.req.valid('query')
    const now = deps.now()
    return c.json(weekly(db, f, f.week ?? lastCompleteWeek(now, tz), cell, now, tz), 200)
  })

  return app
}
