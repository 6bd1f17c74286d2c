import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_MS, uuidv7, type ReportDraft } from '@lagesbild/domain'
import { testServer, type TestServer } from '../../test/support.ts'
import { createOrganisation, createUser } from './accounts.ts'
import { countSources, findCandidates, findSources } from './duplicates.ts'
import { getReportRow, insertReport, updateReport, type Author } from './reports.ts'

const METRES_PER_DEGREE = 6_371_008.8 * Math.PI / 180
const ORIGIN = { lat: 56.0459, lon: 12.6937 }
const T0 = Date.parse('2026-11-20T21:00:00+01:00')

let s: TestServer
let guard: Author
let police: Author
beforeAll(async () => {
  s = await testServer()
  const add = async (name: string, kind: 'security' | 'police') => {
    const org = createOrganisation(s.db, { name, kind })
    const { user } = await createUser(s.db, { username: name.toLowerCase(), organisationId: org.id, roles: ['reporter'], password: 'a long test password' })
    return { userId: user.id, organisationId: org.id }
  }
  guard = await add('Vakt', 'security')
  police = await add('Polis', 'police')
})
afterAll(() => s.close())

/** Inserts a report `northM` metres north of the origin, `minutes` after T0. */
function report(author: Author, { northM = 0, minutes = 0, category = 'disorder' } = {}): string {
  const draft: ReportDraft = {
    id: uuidv7(), category, occurredAt: new Date(T0 + minutes * 60_000).toISOString(),
    location: { lat: ORIGIN.lat + northM / METRES_PER_DEGREE, lon: ORIGIN.lon, source: 'gps' },
    description: '', createdAt: new Date(T0).toISOString(),
  }
  insertReport(s.db, draft, author, 'Europe/Stockholm', Date.now())
  return draft.id
}
const candidatesOf = (id: string) => findCandidates(s.db, getReportRow(s.db, id)!).map(c => c.id)

describe('duplicate candidates', () => {
  it('are the same category within the radius and the time window, inclusive', () => {
    const anchor = report(guard, { category: 'robbery' })
    const inside = report(police, { category: 'robbery', northM: DUPLICATE_RADIUS_M - 2, minutes: DUPLICATE_WINDOW_MS / 60_000 })
    const tooFar = report(police, { category: 'robbery', northM: DUPLICATE_RADIUS_M + 2 })
    const tooLate = report(police, { category: 'robbery', minutes: DUPLICATE_WINDOW_MS / 60_000 + 1 })
    const tooEarly = report(police, { category: 'robbery', minutes: -(DUPLICATE_WINDOW_MS / 60_000 + 1) })
    const otherCategory = report(police, { category: 'theft' })
    const ids = candidatesOf(anchor)
    expect(ids).toEqual([inside])
    for (const id of [tooFar, tooLate, tooEarly, otherCategory]) expect(ids).not.toContain(id)
    expect(findCandidates(s.db, getReportRow(s.db, anchor)!)[0]).toMatchObject({ distanceM: DUPLICATE_RADIUS_M - 2, minutesApart: 120, organisation: { name: 'Polis' } })
  })

  it('leave out rejected, withdrawn and already linked reports, and a linked report gets none', () => {
    const anchor = report(guard, { category: 'arson' })
    const rejected = report(police, { category: 'arson', minutes: 5 })
    const withdrawn = report(police, { category: 'arson', minutes: 6 })
    const primary = report(police, { category: 'arson', minutes: 7 })
    const linked = report(guard, { category: 'arson', minutes: 8 })
    const reviewer = guard.userId
    updateReport(s.db, getReportRow(s.db, rejected)!, { status: 'rejected', review: { by: reviewer, note: 'nej' } }, { authorId: reviewer, kind: 'review', changes: {} }, 'Europe/Stockholm', Date.now())
    updateReport(s.db, getReportRow(s.db, withdrawn)!, { status: 'withdrawn' }, { authorId: police.userId, kind: 'withdraw', changes: {} }, 'Europe/Stockholm', Date.now())
    updateReport(s.db, getReportRow(s.db, linked)!, { status: 'approved', duplicateOf: primary }, { authorId: reviewer, kind: 'merge', changes: {} }, 'Europe/Stockholm', Date.now())
    expect(candidatesOf(anchor)).toEqual([primary])
    expect(candidatesOf(linked)).toEqual([])
    expect(findSources(s.db, getReportRow(s.db, primary)!).map(r => r.id)).toEqual([linked])
    expect(findSources(s.db, getReportRow(s.db, linked)!).map(r => r.id)).toEqual([primary])
    expect(countSources(s.db, [primary, anchor])).toEqual(new Map([[primary, 1]]))
  })
})
