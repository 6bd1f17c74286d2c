import { OpenAPIHono } from '@hono/zod-openapi'
import { allowedOrigins } from './config.ts'
import type { AppEnv, Deps } from './env.ts'
import { ApiError } from './http-error.ts'
import { apiGuard } from './middleware/api-guard.ts'
import { auditDenials } from './middleware/audit-denials.ts'
import { bodyLimit } from './middleware/body-limit.ts'
import { compress } from './middleware/compress.ts'
import { errorHandler } from './middleware/error-handler.ts'
import { requestEncoding } from './middleware/request-encoding.ts'
import { requestLog } from './middleware/request-log.ts'
import { securityHeaders } from './middleware/security-headers.ts'
import { session } from './middleware/session.ts'
import { adminRoutes } from './routes/admin.ts'
import { priorityRoutes } from './routes/priorities.ts'
import { followupRoutes } from './routes/followup.ts'
import { authRoutes } from './routes/auth.ts'
import { passkeyRoutes } from './routes/passkeys.ts'
import { healthRoutes } from './routes/health.ts'
import { metricsRoutes } from './routes/metrics.ts'
import { referenceRoutes } from './routes/reference.ts'
import { reportRoutes } from './routes/reports.ts'
import { exportRoutes } from './routes/export.ts'
import { statsRoutes } from './routes/stats.ts'
import { syncRoutes } from './routes/sync.ts'
import { clientAddressMiddleware } from './services/client-address.ts'
import { mountPwa } from './static.ts'

const MAX_BODY_BYTES = 2 * 1024 * 1024

/** One sub-app per area, each mounted under /api. */
const AREAS = [healthRoutes, metricsRoutes, authRoutes, passkeyRoutes, adminRoutes, priorityRoutes, followupRoutes, referenceRoutes, syncRoutes, reportRoutes, statsRoutes, exportRoutes]

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  app.onError(errorHandler)
  app.use('*', requestLog(deps.log))
  app.use('*', clientAddressMiddleware(deps.config))
  app.use('*', securityHeaders(deps.config.tileUrl))
  app.use('/api/*', compress())
  app.use('/api/*', auditDenials(deps))
  app.use('/api/*', apiGuard(allowedOrigins(deps.config)))
  app.use('/api/*', requestEncoding({ maxBytes: MAX_BODY_BYTES }))
  app.use('/api/*', bodyLimit(MAX_BODY_BYTES))
  app.use('/api/*', session(deps))

  for (const area of AREAS) app.route('/api', area(deps))

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Lägesbild API', version: '1.0.0', description: 'Incident reporting for EST. Each operation lists who may call it under x-access.' },
  })
  app.all('/api/*', () => { throw new ApiError(404, 'not_found', 'no such API route') })

  if (deps.config.staticDir) mountPwa(app, deps.config.staticDir)
  return app
}
export type App = ReturnType<typeof createApp>
