import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { withDb } from './database'
import { forgetOtherUsers, forgetUser, saveDraft, saveNewReport } from './reports'

const fields = {
  category: 'graffiti',
  occurredAt: '2026-11-25T21:00:00+01:00',
  location: { lat: 56.0459, lon: 12.6937, source: 'place' as const },
  description: 'Tags',
}

describe('signing out of a shared phone', () => {
  it("removes the user's synced reports, draft, reference data and sync state, and keeps what is unsent", async () => {
    const sent = await saveNewReport(41, fields)
    const unsent = await saveNewReport(41, { ...fields, description: 'Not sent yet' })
    const someoneElses = await saveNewReport(42, fields)
    await withDb(async db => {
      await db.outbox.where('reportId').equals(sent.id).delete() // the server has it
      await db.reference.put({ ownerId: 41, categories: [], places: [], priorities: [], updatedAt: 1 })
    })
    await saveDraft(41, null, { description: 'half written' })

    await forgetUser(41)

    const left = await withDb(async db => ({
      reports: (await db.reports.toArray()).map(r => r.id).sort(),
      outbox: (await db.outbox.toArray()).map(o => `${o.ownerId}:${o.reportId}`).sort(),
      draft: await db.drafts.get(41), reference: await db.reference.get(41), meta: await db.meta.get(41),
    }))
    expect(left.reports).toEqual([unsent.id, someoneElses.id].sort())
    expect(left.outbox).toEqual([`41:${unsent.id}`, `42:${someoneElses.id}`].sort())
    expect([left.draft, left.reference, left.meta]).toEqual([undefined, undefined, undefined])
  })
})

describe('another user signing in', () => {
  it("clears what an earlier user left synced on the phone, keeping that user's unsent reports", async () => {
    const sent = await saveNewReport(51, fields)
    const unsent = await saveNewReport(51, { ...fields, description: 'Not sent yet' })
    await withDb(db => db.outbox.where('reportId').equals(sent.id).delete())
    await forgetOtherUsers(52)
    const ids = await withDb(db => db.reports.where('ownerId').equals(51).primaryKeys())
    expect(ids).toEqual([unsent.id])
  })
})
