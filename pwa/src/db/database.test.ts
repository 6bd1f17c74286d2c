import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { database, withDb } from './database'
import { saveNewReport } from './reports'

const fields = {
  category: 'graffiti',
  occurredAt: '2026-11-25T21:00:00+01:00',
  location: { lat: 56.0459, lon: 12.6937, source: 'place' as const },
  placeId: 1,
  description: 'Tags',
}

describe('the device store', () => {
  it('writes a report and its outbox entry together', async () => {
    const report = await saveNewReport(7, fields)
    const outbox = await withDb(db => db.outbox.where('reportId').equals(report.id).toArray())
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ kind: 'create', ownerId: 7, state: 'pending', report: { id: report.id, description: 'Tags' } })
  })

  it('reopens when the browser closed the database under it, and nothing is lost', async () => {
    const report = await saveNewReport(7, fields)
    database().close()
    const again = await withDb(db => db.reports.get(report.id))
    expect(again?.description).toBe('Tags')
    expect(await withDb(db => db.outbox.where('ownerId').equals(7).count())).toBeGreaterThanOrEqual(2)
  })
})
