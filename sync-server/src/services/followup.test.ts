import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localParts, poissonInterval, type Followup } from '@lagesbild/domain'
import { instantOfLocal } from '@lagesbild/domain/local-time'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { createRng, type Rng } from './demo/prng.ts'
import { insertReports, type Spec } from './stats/fixtures.ts'
import { addDays, weekRange, weeksEndingWith } from './stats/weeks.ts'
import { assess } from './followup.ts'
import { setPriorities } from './priorities.ts'

// The follow-up's figures against the test's own bookkeeping of generated reports: each report is placed inside
// or outside a hot-spot by construction (well inside, or far away), so the expected counts never use the code
// under test. Two scenarios share one database through the category filter:
//   drugs:     hot-spot 0 falls to a quarter from week W on (a known effect); hot-spot 1 and the city stay as they were;
//   gathering: everything, hot-spots and city alike, halves from W on (a city-wide drop, not an effect).

const TZ = 'Europe/Stockholm'
const M_LAT = 111_195
const STORTORGET = { lon: 12.6937, lat: 56.0459 } // demo place 1, a point: the hot-spot is 150 m round it
const AREA = { lon: 12.7021, lat: 56.0411, half: 0.002 } // a drawn square round Olympia
const CITY = [{ lon: 12.716, lat: 56.0558 }, { lon: 12.736, lat: 56.021 }, { lon: 12.745, lat: 56.002 }] // ≥ 1 km away

const now = Date.now()
const current = localParts(now, TZ).isoWeek
const weeksBack = (k: number) => weeksEndingWith(current, k + 1)[0]!
const W = weeksBack(3) // W + 2 is the last complete week
const WEEKS = weeksEndingWith(weeksBack(1), 11) // W−8 … W+2

interface Made { week: string; category: string; spot: 0 | 1 | null }

function instantIn(rng: Rng, week: string): number {
  const day = addDays(weekRange(week)[0], rng.int(7))
  return instantOfLocal(day, 1 + rng.int(22), rng.int(60), TZ)
}
function nearPoint(rng: Rng, c: { lon: number; lat: number }, maxM: number): [number, number] {
  const r = Math.sqrt(rng()) * maxM, a = rng() * 2 * Math.PI
  return [c.lon + (r * Math.cos(a)) / (M_LAT * Math.cos(c.lat * Math.PI / 180)), c.lat + (r * Math.sin(a)) / M_LAT]
}

/** Reports per week: `rates` gives the weekly means (before W, from W on) for hot-spot 0, hot-spot 1 and the city. */
function generate(rng: Rng, category: string, rates: { spot0: [number, number]; spot1: [number, number]; city: [number, number] }): { specs: Spec[]; made: Made[] } {
  const specs: Spec[] = [], made: Made[] = []
  for (const week of WEEKS) {
    const k = week < W ? 0 : 1
    const add = (n: number, spot: 0 | 1 | null, where: () => [number, number]) => {
      for (let i = 0; i < n; i++) {
        const [lon, lat] = where()
        specs.push({ occurredAt: instantIn(rng, week), category, lon, lat, placeId: null })
        made.push({ week, category, spot })
      }
    }
    add(rng.poisson(rates.spot0[k]), 0, () => nearPoint(rng, STORTORGET, 120))
    add(rng.poisson(rates.spot1[k]), 1, () => [AREA.lon + (rng() * 2 - 1) * AREA.half * 0.9, AREA.lat + (rng() * 2 - 1) * AREA.half * 0.9])
    add(rng.poisson(rates.city[k]), null, () => nearPoint(rng, rng.pick(CITY), 300))
    // Not counted: waiting for review or rejected, inside the hot-spots.
    for (const status of ['submitted', 'rejected'] as const) {
      specs.push({ occurredAt: instantIn(rng, week), category, ...lonLat(nearPoint(rng, STORTORGET, 50)), placeId: null, status })
    }
  }
  return { specs, made }
}
const lonLat = ([lon, lat]: [number, number]) => ({ lon, lat })

