import { z } from 'zod'
import { IsoWeek, PrioritiesBody, PrioritiesQuery, WeeklyPriority, localParts } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { currentUser } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'
import { prioritiesFor, setPriorities } from '../services/priorities.ts'
import { defineRoute, errors, json, router } from './define.ts'

const WeekPriorities = z.object({ isoWeek: z.string(), priority: WeeklyPriority.nullable() })

/** The weekly meeting's decisions: admins record them; desk roles read them (reporters get them through the pull). */
export function priorityRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute(['analyst', 'reviewer', 'admin'], {
    method: 'get', path: '/priorities', tags: ['priorities'], summary: "A week's priorities (default: this week in the municipality's zone)",
    request: { query: PrioritiesQuery },
    responses: { 200: json(WeekPriorities, 'The week and its decision, or null when none was recorded'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const isoWeek = c.req.valid('query').week ?? localParts(deps.now(), deps.config.timeZone).isoWeek
    return c.json({ isoWeek, priority: prioritiesFor(db, isoWeek) }, 200)
  })

  app.openapi(defineRoute(['admin'], {
    method: 'put', path: '/admin/priorities/{isoWeek}', tags: ['admin', 'priorities'], summary: "Record or replace a week's focus categories, hot-spots and notes",
    request: { params: z.object({ isoWeek: IsoWeek }), body: { content: { 'application/json': { schema: PrioritiesBody } }, required: true } },
    responses: { 200: json(WeeklyPriority, 'Recorded'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const { isoWeek } = c.req.valid('param')
    const user = currentUser(c)
    const body = c.req.valid('json')
    const priority = setPriorities(db, isoWeek, body, user.id, deps.now())
    audit(db, { actorId: user.id, action: 'priorities_set', target: isoWeek, detail: { focusCategories: body.focusCategories, hotSpots: body.hotSpots.length }, ip: clientAddress(c) }, deps.now())
    return c.json(priority, 200)
  })

  return app
}
