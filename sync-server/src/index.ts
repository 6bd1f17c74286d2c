import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { ConfigError, configFromEnv, type Config } from './config.ts'
import { prepare } from './server.ts'
import { createLogger } from './services/logger.ts'
import { startRetentionSchedule } from './services/retention/schedule.ts'

/** How long SIGTERM waits for requests in flight before closing their connections. */
const GRACE_MS = 10_000

let config: Config
try {
  config = configFromEnv()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(`Lägesbild cannot start: ${err.message}`)
  process.exit(1)
}
const log = createLogger(config.logLevel)
const { deps, db, firstAdmin } = await prepare(config, undefined, log)
const app = createApp(deps)
// Retention (services/retention): free text of old reports, and visits older than 6 months, checked daily.
const retention = startRetentionSchedule(db, Date.now, message => log.info(message))

const server = serve({ fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) }, info => {
  log.info({ port: info.port, publicOrigin: config.publicOrigin, dataDir: config.dataDir }, 'listening')
  console.log(`Lägesbild is running at ${config.publicOrigin} on port ${info.port} (data in ${config.dataDir})`)
  if (config.clockOffsetMs) console.warn(`TEST_CLOCK_OFFSET_DAYS: this server's clock runs ${config.clockOffsetMs / 86_400_000} days ahead (browser tests only)`)
  if (firstAdmin) {
    console.log('\nFirst start: an administrator was created. Sign in and choose a new password:')
    console.log(`  ${firstAdmin}\n`)
  }
}) as Server

/**
 * SIGTERM (systemd's stop) and SIGINT: stop accepting connections, let the requests in flight finish (a
 * push answers only after its COMMIT), close idle keep-alive connections, force the rest after GRACE_MS,
 * then fold the WAL into the database file and close it, and exit 0.
 */
let stopping = false
function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  retention.stop()
  log.info({ signal }, 'stopping: no new connections; finishing the requests in flight')
  const idle = setInterval(() => server.closeIdleConnections(), 50)
  const force = setTimeout(() => {
    log.warn({ graceMs: GRACE_MS }, 'requests still running after the grace period; closing their connections')
    server.closeAllConnections()
  }, GRACE_MS)
  server.close(() => {
    clearInterval(idle)
    clearTimeout(force)
    try {
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
    } catch (err) {
      log.error({ err }, 'closing the database failed')
      process.exit(1)
    }
    log.info('database checkpointed and closed; stopped')
    process.exit(0)
  })
  server.closeIdleConnections()
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