let s: TestServer
let cookie: string
const made: Made[] = []
beforeAll(async () => {
  s = await testServer()
  const author = await s.signIn('vakt', ['reporter'])
  cookie = (await s.signIn('analytiker', ['analyst'], 'Kommunen')).cookie
  const rng = createRng(2026)
  const drugs = generate(rng, 'drugs', { spot0: [8, 2], spot1: [6, 6], city: [40, 40] })
  const gathering = generate(rng, 'gathering', { spot0: [8, 4], spot1: [6, 3], city: [40, 20] })
  insertReports(s, author, [...drugs.specs, ...gathering.specs])
  made.push(...drugs.made, ...gathering.made)
  const square = [[AREA.lon - AREA.half, AREA.lat - AREA.half], [AREA.lon + AREA.half, AREA.lat - AREA.half], [AREA.lon + AREA.half, AREA.lat + AREA.half], [AREA.lon - AREA.half, AREA.lat + AREA.half], [AREA.lon - AREA.half, AREA.lat - AREA.half]] as Array<[number, number]>
  const hotSpots = [{ placeId: 1, responsibleOrgId: author.organisationId, action: 'Rundor' }, { geometry: { type: 'Polygon' as const, coordinates: [square] }, label: 'Olympia', action: 'Närvaro' }]
  for (const week of [W, weeksBack(1), weeksBack(0)]) setPriorities(s.db, week, { focusCategories: [], hotSpots, notes: '' }, { id: author.userId, isAdmin: true }, TZ, now)
}, 120_000)
afterAll(() => s.close())

const get = async (query: string) => jsonOf<Followup>(await s.request('GET', `/api/followup?${query}`, { cookie }))

/** The test's own figures for a category: counts per week inside each hot-spot and in the whole city. */
function expected(category: string) {
  const rows = made.filter(m => m.category === category)
  return WEEKS.map(week => {
    const inWeek = rows.filter(m => m.week === week)
    return { week, spot: [0, 1].map(i => inWeek.filter(m => m.spot === i).length), all: inWeek.length }
  })
}

