import { z } from 'zod'
import { AuditExportQuery, RetentionRun, RetentionRunBody, RetentionSettings, localParts } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { currentUser } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { auditCsv } from '../services/audit-log.ts'
import { clientAddress } from '../services/client-address.ts'
import { runRetention } from '../services/retention/run.ts'
import { retentionMonths, setSetting } from '../services/settings.ts'
import { defineRoute, errors, json, router } from './define.ts'

const ADMIN = ['admin'] as const
const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })

/** The admin's privacy settings: the retention period, and running retention now. */
export function adminPrivacyRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute(ADMIN, {
    method: 'get', path: '/admin/settings/retention', tags: ['admin'], summary: 'How many months free text, people involved and exact positions are kept',
    responses: { 200: json(RetentionSettings, 'The retention period'), 401: errors[401], 403: errors[403] },
  }), c => c.json({ months: retentionMonths(db) }, 200))

  app.openapi(defineRoute(ADMIN, {
    method: 'put', path: '/admin/settings/retention', tags: ['admin'], summary: 'Change the retention period (audited); the next run applies it',
    request: body(RetentionSettings),
    responses: { 200: json(RetentionSettings, 'Changed'), 400: errors[400], 401: errors[401], 403: errors[403], 415: errors[415] },
  }), c => {
    const { months } = c.req.valid('json')
    db.transaction(() => {
      const from = setSetting(db, 'retention.months', String(months), currentUser(c).id, deps.now())
      audit(db, { actorId: currentUser(c).id, action: 'setting_changed', target: 'retention.months', detail: { from: Number(from), to: months }, ip: clientAddress(c) }, deps.now())
    }).immediate()
    return c.json({ months }, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/retention/run', tags: ['admin'], summary: 'Run retention now, or count what it would remove (dryRun); audited',
    request: body(RetentionRunBody),
    responses: { 200: json(RetentionRun, 'What was (or would be) removed, per step'), 400: errors[400], 401: errors[401], 403: errors[403], 415: errors[415] },
  }), c => c.json(runRetention(db, { now: deps.now(), dryRun: c.req.valid('json').dryRun, by: { actorId: currentUser(c).id, ip: clientAddress(c), via: 'api' } }), 200))

  app.openapi(defineRoute(ADMIN, {
    method: 'get', path: '/admin/audit.csv', tags: ['admin'],
    summary: 'The audit log as CSV, filtered by report, user, action and local days (e.g. who saw a report, when); the export is audited',
    request: { query: AuditExportQuery },
    responses: { 200: { description: 'CSV for Swedish Excel, oldest first', content: { 'text/csv': { schema: z.string() } } }, 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const query = c.req.valid('query')
    audit(db, { actorId: currentUser(c).id, action: 'audit_exported', target: query.report ?? null, detail: { filters: query }, ip: clientAddress(c) }, deps.now())
    return c.body(auditCsv(db, query, deps.config.timeZone), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="lagesbild-logg-${localParts(deps.now(), deps.config.timeZone).date}.csv"`,
    })
  })

  return app
}
