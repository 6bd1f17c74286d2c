import { z } from 'zod'
import { ActionOp, MAX_OPS_PER_PUSH, PullQuery, PullResponse, PushBody, PushResponse, SyncOp, VisitOp } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { currentUser } from '../middleware/access.ts'
import { countPushOutcomes } from '../services/metrics.ts'
import { applyPush } from '../services/push.ts'
import { inGroupCommit } from '../services/push-group.ts'
import { pull } from '../services/pull.ts'
import { defineRoute, errors, json, router } from './define.ts'

const FIELD_ROLES = ['reporter', 'reviewer'] as const

const OP_SCHEMAS = { ReportOp: SyncOp, ActionOp, VisitOp } as const

// Each op is validated on its own by the push (a bad op is rejected alone), so the body takes any items; the
// document still lists every op kind as a union on `kind`.
const DocumentedPushBody = PushBody.extend({
  ops: z.array(z.unknown().meta({
    description: 'One op; an op that fails its schema is answered `rejected` with the reason, the others still apply.',
    oneOf: Object.keys(OP_SCHEMAS).map(name => ({ $ref: `#/components/schemas/${name}` })),
    discriminator: { propertyName: 'kind' },
  } as Record<string, unknown>)).max(MAX_OPS_PER_PUSH),
})

export function syncRoutes(deps: Deps) {
  const app = router()
  for (const [name, schema] of Object.entries(OP_SCHEMAS)) {
    const { $schema: _, ...component } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
    app.openAPIRegistry.registerComponent('schemas', name, component as Record<string, unknown>)
  }

  app.openapi(defineRoute(FIELD_ROLES, {
    method: 'post', path: '/sync/push', tags: ['sync'],
    summary: 'Push outbox ops; one result per op, answered only after COMMIT',
    request: { body: { content: { 'application/json': { schema: DocumentedPushBody } }, required: true } },
    responses: { 200: json(PushResponse, 'One result per op, in order'), 400: errors[400], 401: errors[401], 403: errors[403], 415: errors[415] },
  }), async c => {
    const { schemaVersion, ops } = c.req.valid('json')
    const user = currentUser(c), now = deps.now()
    const results = await inGroupCommit(deps.db, () => applyPush(deps.db, user, schemaVersion, ops, deps.config.timeZone, now))
    countPushOutcomes(results)
    return c.json({ results }, 200)
  })

  app.openapi(defineRoute(FIELD_ROLES, {
    method: 'get', path: '/sync/pull', tags: ['sync'],
    summary: "The caller's own report changes after the cursor, and reference data when it changed",
    request: { query: PullQuery },
    responses: { 200: json(PullResponse, 'A page of changes'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const { cursor, limit } = c.req.valid('query')
    return c.json(pull(deps.db, currentUser(c), cursor, limit, deps.config.timeZone, deps.now()), 200)
  })

  return app
}
