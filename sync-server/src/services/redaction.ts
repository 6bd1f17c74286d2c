import { DESCRIPTION_MAX, REDACTED, type RedactBody, type Report } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError, notFound } from '../http-error.ts'
import { audit } from './audit.ts'
import { mapStrings, withPrivacyRewrite } from './privacy-rewrite.ts'
import { getReportRow, rowFields, toReport, updateReport } from './reports.ts'
import { refuseOwn, type Reviewer } from './review.ts'

interface Ctx { db: Db; reviewer: Reviewer; timeZone: string; now: number }

/** Replaces every occurrence of each fragment (longest first, so a fragment inside another goes with it). */
function replacer(fragments: readonly string[]) {
  const ordered = [...new Set(fragments)].sort((a, b) => b.length - a.length)
  let count = 0
  const replace = (text: string) => {
    let out = text
    for (const f of ordered) {
      const parts = out.split(f)
      count += parts.length - 1
      out = parts.join(REDACTED)
    }
    return out
  }
  return { replace, count: () => count }
}

/**
 * Removes text from a report: its description and review note, every revision and every amendment (pending or
 * resolved) of it. The report gets a new version, so the reporter's phone pulls the redacted text; the revision
 * and the audit event record that a redaction happened and how many replacements, never the text.
 */
export function redact(ctx: Ctx, id: string, body: RedactBody): { report: Report; replacements: number } {
  const { db } = ctx
  return db.transaction(() => {
    const row = getReportRow(db, id)
    if (!row) throw notFound('the report')
    refuseOwn(row, ctx.reviewer.id)
    const r = replacer(body.fragments)
    const description = r.replace(row.description)
    const note = row.review_note === null ? null : r.replace(row.review_note)
    if (description.length > DESCRIPTION_MAX) throw new ApiError(400, 'invalid_request', `fragments: the redacted description would be longer than ${DESCRIPTION_MAX} characters`, 'fragments')
    withPrivacyRewrite(db, 'redaction', () => {
      rewriteJson(db, 'revisions', id, r.replace)
      rewriteJson(db, 'pending_amendments', id, r.replace)
    })
    const replacements = r.count()
    if (replacements === 0) throw new ApiError(400, 'invalid_request', 'fragments: none of them occurs in this report, its history or its amendments', 'fragments')
    if (note !== row.review_note) db.prepare('UPDATE reports SET review_note = ? WHERE id = ?').run(note, id)
    const version = updateReport(db, row, { fields: { ...rowFields(row), description } },
      { authorId: ctx.reviewer.id, kind: 'redaction', changes: { redacted: { replacements } } }, ctx.timeZone, ctx.now)
    audit(db, { actorId: ctx.reviewer.id, action: 'report_redacted', target: id, detail: { version, fragments: body.fragments.length, replacements }, ip: ctx.reviewer.ip }, ctx.now)
    return { report: toReport(getReportRow(db, id)!), replacements }
  }).immediate()
}

function rewriteJson(db: Db, table: 'revisions' | 'pending_amendments', reportId: string, replace: (s: string) => string): void {
  const update = db.prepare(`UPDATE ${table} SET changes = ? WHERE id = ?`)
  for (const { id, changes } of db.prepare(`SELECT id, changes FROM ${table} WHERE report_id = ?`).all(reportId) as Array<{ id: number; changes: string }>) {
    const next = JSON.stringify(mapStrings(JSON.parse(changes), replace))
    if (next !== changes) update.run(next, id)
  }
}
