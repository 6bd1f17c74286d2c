import { z } from 'zod'
import type { Deps } from '../env.ts'
import { METRICS_CONTENT_TYPE, metricsText } from '../services/metrics.ts'
import { defineRoute, errors, router } from './define.ts'

export function metricsRoutes(deps: Deps) {
  const app = router()

  app.openapi(defineRoute({ roles: ['admin'], orAddressIn: 'METRICS_ALLOW' }, {
    method: 'get', path: '/metrics', tags: ['health'],
    summary: 'Prometheus metrics: requests and latency per route, push ops by outcome, review queue, database and WAL size, event-loop lag',
    responses: {
      200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
      401: errors[401], 403: errors[403],
    },
  }), async c => {
    const text = await metricsText(deps.db)
    return c.text(text, 200, { 'Content-Type': METRICS_CONTENT_TYPE })
  })

  return app
}
