import { Followup, FollowupQuery, VisitSummary, VisitsQuery } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { followup } from '../services/followup.ts'
import { visitSummary } from '../services/visits.ts'
import { defineRoute, errors, json, router } from './define.ts'

const DESK = ['analyst', 'reviewer', 'admin'] as const

/** What came of a week's decision: incidents at its hot-spots against their baseline and the city, visits, actions. */
export function followupRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute(DESK, {
    method: 'get', path: '/followup', tags: ['priorities'],
    summary: "Follow-up of a week's hot-spots: counted incidents W−8 … W+2 with the rest of the city, baseline, visits, action",
    request: { query: FollowupQuery },
    responses: { 200: json(Followup, 'Per hot-spot of the decision, in its order (none when nothing was decided)'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const { week, category } = c.req.valid('query')
    return c.json(followup(db, week, category, deps.config.timeZone, deps.now()), 200)
  })

  app.openapi(defineRoute(DESK, {
    method: 'get', path: '/visits', tags: ['priorities'],
    summary: 'Visits logged at a week\'s hot-spots, per organisation and local hour of the day (aggregated only)',
    request: { query: VisitsQuery },
    responses: { 200: json(VisitSummary, 'Per hot-spot that had visits'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => c.json(visitSummary(db, c.req.valid('query').week, deps.config.timeZone), 200))

  return app
}
