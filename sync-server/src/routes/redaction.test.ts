import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REDACTED, type RedactResponse, type ReportDetail, type ReportDraft } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'
import { amendOp, createOp, newDraft, pullPage, pushApplied } from '../../test/sync-ops.ts'

type Session = { cookie: string; userId: number; organisationId: number }

// A valid Swedish personal identity number (Luhn), as a reporter might write it by mistake.
const PNR = '811218-9876'

let s: TestServer
let guard: Session
let reviewer: Session
let other: Session

beforeAll(async () => {
  s = await testServer()
  ;[guard, reviewer, other] = await Promise.all([
    s.signIn('vakt1', ['reporter'], 'Vaktbolaget'),
    s.signIn('granskare', ['reviewer'], 'Kommunen'),
    s.signIn('granskare2', ['reviewer'], 'Kommunen'),
  ])
})
afterAll(() => s.close())

const post = (who: Session, path: string, body: unknown) => s.request('POST', path, { cookie: who.cookie, body })
const everyRow = () => JSON.stringify(snapshot(s.db))
/** Every byte of every file in the data folder, after the WAL has been written back and truncated. */
function dataFolderBytes(): Buffer {
  s.db.pragma('wal_checkpoint(TRUNCATE)')
  return Buffer.concat(readdirSync(s.dir).map(f => readFileSync(join(s.dir, f))))
}

async function fileWithNumber(): Promise<ReportDraft> {
  const draft = newDraft({ category: 'vandalism', description: `Mannen uppgav ${PNR} och sprang mot stationen` })
  await pushApplied(s, guard.cookie, [createOp(draft)])
  // Amended twice before review: the number sits in the revisions' from/to as well.
  await pushApplied(s, guard.cookie, [amendOp({ ...draft, description: `Mannen (${PNR}) sprang mot stationen` }, 1)])
  await pushApplied(s, guard.cookie, [amendOp({ ...draft, description: 'Mannen sprang mot stationen' }, 2)])
  expect((await post(reviewer, `/api/reports/${draft.id}/review`, { decision: 'approve', baseVersion: 3, note: `Kontrollera ${PNR} med polisen` })).status).toBe(200)
  // After review, an amendment that waits for a reviewer, holding the number again.
  await pushApplied(s, guard.cookie, [amendOp({ ...draft, description: `Mannen sprang mot stationen, personnummer ${PNR}` }, 4)])
  return draft
}

