import { DEMO_PLACES, localParts, type ReportStatus } from '@lagesbild/domain'
import { addDays } from '../stats/weeks.ts'
import { instantOfLocal } from '@lagesbild/domain/local-time'
import { CATEGORY_MODEL, DEMO_ORGS, EMERGING, PLACE_TRAITS, SPECIAL_DAYS, WEEKDAY_WEIGHT, type OrgKey } from './model.ts'
import { createRng, cumulative, type Rng } from './prng.ts'

export interface GenerateOptions {
  seed: number
  /** reports to make, besides merged duplicates */
  reports: number
  now: number
  timeZone: string
  days?: number
  /** every report approved and none a duplicate (the benchmark's million) */
  allApproved?: boolean
}

/** One generated report; org and reporter are keys the writer maps to ids. */
export interface DemoReport {
  id: string
  category: string
  occurredAt: number
  lat: number
  lon: number
  accuracyM: number | null
  source: 'gps' | 'map' | 'place'
  placeId: number | null
  description: string
  peopleInvolved: number | null
  policeNotified: boolean | null
  org: OrgKey
  /** which of the organisation's reporters (0–2) */
  reporter: number
  createdAt: number
  receivedAt: number
  status: ReportStatus
  reviewedAt: number | null
  reviewNote: string | null
  duplicateOf: string | null
}

/** The number of demo reports per year the weights in model.ts are tuned for. */
export const DEMO_SCALE = 6000
const CATEGORIES = Object.keys(CATEGORY_MODEL)
const PLACES = DEMO_PLACES
const M_PER_DEG_LAT = 111_195
const MINUTE = 60_000, HOUR = 3_600_000

interface Day { date: string; weekday: number; month: number; mmdd: string; share: number }

/**
 * Yields a year (or `days`) of reports ending at `now`, in day order, each merged duplicate right after its
 * primary. Pure apart from the seeded PRNG: the same options give the same reports.
 */
export function* generateReports(o: GenerateOptions): Generator<DemoReport> {
  const rng = createRng(o.seed)
  const today = localParts(o.now, o.timeZone)
  const days = dayList(today.date, o.days ?? 365, today.hour / 24 + 1 / 48)
  const scale = o.reports / DEMO_SCALE
  const tables = buildTables()

  // Emerging hot-spots: extra reports in the last four weeks, rising towards today.
  const extra = days.map((_, i) => EMERGING.map(e => {
    const age = days.length - 1 - i
    if (age >= 28) return 0
    const ramp = ((27 - age) / 27) ** 1.5
    return rng.poisson(e.perWeek / 7 * 1.15 * ramp * scale * days[i]!.share)
  }))
  const baseCount = Math.max(0, o.reports - extra.flat().reduce((s, n) => s + n, 0))

  // Spread the base count over days and categories in proportion to their weights, carrying the rounding.
  const weights = days.map(d => CATEGORIES.map(c => categoryDayWeight(c, d)))
  const totalWeight = weights.flat().reduce((s, w) => s + w, 0)
  const carry = new Float64Array(CATEGORIES.length)
  let made = 0

  for (let i = 0; i < days.length; i++) {
    const day = days[i]!
    const last = i === days.length - 1
    for (let c = 0; c < CATEGORIES.length; c++) {
      carry[c]! += baseCount * weights[i]![c]! / totalWeight
      let n = Math.floor(carry[c]!)
      carry[c]! -= n
      if (last && c === CATEGORIES.length - 1) n = baseCount - made // whatever rounding left over
      made += n
      for (let k = 0; k < n; k++) yield* withDuplicate(makeReport(rng, o, tables, day, CATEGORIES[c]!, null), rng, o)
    }
    for (let j = 0; j < EMERGING.length; j++) {
      for (let k = 0; k < extra[i]![j]!; k++) {
        yield* withDuplicate(makeReport(rng, o, tables, day, EMERGING[j]!.category, EMERGING[j]!.placeId), rng, o)
      }
    }
  }
}

function dayList(todayDate: string, count: number, todayShare: number): Day[] {
  return Array.from({ length: count }, (_, i) => {
    const date = addDays(todayDate, i - count + 1)
    const [y, m, d] = date.split('-').map(Number) as [number, number, number]
    const weekday = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1
    return { date, weekday, month: m, mmdd: date.slice(5), share: i === count - 1 ? Math.min(1, todayShare) : 1 }
  })
}

