import { z } from 'zod'
import { GeoJsonExportQuery, StatsFilterQuery, localParts, statsFilterToQuery, type StatsFilter } from '@lagesbild/domain'
import type { Context } from 'hono'
import type { AppEnv, Deps } from '../env.ts'
import { currentUser, hasAnyRole } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'
import { createExportSlots, releasingStream } from '../services/export-slots.ts'
import { total } from '../services/stats/counts.ts'
import { csvExport } from '../services/stats/export-csv.ts'
import { geoJsonExport } from '../services/stats/export-geojson.ts'
import { defineRoute, errors, router } from './define.ts'
import { STATS_ROLES } from './stats.ts'

const RETRY_AFTER_S = 5
const download = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } })

export function exportRoutes(deps: Deps) {
  const app = router()
  const { db } = deps
  const tz = deps.config.timeZone
  const slots = createExportSlots()

  /** Runs an export in a slot, or answers 429 with Retry-After when the user or the server is at the cap. */
  function inSlot(c: Context<AppEnv>, make: () => Response): Response {
    const release = slots.acquire(currentUser(c).id)
    if (!release) {
      return c.json({ error: { code: 'export_busy', message: 'an export is already running (one per user, two in all); try again in a moment' } }, 429, { 'Retry-After': String(RETRY_AFTER_S) })
    }
    try {
      const res = make()
      return res.body ? new Response(releasingStream(res.body, release), res) : (release(), res)
    } catch (err) {
      release()
      throw err
    }
  }

  /** Exports are audited with their filter and row count, before the first byte leaves. */
  function prepareExport(c: Context<AppEnv>, f: StatsFilter, file: string, extra: Record<string, unknown> = {}) {
    const user = currentUser(c)
    const rows = total(db, f).total
    audit(db, { actorId: user.id, action: 'export', target: file, detail: { filters: statsFilterToQuery(f), rows, ...extra }, ip: clientAddress(c) }, deps.now())
    const name = `lagesbild-${localParts(deps.now(), tz).date}`
    return { withDescription: hasAnyRole(user, ['reviewer']), name, rows }
  }

  app.openapi(defineRoute(STATS_ROLES, {
    method: 'get', path: '/export/reports.csv', tags: ['export'],
    summary: 'The matching reports as CSV for Swedish Excel (UTF-8 with BOM, semicolons, CRLF, local times)',
    request: { query: StatsFilterQuery },
    responses: { 200: download('text/csv', 'CSV, one row per incident'), 400: errors[400], 401: errors[401], 403: errors[403], 429: errors[429] },
  }), c => inSlot(c, () => {
    const f = c.req.valid('query')
    const { withDescription, name, rows } = prepareExport(c, f, 'reports.csv')
    return c.body(csvExport(db, f, withDescription, tz), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}.csv"`,
      'x-total-count': String(rows),
    })
  }))

  app.openapi(defineRoute(STATS_ROLES, {
    method: 'get', path: '/export/reports.geojson', tags: ['export'],
    summary: 'The matching reports as a GeoJSON FeatureCollection in WGS 84 or SWEREF 99 TM',
    request: { query: GeoJsonExportQuery },
    responses: { 200: download('application/geo+json', 'GeoJSON, one Point feature per incident'), 400: errors[400], 401: errors[401], 403: errors[403], 429: errors[429] },
  }), c => inSlot(c, () => {
    const { crs, ...f } = c.req.valid('query')
    const { withDescription, name, rows } = prepareExport(c, f, 'reports.geojson', { crs })
    return c.body(geoJsonExport(db, f, crs, withDescription, tz), 200, {
      'content-type': 'application/geo+json; charset=utf-8',
      'content-disposition': `attachment; filename="${name}${crs === 'EPSG:3006' ? '-sweref99tm' : ''}.geojson"`,
      'x-total-count': String(rows),
    })
  }))

  return app
}