describe('POST /api/reports/{id}/redact', () => {
  it('leaves no trace of a personal identity number: tables, history, amendments, audit, pull, exports and the files', async () => {
    const draft = await fileWithNumber()
    expect(everyRow()).toContain(PNR)
    expect(dataFolderBytes().includes(PNR)).toBe(true)
    const pendingBefore = s.db.prepare(`SELECT count(*) FROM pending_amendments WHERE report_id = ? AND state = 'pending'`).pluck().get(draft.id)
    expect(pendingBefore).toBe(1)

    const res = await post(reviewer, `/api/reports/${draft.id}/redact`, { fragments: [PNR] })
    expect(res.status).toBe(200)
    const body = await jsonOf<RedactResponse>(res)
    expect(body.report.version).toBe(5)
    expect(body.replacements).toBeGreaterThanOrEqual(6)

    // Every table, including any search index, and the audit log.
    expect(everyRow()).not.toContain(PNR)
    expect(everyRow()).toContain(REDACTED)
    const audit = s.db.prepare(`SELECT actor_id, target, detail FROM audit_events WHERE action = 'report_redacted'`).all() as Array<{ actor_id: number; target: string; detail: string }>
    expect(audit).toEqual([{ actor_id: reviewer.userId, target: draft.id, detail: JSON.stringify({ version: 5, fragments: 1, replacements: body.replacements }) }])
    // The amendment still waits, redacted.
    expect(s.db.prepare(`SELECT count(*) FROM pending_amendments WHERE report_id = ? AND state = 'pending'`).pluck().get(draft.id)).toBe(1)

    // The reporter's phone pulls the new version; their own view of the report and its history holds no trace.
    const pulled = (await pullPage(s, guard.cookie, 0, 1000)).changes.find(r => r.id === draft.id)!
    expect(pulled.version).toBe(5)
    expect(JSON.stringify(pulled)).not.toContain(PNR)
    const mine = await s.request('GET', `/api/reports/${draft.id}`, { cookie: guard.cookie })
    expect(await mine.text()).not.toContain(PNR)
    const desk = await jsonOf<ReportDetail>(await s.request('GET', `/api/reports/${draft.id}`, { cookie: other.cookie }))
    expect(JSON.stringify(desk)).not.toContain(PNR)
    expect(desk.history.at(-1)).toMatchObject({ kind: 'redaction', version: 5, changes: { redacted: { replacements: body.replacements } } })

    // The exports (a reviewer's carry the descriptions).
    for (const path of ['/api/export/reports.csv', '/api/export/reports.geojson']) {
      const exported = await s.request('GET', path, { cookie: reviewer.cookie })
      expect(exported.status).toBe(200)
      const text = await exported.text()
      expect(text).toContain(draft.id)
      expect(text).not.toContain(PNR)
    }

    // And not one byte in the data folder (secure_delete zeroes what was overwritten).
    expect(s.db.pragma('secure_delete', { simple: true })).toBe(1)
    expect(dataFolderBytes().includes(PNR)).toBe(false)
  })

  it('the append-only history stays append-only outside a redaction', () => {
    const id = s.db.prepare('SELECT id FROM revisions LIMIT 1').pluck().get() as number
    expect(() => s.db.prepare(`UPDATE revisions SET changes = '{}' WHERE id = ?`).run(id)).toThrow(/append-only/)
    expect(() => s.db.prepare('DELETE FROM revisions WHERE id = ?').run(id)).toThrow(/append-only/)
    expect(() => s.db.prepare(`UPDATE audit_events SET detail = '{}'`).run()).toThrow(/append-only/)
    // Even with the door open, only `changes` may change.
    expect(() => s.db.transaction(() => {
      s.db.prepare(`INSERT INTO privacy_rewrite (id, reason) VALUES (1, 'redaction')`).run()
      s.db.prepare('UPDATE revisions SET author_id = author_id + 1 WHERE id = ?').run(id)
    })()).toThrow(/append-only/)
    expect(s.db.prepare('SELECT count(*) FROM privacy_rewrite').pluck().get()).toBe(0)
  })

  it('refuses bad input, a fragment that is not there, their own report and a non-reviewer, changing nothing', async () => {
    const draft = newDraft({ description: 'Klotter på väggen vid 070-123 45 67' })
    await pushApplied(s, guard.cookie, [createOp(draft)])
    const deskReporter = await s.signIn('patrull', ['reporter', 'reviewer'], 'Kommunen')
    const own = newDraft({ description: 'Egen rapport 070-123 45 67' })
    await pushApplied(s, deskReporter.cookie, [createOp(own)])
    const before = snapshot(s.db)
    const cases: Array<[Session, string, unknown, number, string]> = [
      [reviewer, draft.id, { fragments: [] }, 400, 'fragments'],
      [reviewer, draft.id, { fragments: ['ab'] }, 400, 'fragments'],
      [reviewer, draft.id, { fragments: ['inte där'] }, 400, 'fragments'],
      [reviewer, draft.id, { fragment: '070-123 45 67' }, 400, 'fragment'],
      [deskReporter, own.id, { fragments: ['070-123 45 67'] }, 409, 'own'],
      [guard, draft.id, { fragments: ['070-123 45 67'] }, 403, 'reviewer'],
    ]
    for (const [who, id, body, status, word] of cases) {
      const res = await post(who, `/api/reports/${id}/redact`, body)
      expect(res.status, JSON.stringify(body)).toBe(status)
      expect((await jsonOf(res)).error.message).toContain(word)
    }
    expect((await post(reviewer, '/api/reports/018f0000-0000-7000-8000-000000000000/redact', { fragments: ['abc'] })).status).toBe(404)
    expect(snapshot(s.db)).toEqual(before)
  })
})
