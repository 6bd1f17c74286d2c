import { z } from 'zod'
import type { Deps } from '../env.ts'
import { defineRoute, json, router } from './define.ts'

const Health = z.object({ status: z.literal('ok'), schemaVersion: z.number().int(), time: z.string() })

export function healthRoutes(deps: Deps) {
  const app = router()

  app.openapi(defineRoute('public', {
    method: 'get', path: '/health', tags: ['health'], summary: 'Liveness and database check',
    responses: { 200: json(Health, 'The server and its database answer') },
  }), c => {
    const schemaVersion = deps.db.pragma('user_version', { simple: true }) as number
    return c.json({ status: 'ok' as const, schemaVersion, time: new Date(deps.now()).toISOString() }, 200)
  })

  return app
}