function categoryDayWeight(category: string, day: Day): number {
  const model = CATEGORY_MODEL[category]!
  const special = SPECIAL_DAYS[day.mmdd]
  const factor = special && special.categories.includes(category) ? special.factor : 1
  return model.weight * model.season[day.month - 1]! * WEEKDAY_WEIGHT[day.weekday]! * factor * day.share
}

interface Tables {
  /** per category and weekday (index 1–7): local hour */
  hours: Map<string, Float64Array[]>
  /** per category, [winter, summer]: index into PLACES */
  places: Map<string, [Float64Array, Float64Array]>
  /** per category and place id: index into DEMO_ORGS */
  orgs: Map<string, Map<number, Float64Array>>
}

function buildTables(): Tables {
  const hours = new Map<string, Float64Array[]>()
  const places = new Map<string, [Float64Array, Float64Array]>()
  const orgs = new Map<string, Map<number, Float64Array>>()
  for (const c of CATEGORIES) {
    const m = CATEGORY_MODEL[c]!
    hours.set(c, Array.from({ length: 8 }, (_, wd) => cumulative(m.hours.map((w, h) => {
      const weekendNight = ((wd === 5 || wd === 6) && h >= 21) || ((wd === 6 || wd === 7) && h <= 3)
      return weekendNight ? w * m.weekendNights : w
    }))))
    const placeWeights = (summer: boolean) => cumulative(PLACES.map(p => {
      const traits = PLACE_TRAITS[p.id] ?? { weight: 1, tags: [] }
      const affinity = traits.tags.reduce((s, t) => s + (m.tags[t] ?? 0) * (summer && t === 'park' ? 1.8 : 1), 0.2)
      return traits.weight * affinity
    }))
    places.set(c, [placeWeights(false), placeWeights(true)])
    orgs.set(c, new Map(PLACES.map(p => {
      const tags = PLACE_TRAITS[p.id]?.tags ?? []
      return [p.id, cumulative(DEMO_ORGS.map(org => {
        let w = m.orgs[org.key] ?? 0.1
        if (org.key === 'transport') w *= tags.includes('transit') ? 3 : 0.2
        if (org.key === 'property' && tags.includes('suburb')) w *= 2
        if (org.key === 'security' && (tags.includes('centre') || tags.includes('night') || tags.includes('mall'))) w *= 2
        return w
      }))]
    })))
  }
  return { hours, places, orgs }
}

function makeReport(rng: Rng, o: GenerateOptions, t: Tables, day: Day, category: string, fixedPlace: number | null): DemoReport {
  const model = CATEGORY_MODEL[category]!
  let occurredAt = 0
  for (let tries = 0; tries < 20; tries++) {
    occurredAt = instantOfLocal(day.date, rng.weighted(t.hours.get(category)![day.weekday]!), rng.int(60), o.timeZone)
    if (occurredAt <= o.now - 5 * MINUTE) break
    occurredAt = o.now - (5 + rng.int(120)) * MINUTE // today, later than now: earlier today instead
  }
  const summer = day.month >= 5 && day.month <= 8
  const place = fixedPlace !== null ? PLACES.find(p => p.id === fixedPlace)! : PLACES[rng.weighted(t.places.get(category)![summer ? 1 : 0])]!
  const unplaced = fixedPlace === null && rng() < 0.05
  const sourceRoll = rng()
  const source = unplaced || sourceRoll < 0.55 ? 'gps' : sourceRoll < 0.7 ? 'map' : 'place'
  const [lon, lat] = source === 'place' ? [place.lon, place.lat] : jitter(rng, place.lon, place.lat, unplaced ? 250 : 0, unplaced ? 600 : 100)
  const org = DEMO_ORGS[rng.weighted(t.orgs.get(category)!.get(place.id)!)]!.key
  const createdAt = Math.min(o.now, occurredAt + (rng() < 0.8 ? rng.int(30) : 30 + rng.int(270)) * MINUTE)
  const receivedAt = Math.min(o.now, createdAt + (rng() < 0.7 ? rng.int(120_000) : (10 + rng.int(600)) * MINUTE))
  const crowd = category === 'gathering' || category === 'disorder' || category === 'violence'
  const policeKind = category === 'violence' || category === 'robbery' || category === 'drugs'
  return {
    id: uuidv7(rng, createdAt),
    category, occurredAt, lat, lon,
    accuracyM: source === 'gps' ? 5 + rng.int(35) : null,
    source,
    placeId: unplaced ? null : place.id,
    description: rng() < 0.15 ? '' : rng.pick(model.texts),
    peopleInvolved: crowd ? 1 + rng.int(crowd && category === 'gathering' ? 25 : 6) : null,
    policeNotified: policeKind ? rng() < 0.6 : org === 'police' ? true : null,
    org, reporter: rng.int(3), createdAt, receivedAt,
    ...review(rng, o, receivedAt),
    duplicateOf: null,
  }
}

