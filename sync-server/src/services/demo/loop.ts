import { instantOfLocal } from '@lagesbild/domain/local-time'
import { localParts, type HotSpotInput, type PlaceGeometry } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { createPlace } from '../place-admin.ts'
import { nextSeq } from '../seq.ts'
import { COUNTED } from '../stats/filter.ts'
import { addDays, weekRange, weeksEndingWith } from '../stats/weeks.ts'
import { monthsBefore, visitRetentionMonths } from '../visits.ts'
import { DEMO_ORGS, PLACE_TRAITS, type OrgKey } from './model.ts'
import { createRng, type Rng } from './prng.ts'

// A year of the EST loop on top of the demo reports: each week's meeting decides the next week's focus and
// hot-spots from what the week before showed, the organisations mark their actions, and patrols log visits.

const DAY = 86_400_000

/** Hot-spot areas drawn round the busiest parts of the demo city (polygons, WGS 84). */
const DEMO_AREAS: ReadonlyArray<{ name: string; ring: Array<[number, number]> }> = [
  { name: 'Södergatan, kvarteren runt', ring: [[12.6972, 56.0378], [12.7032, 56.0376], [12.7036, 56.0406], [12.6996, 56.0412], [12.6970, 56.0400], [12.6972, 56.0378]] },
  { name: 'Drottninghög centrum', ring: [[12.7330, 56.0552], [12.7408, 56.0550], [12.7412, 56.0588], [12.7334, 56.0590], [12.7330, 56.0552]] },
  { name: 'Knutpunkten–Sundstorget', ring: [[12.6905, 56.0412], [12.6955, 56.0414], [12.6958, 56.0446], [12.6908, 56.0444], [12.6905, 56.0412]] },
]

const ACTIONS: Record<string, string[]> = {
  drugs: ['Riktade kontroller kvällstid', 'Gemensam rond polis och väktare fre–lör', 'Kameraövervakning ses över'],
  disorder: ['Extra rundor fre–lör 22–03', 'Synlig närvaro vid stängning', 'Dialog med krögarna'],
  gathering: ['Fältassistenter på plats kvällstid', 'Extra rundor helgkvällar', 'Belysningen ses över'],
  vandalism: ['Klotter saneras inom 24 timmar', 'Extra tillsyn nattetid', 'Trasiga bänkar lagas'],
  littering: ['Extra städning måndag morgon', 'Fler papperskorgar utplacerade', 'Tömning även på söndag'],
  arson: ['Containrar flyttas in nattetid', 'Extra rundor i soprum', 'Brandskyddsgenomgång med fastighetsägaren'],
  default: ['Extra rundor kvällstid', 'Synlig närvaro', 'Tillsyn och rapport till nästa möte'],
}
const COMMENTS_DONE = ['Genomfört enligt plan.', 'Tre extra rundor, lugnt.', 'Gjort, fortsätter nästa vecka.', 'Klart.']
const COMMENTS_NOT = ['Personalbrist, flyttat till nästa vecka.', 'Ingen bil ledig.', 'Hann inte, prioriterat larm.']

export interface LoopContext {
  timeZone: string
  now: number
  seed: number
  orgIds: Record<OrgKey, number>
  reporterIds: Record<OrgKey, number[]>
  reviewerId: number
  adminId: number
}

/**
 * Writes the decisions (with their versions, a few of them corrected late), the actions' states and history,
 * and the visits of the last months (within the visit retention). Call inside the demo's transaction, after
 * the reports. Returns what it made.
 */
