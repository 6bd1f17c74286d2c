import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localParts } from '@lagesbild/domain'
import { testServer, type TestServer } from '../../../test/support.ts'
import { createRng } from '../demo/prng.ts'
import { TZ, randomFixture } from './fixtures.ts'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
  await randomFixture(s, 23, 300)
})
afterAll(() => s.close())

/** The rollups as the triggers keep them, without empty groups, against a count over the reports now. */
function rollupsMatchReports() {
  const counted = `FROM reports WHERE status = 'approved' AND duplicate_of IS NULL`
  expect(s.db.prepare('SELECT local_date, local_hour, category, organisation_id, local_weekday, n FROM stats_hourly WHERE n <> 0 ORDER BY 1, 2, 3, 4').all())
    .toEqual(s.db.prepare(`SELECT local_date, local_hour, category, organisation_id, local_weekday, count(*) AS n ${counted} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`).all())
  expect(s.db.prepare('SELECT local_date, category, place_id, organisation_id, local_weekday, n FROM stats_daily_place WHERE n <> 0 ORDER BY 1, 2, 3, 4').all())
    .toEqual(s.db.prepare(`SELECT local_date, category, coalesce(place_id, 0) AS place_id, organisation_id, local_weekday, count(*) AS n ${counted} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`).all())
  expect(s.db.prepare('SELECT grid_cell, category, organisation_id, place_id, n FROM stats_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4').all())
    .toEqual(s.db.prepare(`SELECT grid_cell, category, organisation_id, coalesce(place_id, 0) AS place_id, count(*) AS n ${counted} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`).all())
  expect(s.db.prepare('SELECT grid_cell, local_date, local_weekday, n FROM stats_cells_daily WHERE n <> 0 ORDER BY 1, 2').all())
    .toEqual(s.db.prepare(`SELECT grid_cell, local_date, local_weekday, count(*) AS n ${counted} GROUP BY 1, 2 ORDER BY 1, 2`).all())
  expect(s.db.prepare('SELECT grid_cell, organisation_id, local_weekday, local_hour, n FROM stats_cells_weekly WHERE n <> 0 ORDER BY 1, 2, 3, 4').all())
    .toEqual(s.db.prepare(`SELECT grid_cell, organisation_id, local_weekday, local_hour, count(*) AS n ${counted} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`).all())
  expect(s.db.prepare('SELECT place_id, category, organisation_id, local_weekday, local_hour, n FROM stats_place_weekly WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5').all())
    .toEqual(s.db.prepare(`SELECT coalesce(place_id, 0) AS place_id, category, organisation_id, local_weekday, local_hour, count(*) AS n ${counted} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`).all())
  for (const table of ['stats_hourly', 'stats_daily_place', 'stats_place_weekly', 'stats_cells', 'stats_cells_daily', 'stats_cells_weekly']) expect(s.db.prepare(`SELECT count(*) FROM ${table} WHERE n < 0`).pluck().get()).toBe(0)
}

describe('the rollups', () => {
  it('follow every way a report starts, stops or moves counting', () => {
    rollupsMatchReports()
    const rng = createRng(99)
    const ids = s.db.prepare('SELECT id FROM reports').pluck().all() as string[]
    const orgs = s.db.prepare('SELECT id FROM organisations').pluck().all() as number[]
    for (let i = 0; i < 400; i++) {
      const id = rng.pick(ids)
      const roll = rng.int(8)
      if (roll === 0) s.db.prepare('UPDATE reports SET status = ? WHERE id = ?').run(rng.pick(['approved', 'rejected', 'needs_info', 'withdrawn']), id)
      else if (roll === 1) s.db.prepare('UPDATE reports SET duplicate_of = ? WHERE id = ? AND id <> ?').run(rng() < 0.5 ? null : rng.pick(ids), id, ids[0]!)
      else if (roll === 2) s.db.prepare('UPDATE reports SET category = ? WHERE id = ?').run(rng.pick(['drugs', 'arson', 'theft']), id)
      else if (roll === 3) s.db.prepare('UPDATE reports SET place_id = ? WHERE id = ?').run(rng() < 0.3 ? null : 1 + rng.int(20), id)
      else if (roll === 4) s.db.prepare('UPDATE reports SET organisation_id = ? WHERE id = ?').run(rng.pick(orgs), id)
      else if (roll === 5) {
        const at = Date.UTC(2026, 0, 1) + rng.int(365 * 24) * 3_600_000, l = localParts(at, TZ)
        s.db.prepare('UPDATE reports SET occurred_at = ?, local_date = ?, local_hour = ?, local_weekday = ?, iso_week = ? WHERE id = ?').run(at, l.date, l.hour, l.weekday, l.isoWeek, id)
      } else if (roll === 6) s.db.prepare('UPDATE reports SET lon = lon + ?, lat = lat + ? WHERE id = ?').run((rng() - 0.5) * 0.01, (rng() - 0.5) * 0.01, id)
      else s.db.prepare('UPDATE reports SET seq = seq + 1, description = ? WHERE id = ?').run('changed', id)
    }
    rollupsMatchReports()
    s.db.pragma('foreign_keys = OFF')
    s.db.prepare('DELETE FROM reports WHERE rowid % 5 = 0').run()
    s.db.pragma('foreign_keys = ON')
    rollupsMatchReports()
  })
})
