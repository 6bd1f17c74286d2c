import { z } from 'zod'
import {
  AmendmentDecisionBody, BulkApproveBody, BulkApproveResponse, Id, MergeBody, RedactBody, RedactResponse, ReportDetail, ReportQueue,
  ReportQueueQuery, ReviewBody, ReviewResponse, UnmergeBody, Uuid,
} from '@lagesbild/domain'
import type { Context } from 'hono'
import type { AppEnv, Deps } from '../env.ts'
import { notFound } from '../http-error.ts'
import { currentUser, hasAnyRole } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { clientAddress } from '../services/client-address.ts'
import { getReportRow } from '../services/reports.ts'
import { listQueue, reportDetail } from '../services/review-queue.ts'
import { redact } from '../services/redaction.ts'
import { bulkApprove, decide, merge, resolveAmendment, unmerge } from '../services/review.ts'
import { defineRoute, errors, json, router } from './define.ts'

/** The review desk: only reviewers see the queue and decide (an admin manages the system, not the reports). */
const DESK = ['reviewer'] as const
/** A report's details: a reviewer sees every report, a reporter only their own. */
const DETAIL = ['reporter', 'reviewer'] as const

const ReportParam = z.object({ id: Uuid })
const AmendmentParam = z.object({ id: Uuid, amendmentId: z.coerce.number().pipe(Id) })
const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })

export function reportRoutes(deps: Deps) {
  const app = router()
  const { db } = deps
  const ctx = (c: Context<AppEnv>) => ({ db, reviewer: { id: currentUser(c).id, ip: clientAddress(c) }, timeZone: deps.config.timeZone, now: deps.now() })

  app.openapi(defineRoute(DESK, {
    method: 'get', path: '/reports', tags: ['review'],
    summary: 'The review queue and search: oldest first, with the count matching and the count waiting',
    request: { query: ReportQueueQuery },
    responses: { 200: json(ReportQueue, 'A page of reports'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => c.json(listQueue(db, c.req.valid('query')), 200))

  app.openapi(defineRoute(DESK, {
    method: 'post', path: '/reports/bulk-approve', tags: ['review'],
    summary: 'Approve a selection, each item on its own baseVersion; one result per item',
    request: body(BulkApproveBody),
    responses: { 200: json(BulkApproveResponse, 'One result per item, in order'), 400: errors[400], 401: errors[401], 403: errors[403], 415: errors[415] },
  }), c => c.json({ results: bulkApprove(ctx(c), c.req.valid('json')) }, 200))

  app.openapi(defineRoute(DETAIL, {
    method: 'get', path: '/reports/{id}', tags: ['review'],
    summary: "A report with its history, organisation, sources, duplicate candidates and pending amendments; the view is audited",
    request: { params: ReportParam },
    responses: { 200: json(ReportDetail, 'The report'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
  }), c => {
    const user = currentUser(c)
    const isDesk = hasAnyRole(user, DESK)
    const row = getReportRow(db, c.req.valid('param').id)
    // Someone else's report answers exactly like a missing one, so ids cannot be probed.
    if (!row || (!isDesk && row.reporter_id !== user.id)) throw notFound('the report')
    const detail = reportDetail(db, row, { id: user.id, isDesk })
    // The candidates and sources shown beside it carry their own free text: their ids are recorded as seen too.
    const related = [...new Set([...detail.candidates, ...detail.sources].map(r => r.id))]
    audit(db, { actorId: user.id, action: 'report_viewed', target: row.id, detail: { version: row.version, ...(related.length ? { related } : {}) }, ip: clientAddress(c) }, deps.now())
    return c.json(detail, 200)
  })

  app.openapi(defineRoute(DESK, {
    method: 'post', path: '/reports/{id}/review', tags: ['review'],
    summary: 'Approve, reject (with a reason) or ask for more information, with corrections, on the version seen',
    request: { params: ReportParam, ...body(ReviewBody) },
    responses: { 200: json(ReviewResponse, 'The new version'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 415: errors[415] },
  }), c => c.json({ report: decide(ctx(c), c.req.valid('param').id, c.req.valid('json')) }, 200))

  app.openapi(defineRoute(DESK, {
    method: 'post', path: '/reports/{id}/merge', tags: ['review'],
    summary: 'Link other reports of the same event to this one: approved, counted once, every source kept',
    request: { params: ReportParam, ...body(MergeBody) },
    responses: { 200: json(ReviewResponse, 'The primary report'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 415: errors[415] },
  }), c => c.json({ report: merge(ctx(c), c.req.valid('param').id, c.req.valid('json')) }, 200))

  app.openapi(defineRoute(DESK, {
    method: 'post', path: '/reports/{id}/unmerge', tags: ['review'],
    summary: 'Undo a merge: this duplicate leaves its event and takes back the status it had before; audited',
    request: { params: ReportParam, ...body(UnmergeBody) },
    responses: { 200: json(ReviewResponse, 'The report, no longer linked'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 415: errors[415] },
  }), c => c.json({ report: unmerge(ctx(c), c.req.valid('param').id, c.req.valid('json')) }, 200))

  app.openapi(defineRoute(DESK, {
    method: 'post', path: '/reports/{id}/redact', tags: ['review'],
    summary: 'Replace each fragment by [borttaget] in the report, every revision and amendment of it; a new version; audited without the text',
    request: { params: ReportParam, ...body(RedactBody) },
    responses: { 200: json(RedactResponse, 'The redacted report and how many replacements were made'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 415: errors[415] },
  }), c => c.json(redact(ctx(c), c.req.valid('param').id, c.req.valid('json')), 200))

  app.openapi(defineRoute(DESK, {
    method: 'post', path: '/reports/{id}/amendments/{amendmentId}', tags: ['review'],
    summary: "Accept a reporter's amendment to a reviewed report (a new version) or dismiss it",
    request: { params: AmendmentParam, ...body(AmendmentDecisionBody) },
    responses: { 200: json(ReviewResponse, 'The report'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 415: errors[415] },
  }), c => {
    const { id, amendmentId } = c.req.valid('param')
    return c.json({ report: resolveAmendment(ctx(c), id, amendmentId, c.req.valid('json')) }, 200)
  })

  return app
}
