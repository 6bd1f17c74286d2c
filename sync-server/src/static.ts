import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Hono } from 'hono'
import type { AppEnv } from './env.ts'
import { serveStatic } from '@hono/node-server/serve-static'

/**
 * Serves the built PWA: hashed assets are immutable, the service worker and the HTML are always
 * revalidated (so an update is seen), and any other path that is not /api gets index.html (client routing).
 */
export function mountPwa(app: Hono<AppEnv>, staticDir: string): void {
  const index = join(staticDir, 'index.html')
  if (!existsSync(index)) return
  const root = relative(process.cwd(), staticDir) || '.'
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable')
  })
  app.use('*', async (c, next) => {
    await next()
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache')
  })
  app.get('*', serveStatic({ root }))
  app.get('*', c => {
    if (c.req.path.startsWith('/api/')) return c.notFound()
    return c.html(readFileSync(index, 'utf8'))
  })
}
