import { z } from 'zod'
import { IsoWeek, PrioritiesBody, PrioritiesQuery, PriorityVersions, WeekPriorities, WeeklyPriority, localParts } from '@lagesbild/domain'
import type { Context } from 'hono'
import type { AppEnv, Deps } from '../env.ts'
import { currentUser } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'
import { prioritiesFor, priorityVersions, setPriorities } from '../services/priorities.ts'
import { defineRoute, errors, json, router } from './define.ts'

const READERS = ['analyst', 'reviewer', 'admin'] as const
const WeekParam = z.object({ isoWeek: IsoWeek })

/** The weekly meeting's decisions: reviewers and admins record them; desk roles read them (reporters get them through the pull). */
export function priorityRoutes(deps: Deps) {
  const app = router()
  const { db } = deps
  const tz = deps.config.timeZone

  app.openapi(defineRoute(READERS, {
    method: 'get', path: '/priorities', tags: ['priorities'], summary: "A week's priorities (default: this week in the municipality's zone)",
    request: { query: PrioritiesQuery },
    responses: { 200: json(WeekPriorities, 'The week and its decision, or null when none was recorded'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const isoWeek = c.req.valid('query').week ?? localParts(deps.now(), tz).isoWeek
    return c.json({ isoWeek, priority: prioritiesFor(db, isoWeek, tz, deps.now()) }, 200)
  })

  app.openapi(defineRoute(READERS, {
    method: 'get', path: '/priorities/{isoWeek}/versions', tags: ['priorities'], summary: "Every version of a week's decision, newest first",
    request: { params: WeekParam },
    responses: { 200: json(PriorityVersions, 'The versions (empty when nothing was decided)'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const { isoWeek } = c.req.valid('param')
    return c.json({ isoWeek, versions: priorityVersions(db, isoWeek) }, 200)
  })

  /** One handler for both paths: a new version, locked once the week has started except for an admin's late correction. */
  const record = (c: Context<AppEnv>, isoWeek: string, body: PrioritiesBody) => {
    const user = currentUser(c)
    const now = deps.now()
    const { priority, late } = setPriorities(db, isoWeek, body, { id: user.id, isAdmin: user.roles.includes('admin') }, tz, now)
    audit(db, {
      actorId: user.id, action: late ? 'priorities_corrected_late' : 'priorities_set', target: isoWeek,
      detail: { version: priority.version, focusCategories: body.focusCategories, hotSpots: body.hotSpots.length }, ip: clientAddress(c),
    }, now)
    return priority
  }
  const putRoute = (path: string, access: readonly ('reviewer' | 'admin')[], summary: string) => defineRoute(access, {
    method: 'put', path, tags: ['priorities'], summary,
    request: { params: WeekParam, body: { content: { 'application/json': { schema: PrioritiesBody } }, required: true } },
    responses: {
      200: json(WeeklyPriority, 'Recorded as a new version'), 400: errors[400], 401: errors[401], 403: errors[403],
      409: json(errors[409].content['application/json'].schema, 'decision_locked (the week has started; only an admin may correct it) or version_conflict (baseVersion is not the latest)'),
    },
  })

  app.openapi(putRoute('/priorities/{isoWeek}', ['reviewer', 'admin'], "Record a new version of a week's decision: focus categories, hot-spots, notes"),
    c => c.json(record(c, c.req.valid('param').isoWeek, c.req.valid('json')), 200))

  app.openapi(putRoute('/admin/priorities/{isoWeek}', ['admin'], "Record a new version of a week's decision (the administration page)"),
    c => c.json(record(c, c.req.valid('param').isoWeek, c.req.valid('json')), 200))

  return app
}