export function writeLoop(db: Db, c: LoopContext): { decisions: number; areas: number; actions: number; visits: number } {
  const rng = createRng(c.seed ^ 0x5eed)
  const areaIds = DEMO_AREAS.map(a => createPlace(db, { name: a.name, kind: 'area', geometry: { type: 'Polygon', coordinates: [a.ring] } as PlaceGeometry }).id)
  const current = localParts(c.now, c.timeZone).isoWeek
  const next = localParts(c.now + 7 * DAY, c.timeZone).isoWeek
  const weeks = weeksEndingWith(next, 52)
  const orgKeyOf = new Map(Object.entries(c.orgIds).map(([k, id]) => [id, k as OrgKey]))
  const visitCutoff = monthsBefore(c.now, visitRetentionMonths(db))

  const placeCounts = db.prepare(`SELECT place_id AS id, count(*) AS n FROM reports WHERE ${COUNTED} AND iso_week = ? AND place_id IS NOT NULL GROUP BY place_id ORDER BY n DESC, place_id LIMIT 3`)
  const categoryCounts = db.prepare(`SELECT category, count(*) AS n FROM reports WHERE ${COUNTED} AND iso_week = ? GROUP BY category ORDER BY n DESC, category LIMIT 3`)
  const topCategoryAt = db.prepare(`SELECT category FROM reports WHERE ${COUNTED} AND iso_week = ? AND place_id = ? GROUP BY category ORDER BY count(*) DESC, category LIMIT 1`).pluck()
  const topOrgAt = db.prepare(`SELECT organisation_id FROM reports WHERE ${COUNTED} AND iso_week = ? AND place_id = ? GROUP BY organisation_id ORDER BY count(*) DESC, organisation_id LIMIT 1`).pluck()
  const saveDecision = db.prepare(`INSERT INTO weekly_priorities (iso_week, focus_categories, hot_spots, notes, decided_at, decided_by, seq, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                                   ON CONFLICT (iso_week) DO UPDATE SET focus_categories = excluded.focus_categories, hot_spots = excluded.hot_spots, notes = excluded.notes,
                                     decided_at = excluded.decided_at, decided_by = excluded.decided_by, seq = excluded.seq, version = excluded.version`)
  const saveVersion = db.prepare('INSERT INTO priority_versions (iso_week, version, focus_categories, hot_spots, notes, decided_at, decided_by, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const saveAction = db.prepare('INSERT INTO hot_spot_actions (iso_week, hot_spot, status, comment, updated_at, updated_by, seq) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const saveHistory = db.prepare('INSERT INTO hot_spot_action_history (iso_week, hot_spot, status, comment, at, user_id, organisation_id, op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const saveVisit = db.prepare('INSERT INTO visits (id, iso_week, hot_spot, organisation_id, at_hour) VALUES (?, ?, ?, ?, ?)')

  let decisions = 0, actions = 0, visits = 0
  weeks.forEach((week, w) => {
    // The meeting, on the Tuesday before the week, looks at the last complete week.
    const looked = weeksEndingWith(week, 3)[0]!
    const monday = weekRange(week)[0]
    const meeting = instantOfLocal(addDays(monday, -6), 9 + rng.int(3), 0, c.timeZone)
    if (meeting > c.now) return
    const focus = (categoryCounts.all(looked) as Array<{ category: string }>).map(r => r.category)
    const spots: HotSpotInput[] = (placeCounts.all(looked) as Array<{ id: number }>).slice(0, 2).map(p => {
      const category = topCategoryAt.get(looked, p.id) as string | undefined
      const orgId = (topOrgAt.get(looked, p.id) as number | undefined) ?? c.orgIds.security
      return { placeId: p.id, ...(PLACE_TRAITS[p.id]?.tags.includes('suburb') ? { radiusM: 250 } : {}), responsibleOrgId: orgId, action: rng.pick(ACTIONS[category ?? ''] ?? ACTIONS.default!) }
    })
    if (w % 3 === 0 || w >= weeks.length - 2) {
      const a = (w / 3) % DEMO_AREAS.length | 0
      spots.push({ placeId: areaIds[a]!, responsibleOrgId: a === 1 ? c.orgIds.property : a === 2 ? c.orgIds.transport : c.orgIds.police, action: rng.pick(ACTIONS.default!) })
    }
    if (w % 5 === 2) {
      // An area drawn at the meeting, round the week's busiest place.
      const centre = spots[0]?.placeId !== undefined ? (db.prepare('SELECT lon, lat FROM places WHERE id = ?').get(spots[0].placeId) as { lon: number; lat: number }) : null
      if (centre) spots.push({ geometry: drawnArea(rng, centre), label: 'Ritat område', responsibleOrgId: c.orgIds.municipal, action: 'Trygghetsvandring med boende' })
    }
    const weekStart = instantOfLocal(monday, 0, 0, c.timeZone)
    const notes = `Följs upp på mötet ${addDays(monday, 8)}.`
    const versions = rng() < 0.3 ? 2 : 1
    for (let v = 1; v <= versions; v++) {
      const shown = v < versions ? spots.slice(0, -1) : spots
      const at = meeting + (v - 1) * (1 + rng.int(2)) * DAY
      const late = w === 20 && v === versions // one week's minutes entered late by the admin
      const decidedAt = late ? at + 9 * DAY : at
      const by = late ? c.adminId : c.reviewerId
      const seq = nextSeq(db)
      saveDecision.run(week, JSON.stringify(focus), JSON.stringify(shown), notes, decidedAt, by, seq, v)
      saveVersion.run(week, v, JSON.stringify(focus), JSON.stringify(shown), notes, decidedAt, by, late ? 1 : 0)
    }
    decisions++

    spots.forEach((spot, index) => {
      const orgKey = spot.responsibleOrgId !== undefined ? orgKeyOf.get(spot.responsibleOrgId) : undefined
      const userId = orgKey ? c.reporterIds[orgKey][rng.int(3)]! : undefined
      // Actions: past weeks mostly done; this week partly; next week still planned.
      if (userId !== undefined && spot.responsibleOrgId !== undefined && week <= current) {
        const roll = rng()
        const status = week < current ? (roll < 0.72 ? 'done' : roll < 0.88 ? 'not_done' : null) : (roll < 0.4 ? 'done' : null)
        const at = Math.min(c.now - 3_600_000, weekStart + (1 + rng.int(6)) * DAY + rng.int(12) * 3_600_000)
        if (status && at > weekStart) {
          const comment = rng() < 0.6 ? rng.pick(status === 'done' ? COMMENTS_DONE : COMMENTS_NOT) : null
          if (status === 'done' && rng() < 0.2) saveHistory.run(week, index, 'not_done', null, at - DAY, userId, spot.responsibleOrgId, rng.hex(16))
          saveAction.run(week, index, status, comment, at, userId, nextSeq(db))
          saveHistory.run(week, index, status, comment, at, userId, spot.responsibleOrgId, rng.hex(16))
          actions++
        }
      }
      // Visits: the responsible organisation often, the others now and then; never in the future, never older than retention.
      for (const org of DEMO_ORGS) {
        const mean = c.orgIds[org.key] === spot.responsibleOrgId ? 5 : org.key === 'police' || org.key === 'security' ? 1.2 : 0.3
        for (let k = rng.poisson(mean); k > 0; k--) {
          const at = weekStart + rng.int(7) * DAY + (rng() < 0.7 ? 17 + rng.int(7) : 8 + rng.int(9)) * 3_600_000 + rng.int(60) * 60_000
          if (at > c.now || at < visitCutoff || localParts(at, c.timeZone).isoWeek !== week) continue
          saveVisit.run(uuidFrom(rng), week, index, c.orgIds[org.key], Math.floor(at / 3_600_000) * 3_600_000)
          visits++
        }
      }
    })
  })
  return { decisions, areas: areaIds.length, actions, visits }
}

/** A rough pentagon of about 150–250 m round a place, as drawn on the map at the meeting. */
function drawnArea(rng: Rng, c: { lon: number; lat: number }): { type: 'Polygon'; coordinates: Array<Array<[number, number]>> } {
  const ring: Array<[number, number]> = Array.from({ length: 5 }, (_, i) => {
    const r = (150 + rng.int(100)) / 111_195, a = (i / 5) * 2 * Math.PI
    return [round7(c.lon + (r * Math.cos(a)) / Math.cos(c.lat * Math.PI / 180)), round7(c.lat + r * Math.sin(a))]
  })
  ring.push([...ring[0]!])
  return { type: 'Polygon', coordinates: [ring] }
}
const round7 = (n: number) => Math.round(n * 1e7) / 1e7
const uuidFrom = (rng: Rng) => { const h = rng.hex(16); return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}` }
