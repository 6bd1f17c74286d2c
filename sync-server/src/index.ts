import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { configFromEnv } from './config.ts'
import { prepare } from './server.ts'
import { startVisitExpiry } from './services/visits.ts'

const config = configFromEnv()
const { deps, db, firstAdmin } = await prepare(config)
const app = createApp(deps)
// Visits (staff movement data) older than 6 months go, checked at start and daily.
startVisitExpiry(db)

const server = serve({ fetch: app.fetch, port: config.port }, info => {
  console.log(`Lägesbild is running at http://localhost:${info.port} (data in ${config.dataDir})`)
  if (firstAdmin) {
    console.log('\nFirst start: an administrator was created. Sign in and choose a new password:')
    console.log(`  ${firstAdmin}\n`)
  }
})

function shutdown() {
  server.close(() => {
    db.close()
    process.exit(0)
  })
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
