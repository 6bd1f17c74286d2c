import { statfsSync } from 'node:fs'
import { z } from 'zod'
import type { Deps } from '../env.ts'
import { loadMigrations } from '../db/migrate.ts'
import { defineRoute, json, router } from './define.ts'

const Health = z.object({ status: z.literal('ok'), schemaVersion: z.number().int(), time: z.string() })
const Live = z.object({ status: z.literal('ok') })
const Check = z.object({ ok: z.boolean(), detail: z.string() })
const Ready = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ database: Check, migrations: Check, disk: Check }),
})

export function healthRoutes(deps: Deps) {
  const app = router()
  const latest = loadMigrations().at(-1)?.version ?? 0

  app.openapi(defineRoute('public', {
    method: 'get', path: '/health', tags: ['health'], summary: 'The server and its database answer (kept for existing monitors; see /health/live and /health/ready)',
    responses: { 200: json(Health, 'The server and its database answer') },
  }), c => {
    const schemaVersion = deps.db.pragma('user_version', { simple: true }) as number
    return c.json({ status: 'ok' as const, schemaVersion, time: new Date(deps.now()).toISOString() }, 200)
  })

  app.openapi(defineRoute('public', {
    method: 'get', path: '/health/live', tags: ['health'], summary: 'Liveness: the process answers (restart it if not)',
    responses: { 200: json(Live, 'The process answers') },
  }), c => c.json({ status: 'ok' as const }, 200))

  app.openapi(defineRoute('public', {
    method: 'get', path: '/health/ready', tags: ['health'], summary: 'Readiness: the database answers, its migrations are current and the disk has room',
    responses: { 200: json(Ready, 'Ready for traffic'), 503: json(Ready, 'Not ready; the failing check says why') },
  }), c => {
    const database = (() => {
      try {
        deps.db.prepare('SELECT 1').get()
        return { ok: true, detail: 'answers' }
      } catch (err) {
        return { ok: false, detail: `does not answer: ${(err as Error).message}` }
      }
    })()
    const migrations = (() => {
      if (!database.ok) return { ok: false, detail: 'unknown' }
      const version = deps.db.pragma('user_version', { simple: true }) as number
      return version === latest
        ? { ok: true, detail: `schema ${version}` }
        : { ok: false, detail: `schema ${version}, this code expects ${latest}` }
    })()
    const disk = (() => {
      try {
        const fs = statfsSync(deps.config.dataDir)
        const free = fs.bavail * fs.bsize
        const mb = (n: number) => `${Math.floor(n / 1024 / 1024)} MB`
        return free >= deps.config.minFreeDiskBytes
          ? { ok: true, detail: `${mb(free)} free` }
          : { ok: false, detail: `${mb(free)} free, less than the ${mb(deps.config.minFreeDiskBytes)} required (MIN_FREE_DISK_MB)` }
      } catch (err) {
        return { ok: false, detail: `cannot read the data folder's disk: ${(err as Error).message}` }
      }
    })()
    const ok = database.ok && migrations.ok && disk.ok
    return c.json({ status: ok ? 'ok' as const : 'unavailable' as const, checks: { database, migrations, disk } }, ok ? 200 : 503)
  })

  return app
}