describe('the follow-up of a decided week', () => {
  it('counts each hot-spot per week W−8 … W+2, beside the rest of the city, with the baseline, as computed independently', async () => {
    for (const category of ['drugs', 'gathering']) {
      const f = await get(`week=${W}&category=${category}`)
      expect(f).toMatchObject({ week: W, decided: true, category: [category] })
      const want = expected(category)
      for (const i of [0, 1]) {
        const spot = f.hotSpots[i]!
        expect(spot.weeks.map(w => w.isoWeek)).toEqual(WEEKS)
        expect(spot.weeks.map(w => w.count)).toEqual(want.map(w => w.spot[i]))
        expect(spot.weeks.map(w => w.restOfCity)).toEqual(want.map(w => w.all - w.spot[i]!))
        expect(spot.weeks.every(w => !w.partial)).toBe(true)
        const base = want.slice(0, 8).reduce((sum, w) => sum + w.spot[i]!, 0)
        expect(spot.baseline).toBeCloseTo(base / 8, 3)
        const [lo, hi] = poissonInterval(base)
        expect([spot.baselineLow, spot.baselineHigh]).toEqual([round3(lo / 8), round3(hi / 8)])
        for (const w of spot.weeks) expect([w.low, w.high]).toEqual(poissonInterval(w.count).map(round3))
      }
    }
    // All categories: both scenarios together.
    const all = await get(`week=${W}`)
    const sumBoth = expected('drugs').map((w, k) => w.spot[0]! + expected('gathering')[k]!.spot[0]!)
    expect(all.hotSpots[0]!.weeks.map(w => w.count)).toEqual(sumBoth)
    expect(all.hotSpots[0]).toMatchObject({ index: 0, placeId: 1, radiusM: 150, name: 'Stortorget', action: 'Rundor', actionStatus: 'planned', visits: 0 })
    expect(all.hotSpots[1]).toMatchObject({ index: 1, label: 'Olympia', name: 'Olympia', action: 'Närvaro' })
  })

  it('finds the fall the generator put at hot-spot 0, and claims nothing at hot-spot 1 where it put none', async () => {
    const f = await get(`week=${W}&category=drugs`)
    expect(f.hotSpots[0]!.assessment).toMatchObject({ weeks: WEEKS.slice(8), verdict: 'lower' })
    expect(f.hotSpots[0]!.assessment.pValue!).toBeLessThan(0.01)
    expect(f.hotSpots[1]!.assessment.verdict).toBe('no_change_shown')
  })

  it('does not take a city-wide drop for an effect', async () => {
    const f = await get(`week=${W}&category=gathering`)
    for (const spot of f.hotSpots) {
      // The raw counts fell by half...
      const before = spot.weeks.slice(0, 8).reduce((s, w) => s + w.count, 0) / 8
      const after = spot.weeks.slice(8).reduce((s, w) => s + w.count, 0) / 3
      expect(after).toBeLessThan(before * 0.8)
      // ...but so did the rest of the city, so no change is claimed, and the expectation follows the city.
      expect(spot.assessment.verdict).toBe('no_change_shown')
      expect(spot.assessment.expected).toBeLessThan(before * 3 * 0.8)
    }
  })

  it('stops at the current week, marks it partial, and leaves it out of the assessment', async () => {
    const f = await get(`week=${weeksBack(1)}`)
    expect(f.hotSpots[0]!.weeks.map(w => w.isoWeek)).toEqual(weeksEndingWith(current, 10))
    expect(f.hotSpots[0]!.weeks.map(w => w.partial)).toEqual([...new Array(9).fill(false), true])
    expect(f.hotSpots[0]!.assessment.weeks).toEqual([weeksBack(1)])
    const thisWeek = await get(`week=${current}`)
    expect(thisWeek.hotSpots[0]!.assessment.verdict).toBe('not_yet')
    expect(thisWeek.hotSpots[0]!.weeks.at(-1)).toMatchObject({ isoWeek: current, partial: true })
  })

  it('answers an empty follow-up for a week without a decision, and 400 for a bad week or category', async () => {
    expect(await get('week=2020-W10')).toEqual({ week: '2020-W10', decided: false, category: null, hotSpots: [] })
    for (const q of ['', 'week=2025-W53', 'week=2026-48', `week=${W}&category=NOPE!`]) {
      const res = await s.request('GET', `/api/followup?${q}`, { cookie })
      expect(res.status, q).toBe(400)
    }
  })
})

describe('the assessment claims a change only where there is one', () => {
  const simulate = (seed: number, before: number, after: number, city: [number, number]) => {
    const rng = createRng(seed)
    const row = (k: number, i: number) => ({ isoWeek: `2026-W${String(10 + i).padStart(2, '0')}`, count: rng.poisson(k === 0 ? before : after), restOfCity: rng.poisson(city[k]!) })
    const b = Array.from({ length: 8 }, (_, i) => row(0, i)), a = Array.from({ length: 3 }, (_, i) => row(1, 8 + i))
    return assess('2026-W18', b, a).verdict
  }

  it('claims a change in at most about 5 % of hot-spots where nothing changed, city steady or falling alike', () => {
    for (const city of [[60, 60], [60, 30]] as Array<[number, number]>) {
      const scale = city[1] / city[0]
      const claims = Array.from({ length: 400 }, (_, i) => simulate(i + 1, 5, 5 * scale, city)).filter(v => v !== 'no_change_shown').length
      expect(claims / 400).toBeLessThan(0.08)
    }
  })

  it('finds a halving at a busy hot-spot most of the time', () => {
    const found = Array.from({ length: 200 }, (_, i) => simulate(1000 + i, 12, 6, [60, 60])).filter(v => v === 'lower').length
    expect(found / 200).toBeGreaterThan(0.6)
  })
})

const round3 = (n: number) => Math.round(n * 1000) / 1000
