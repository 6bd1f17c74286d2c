import type { OpResult } from '@lagesbild/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testServer, type TestServer } from '../../test/support.ts'
import { createOp, newDraft } from '../../test/sync-ops.ts'
import { inGroupCommit } from './push-group.ts'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
  s.db.exec('CREATE TABLE scratch (push TEXT NOT NULL)')
})
afterAll(() => s.close())

const rows = () => s.db.prepare('SELECT push FROM scratch ORDER BY push').pluck().all()
const applied = (name: string, fail = false) => () => {
  s.db.prepare('INSERT INTO scratch (push) VALUES (?)').run(name)
  if (fail) throw new Error(`${name} failed`)
  return [{ opId: name, status: 'applied' }] as OpResult[]
}

describe('group commit of pushes', () => {
  it('commits the pushes that arrive together in one transaction; a failing one is rolled back alone', async () => {
    let commits = 0
    const original = s.db.transaction.bind(s.db)
    // Count outermost transactions: the group's, not the savepoints nested in it.
    s.db.transaction = ((fn: (...a: unknown[]) => unknown) => { const t = original(fn); return ((...a: unknown[]) => { if (!s.db.inTransaction) commits++; return t(...a) }) as never }) as typeof s.db.transaction
    try {
      const answers = await Promise.allSettled([inGroupCommit(s.db, applied('a')), inGroupCommit(s.db, applied('b', true)), inGroupCommit(s.db, applied('c'))])
      expect(answers.map(a => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(rows()).toEqual(['a', 'c'])
      expect(commits).toBe(1)
    } finally {
      s.db.transaction = original
    }
  })

  it('answers only after the COMMIT: the rows are there when the promise settles', async () => {
    const done = inGroupCommit(s.db, applied('d'))
    expect(rows()).not.toContain('d') // not even started: the group runs on the next turn
    await done
    expect(s.db.inTransaction).toBe(false)
    expect(rows()).toContain('d')
  })

  it('keeps concurrent pushes over the API apart, each with its own results', async () => {
    const a = await s.signIn('vakt1', ['reporter']), b = await s.signIn('vakt2', ['reporter'])
    const opsA = [newDraft(), newDraft()].map(createOp), opsB = [newDraft()].map(createOp)
    const [ra, rb] = await Promise.all([
      s.request('POST', '/api/sync/push', { cookie: a.cookie, body: { schemaVersion: 2, ops: opsA } }),
      s.request('POST', '/api/sync/push', { cookie: b.cookie, body: { schemaVersion: 2, ops: opsB } }),
    ])
    expect(((await ra.json()) as { results: OpResult[] }).results.map((r: OpResult) => [r.opId, r.status])).toEqual(opsA.map(o => [o.opId, 'applied']))
    expect(((await rb.json()) as { results: OpResult[] }).results.map((r: OpResult) => [r.opId, r.status])).toEqual(opsB.map(o => [o.opId, 'applied']))
    const owners = s.db.prepare('SELECT reporter_id, count(*) AS n FROM reports GROUP BY reporter_id ORDER BY reporter_id').all()
    expect(owners).toEqual([{ reporter_id: a.userId, n: 2 }, { reporter_id: b.userId, n: 1 }])
  })
})
