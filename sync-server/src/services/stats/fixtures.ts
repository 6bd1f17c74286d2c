// Test fixtures for the summary: reports written through services/reports.ts (the server's own write path),
// then reviewed and merged by plain UPDATEs, and read back as plain rows for the tests' own computations.
import { DEMO_PLACES, localParts, uuidv7, type LocalParts, type ReportStatus } from '@lagesbild/domain'
import type { TestServer } from '../../../test/support.ts'
import { createRng, type Rng } from '../demo/prng.ts'
import { insertReport } from '../reports.ts'
import { localIso } from './local-format.ts'

export const TZ = 'Europe/Stockholm'
export const FIXTURE_CATEGORIES = ['gathering', 'drugs', 'vandalism', 'arson', 'littering'] as const

export interface FixtureRow {
  id: string
  category: string
  occurredAt: number
  lat: number
  lon: number
  placeId: number | null
  organisationId: number
  status: ReportStatus
  duplicateOf: string | null
  description: string
  local: LocalParts
}

export interface Fixture {
  rows: FixtureRow[]
  /** the rows the summary counts */
  counted: FixtureRow[]
  orgs: Array<{ id: number; name: string }>
}

export interface Spec { occurredAt: number; category?: string; lat?: number; lon?: number; placeId?: number | null; status?: ReportStatus; org?: number }

/** Inserts reports as the push does, then gives them their review outcome. Returns their ids in order. */
export function insertReports(s: TestServer, author: { userId: number; organisationId: number }, specs: Spec[], authors?: Array<{ userId: number; organisationId: number }>): string[] {
  const place = DEMO_PLACES[0]!
  return s.db.transaction(() => specs.map(spec => {
    const id = uuidv7(spec.occurredAt)
    const by = spec.org !== undefined && authors ? authors[spec.org]! : author
    insertReport(s.db, {
      id, category: spec.category ?? 'gathering', occurredAt: localIso(spec.occurredAt, TZ).iso,
      location: { lat: spec.lat ?? place.lat, lon: spec.lon ?? place.lon, source: 'gps' },
      ...(spec.placeId === null ? {} : { placeId: spec.placeId ?? place.id }),
      description: `Beskrivning ${id.slice(-4)}`, createdAt: new Date(spec.occurredAt).toISOString(),
    }, by, TZ, spec.occurredAt)
    s.db.prepare('UPDATE reports SET status = ? WHERE id = ?').run(spec.status ?? 'approved', id)
    return id
  }))()
}

/**
 * `n` random reports over 2026 and into 2027 (both summer-time changes and ISO week 53 included), at the demo
 * places or up to 700 m away, from three organisations; most approved, some not, some merged duplicates.
 */
export async function randomFixture(s: TestServer, seed: number, n: number): Promise<Fixture> {
  const rng = createRng(seed)
  const authors = await Promise.all(['Kommunen', 'Polisen', 'Vaktbolaget'].map((org, i) => s.signIn(`rep${seed}x${i}`, ['reporter'], org)))
  const specs: Spec[] = Array.from({ length: n }, () => {
    const place = rng.pick(DEMO_PLACES.slice(0, 12))
    const [lon, lat] = near(rng, place.lon, place.lat)
    return {
      occurredAt: randomInstant(rng), category: rng.pick(FIXTURE_CATEGORIES), lon, lat,
      placeId: rng() < 0.15 ? null : place.id, status: rng.pick(['approved', 'approved', 'approved', 'approved', 'submitted', 'rejected', 'needs_info'] as const),
      org: rng.int(3),
    }
  })
  const ids = insertReports(s, authors[0]!, specs, authors)
  // Merge a few approved reports into others, as a reviewer does.
  const approved = ids.filter((_, i) => specs[i]!.status === 'approved')
  for (let i = 0; i + 1 < approved.length; i += 9) {
    s.db.prepare('UPDATE reports SET duplicate_of = ? WHERE id = ?').run(approved[i]!, approved[i + 1]!)
  }
  return readFixture(s, authors.map((a, i) => ({ id: a.organisationId, name: ['Kommunen', 'Polisen', 'Vaktbolaget'][i]! })))
}

/** Every report as stored, with local parts computed here from the instant (not read from the local_* columns). */
export function readFixture(s: TestServer, orgs: Array<{ id: number; name: string }>): Fixture {
  const rows = (s.db.prepare(`SELECT id, category, occurred_at, lat, lon, place_id, organisation_id, status, duplicate_of, description FROM reports`).all() as
    Array<{ id: string; category: string; occurred_at: number; lat: number; lon: number; place_id: number | null; organisation_id: number; status: ReportStatus; duplicate_of: string | null; description: string }>)
    .map(r => ({
      id: r.id, category: r.category, occurredAt: r.occurred_at, lat: r.lat, lon: r.lon, placeId: r.place_id, organisationId: r.organisation_id,
      status: r.status, duplicateOf: r.duplicate_of, description: r.description, local: localParts(r.occurred_at, TZ),
    }))
  return { rows, counted: rows.filter(r => r.status === 'approved' && r.duplicateOf === null), orgs }
}

// Instants cluster around the interesting days so a few hundred rows still land on them.
const HOT_DAYS = ['2026-03-29', '2026-10-25', '2026-12-31', '2027-01-01', '2027-01-03', '2027-01-04', '2026-11-16', '2026-11-23']

function randomInstant(rng: Rng): number {
  if (rng() < 0.3) {
    const day = Date.parse(rng.pick(HOT_DAYS) + 'T00:00:00Z')
    return day - 2 * 3_600_000 + rng.int(28 * 60) * 60_000 // from 22:00 UTC the day before: local midnight falls inside
  }
  return Date.UTC(2026, 0, 1) + rng.int(400 * 24 * 60) * 60_000
}

function near(rng: Rng, lon: number, lat: number): [number, number] {
  const r = rng() * 700, a = rng() * 2 * Math.PI
  return [lon + (r * Math.cos(a)) / (111_195 * Math.cos(lat * Math.PI / 180)), lat + (r * Math.sin(a)) / 111_195]
}