const REJECT_NOTES = ['Händelsen ligger utanför EST-området.', 'Inte en EST-händelse; hänvisad till felanmälan.', 'Dubbelrapport.']
const QUESTIONS = ['Kan du ange platsen mer exakt?', 'Ungefär hur många personer var det?', 'Vilken tid inträffade det?']

function review(rng: Rng, o: GenerateOptions, receivedAt: number): Pick<DemoReport, 'status' | 'reviewedAt' | 'reviewNote'> {
  if (o.allApproved) return { status: 'approved', reviewedAt: Math.min(receivedAt + (1 + rng.int(24)) * HOUR, o.now), reviewNote: null }
  // Most reports are reviewed the same or the next working day; some wait up to three days.
  const reviewedAt = receivedAt + (1 + rng.int(rng() < 0.8 ? 20 : 72)) * HOUR
  const roll = rng()
  if (reviewedAt > o.now || roll > 0.985) return { status: 'submitted', reviewedAt: null, reviewNote: null }
  if (roll < 0.91) return { status: 'approved', reviewedAt, reviewNote: null }
  if (roll < 0.955) return { status: 'rejected', reviewedAt, reviewNote: rng.pick(REJECT_NOTES) }
  return { status: 'needs_info', reviewedAt, reviewNote: rng.pick(QUESTIONS) }
}

/** Some approved incidents were also reported by another organisation; a reviewer merged the second into the first. */
function* withDuplicate(primary: DemoReport, rng: Rng, o: GenerateOptions): Generator<DemoReport> {
  yield primary
  if (o.allApproved || primary.status !== 'approved' || rng() >= 0.03) return
  const others = DEMO_ORGS.filter(org => org.key !== primary.org)
  const occurredAt = Math.min(o.now - MINUTE, primary.occurredAt + (rng.int(31) - 15) * MINUTE)
  const createdAt = Math.min(o.now, occurredAt + rng.int(20) * MINUTE)
  const receivedAt = Math.min(o.now, createdAt + rng.int(60_000))
  const [lon, lat] = jitter(rng, primary.lon, primary.lat, 0, 40)
  yield {
    ...primary,
    id: uuidv7(rng, createdAt),
    occurredAt, lon, lat, createdAt, receivedAt,
    source: 'gps', accuracyM: 5 + rng.int(20),
    org: rng.pick(others).key, reporter: rng.int(3),
    reviewedAt: Math.min(o.now, Math.max(primary.reviewedAt ?? receivedAt, receivedAt) + rng.int(120) * MINUTE),
    duplicateOf: primary.id,
  }
}

/** A point between `minM` and `maxM` metres from the centre, uniform over that ring's area. */
function jitter(rng: Rng, lon: number, lat: number, minM: number, maxM: number): [number, number] {
  const r = Math.sqrt(minM ** 2 + rng() * (maxM ** 2 - minM ** 2))
  const angle = rng() * 2 * Math.PI
  const dLat = (r * Math.sin(angle)) / M_PER_DEG_LAT
  const dLon = (r * Math.cos(angle)) / (M_PER_DEG_LAT * Math.cos(lat * Math.PI / 180))
  return [Math.round((lon + dLon) * 1e7) / 1e7, Math.round((lat + dLat) * 1e7) / 1e7]
}

/** UUIDv7 (as domain uuidv7) from the seeded PRNG, so runs are reproducible. */
function uuidv7(rng: Rng, ms: number): string {
  const time = ms.toString(16).padStart(12, '0')
  const rand = rng.hex(9)
  const variant = (0x8 | rng.int(4)).toString(16)
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}${rand.slice(3, 6)}-${rand.slice(6, 18)}`
}
