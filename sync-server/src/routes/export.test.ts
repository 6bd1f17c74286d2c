import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PLACES } from '@lagesbild/domain'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { insertReports, randomFixture, type Fixture } from '../services/stats/fixtures.ts'

interface Feature { id: string; geometry: { type: 'Point'; coordinates: [number, number] }; properties: Record<string, unknown> }
interface Collection { type: 'FeatureCollection'; crs?: unknown; features: Feature[] }

/** A small RFC 4180 reader with `;` as separator, for checking what Excel will see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = [], field = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ';') { row.push(field); field = '' } else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++ } else field += ch
  }
  if (field || row.length) throw new Error('the CSV does not end with CRLF')
  return rows
}

let s: TestServer
let fx: Fixture
let analyst: { cookie: string; userId: number }
let reviewer: string
let stortorget: string
const STORTORGET = DEMO_PLACES.find(p => p.name === 'Stortorget')!

beforeAll(async () => {
  s = await testServer()
  fx = await randomFixture(s, 11, 250)
  analyst = await s.signIn('ana', ['analyst'], 'Kommunen')
  reviewer = (await s.signIn('rev', ['reviewer'], 'Kommunen')).cookie
  const reporter = await s.signIn('vakt', ['reporter'])
  stortorget = insertReports(s, reporter, [{ occurredAt: Date.parse('2026-07-04T21:15:00Z'), category: 'disorder', lon: STORTORGET.lon, lat: STORTORGET.lat, placeId: STORTORGET.id }])[0]!
  s.db.prepare('UPDATE reports SET description = ? WHERE id = ?').run('=HYPERLINK("x");  "citat"\nrad två', stortorget)
})
afterAll(() => s.close())

async function total(q: string): Promise<number> {
  return (await jsonOf<{ total: number }>(await s.request('GET', `/api/stats/total?${q}`, { cookie: analyst.cookie }))).total
}

const FILTERS = ['', 'category=drugs&category=arson', 'week=2026-W53', 'from=2026-03-01&to=2026-10-31&hourFrom=20&hourTo=3',
  'weekday=6&weekday=7', `place=${STORTORGET.id}&radius=400`, 'bbox=12.68,56.03,12.70,56.05&org=1', 'place=2', 'week=2026-W47&category=gathering']

describe('CSV for Swedish Excel', () => {
  it.each(FILTERS)('has one row per incident the summary counts: "%s"', async q => {
    const res = await s.request('GET', `/api/export/reports.csv?${q}`, { cookie: analyst.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lagesbild-\d{4}-\d{2}-\d{2}\.csv"$/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)))
    expect(rows[0]).toEqual(['id', 'kategori', 'kategorinamn', 'tidpunkt', 'datum', 'klockslag', 'veckodag', 'vecka', 'plats_id', 'plats', 'organisation_id', 'organisation', 'latitud', 'longitud'])
    expect(rows.length - 1).toBe(await total(q))
    expect(new Set(rows.slice(1).map(r => r[0])).size).toBe(rows.length - 1)
  })

  it('writes local times, decimal commas, quotes where needed and defuses formulas (reviewer: with descriptions)', async () => {
    const res = await s.request('GET', '/api/export/reports.csv?from=2026-07-04&to=2026-07-04&category=disorder', { cookie: reviewer })
    const text = new TextDecoder().decode(await res.arrayBuffer())
    expect(text.split('\r\n')[0]).toContain(';beskrivning')
    const row = parseCsv(text.slice(1)).find(r => r[0] === stortorget)!
    // 21:15 UTC on 4 July is 23:15 summer time in Stockholm, a Saturday of week 27
    expect(row.slice(1, 14)).toEqual(['disorder', 'Ordningsstörning', '2026-07-04 23:15', '2026-07-04', '23:15', '6', '2026-W27', String(STORTORGET.id), 'Stortorget',
      String(fx.orgs.find(o => o.name === 'Vaktbolaget')!.id), 'Vaktbolaget', '56,0459', '12,6937'])
    expect(row[14]).toBe(`'=HYPERLINK("x");  "citat"\nrad två`)
    expect(text).toContain(`;"'=HYPERLINK(""x"");  ""citat""\nrad två"\r\n`)
  })

  it.each(['|calc', '＝1+1', '＋1', '－1', '＠SUM(A1)', '+1', '-1', '@x', '=1'])('defuses a formula that starts with "%s"', async start => {
    s.db.prepare('UPDATE reports SET description = ? WHERE id = ?').run(start, stortorget)
    const res = await s.request('GET', '/api/export/reports.csv?from=2026-07-04&to=2026-07-04&category=disorder', { cookie: reviewer })
    const row = parseCsv(new TextDecoder().decode(await res.arrayBuffer()).slice(1)).find(r => r[0] === stortorget)!
    expect(row[14]).toBe(`'${start}`)
  })
})

describe('GeoJSON', () => {
  it.each(FILTERS)('has one feature per incident the summary counts, in WGS 84: "%s"', async q => {
    const res = await s.request('GET', `/api/export/reports.geojson?${q}`, { cookie: analyst.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8')
    const doc = await jsonOf<Collection>(res)
    expect(doc.type).toBe('FeatureCollection')
    expect(doc.crs).toBeUndefined()
    expect(doc.features.length).toBe(await total(q))
    const byId = new Map(fx.rows.map(r => [r.id, r]))
    for (const f of doc.features) {
      const row = byId.get(f.id)
      if (row) expect(f.geometry.coordinates).toEqual([row.lon, row.lat])
      expect(f.properties.description).toBeUndefined()
    }
  })

  it('projects to SWEREF 99 TM as proj4 does and as the Gauss–Krüger formulas give', async () => {
    const res = await s.request('GET', '/api/export/reports.geojson?crs=EPSG:3006&category=disorder&from=2026-07-04&to=2026-07-04', { cookie: reviewer })
    const doc = await jsonOf<Collection>(res)
    expect(doc.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3006' } })
    const feature = doc.features.find(f => f.id === stortorget)!
    expect(feature.properties).toMatchObject({ placeName: 'Stortorget', occurredAt: '2026-07-04T23:15:00+02:00', localTime: '23:15', description: expect.any(String) })
    const [e, n] = feature.geometry.coordinates
    const viaProj4 = proj4('+proj=utm +zone=33 +ellps=GRS80 +units=m +no_defs', [STORTORGET.lon, STORTORGET.lat])
    expect(e).toBeCloseTo(viaProj4[0]!, 2)
    expect(n).toBeCloseTo(viaProj4[1]!, 2)
    const [gkN, gkE] = gaussKruger(STORTORGET.lat, STORTORGET.lon)
    expect(Math.abs(e - gkE)).toBeLessThan(0.01)
    expect(Math.abs(n - gkN)).toBeLessThan(0.01)
    // Helsingborg lies west of zone 33's central meridian (15° E): easting well below 500 000 m.
    expect(e).toBeGreaterThan(350_000)
    expect(e).toBeLessThan(360_000)
    expect(n).toBeGreaterThan(6_210_000)
    expect(n).toBeLessThan(6_216_000)
  })
})

describe('audit', () => {
  it('writes an event with the filter and the row count for every export, and none for a refused one', async () => {
    const count = () => s.db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'export'`).pluck().get() as number
    const before = count()
    await (await s.request('GET', '/api/export/reports.csv?category=drugs&weekday=6&weekday=7', { cookie: analyst.cookie })).arrayBuffer()
    await (await s.request('GET', '/api/export/reports.geojson?crs=EPSG:3006&week=2026-W53', { cookie: analyst.cookie })).arrayBuffer()
    const events = s.db.prepare(`SELECT actor_id, target, detail FROM audit_events WHERE action = 'export' ORDER BY id DESC LIMIT 2`).all() as Array<{ actor_id: number; target: string; detail: string }>
    expect(count()).toBe(before + 2)
    expect(events.map(e => ({ ...e, detail: JSON.parse(e.detail) as unknown }))).toEqual([
      { actor_id: analyst.userId, target: 'reports.geojson', detail: { filters: { week: '2026-W53' }, rows: await total('week=2026-W53'), crs: 'EPSG:3006' } },
      { actor_id: analyst.userId, target: 'reports.csv', detail: { filters: { category: ['drugs'], weekday: ['6', '7'] }, rows: await total('category=drugs&weekday=6&weekday=7') } },
    ])
    const reporter = await s.signIn('vakt2', ['reporter'])
    expect((await s.request('GET', '/api/export/reports.csv', { cookie: reporter.cookie })).status).toBe(403)
    expect((await s.request('GET', '/api/export/reports.csv?hourFrom=99', { cookie: analyst.cookie })).status).toBe(400)
    expect(count()).toBe(before + 2)
  })
})

/**
 * Geodetic → SWEREF 99 TM with Lantmäteriet's published Gauss–Krüger series (GRS 80, central meridian 15° E,
 * scale 0.9996, false easting 500 000 m), independent of proj4. Returns [N, E].
 */
function gaussKruger(latDeg: number, lonDeg: number): [number, number] {
  const a = 6378137, f = 1 / 298.257222101, k0 = 0.9996, fe = 500000, lon0 = 15 * Math.PI / 180
  const e2 = f * (2 - f), n = f / (2 - f)
  const aHat = a / (1 + n) * (1 + n ** 2 / 4 + n ** 4 / 64)
  const A = e2, B = (5 * e2 ** 2 - e2 ** 3) / 6, C = (104 * e2 ** 3 - 45 * e2 ** 4) / 120, D = 1237 * e2 ** 4 / 1260
  const b = [n / 2 - 2 * n ** 2 / 3 + 5 * n ** 3 / 16 + 41 * n ** 4 / 180, 13 * n ** 2 / 48 - 3 * n ** 3 / 5 + 557 * n ** 4 / 1440,
    61 * n ** 3 / 240 - 103 * n ** 4 / 140, 49561 * n ** 4 / 161280]
  const phi = latDeg * Math.PI / 180, dl = lonDeg * Math.PI / 180 - lon0
  const s2 = Math.sin(phi) ** 2
  const phiStar = phi - Math.sin(phi) * Math.cos(phi) * (A + B * s2 + C * s2 ** 2 + D * s2 ** 3)
  const xi = Math.atan2(Math.tan(phiStar), Math.cos(dl))
  const eta = Math.atanh(Math.cos(phiStar) * Math.sin(dl))
  let x = xi, y = eta
  b.forEach((bi, i) => { x += bi * Math.sin(2 * (i + 1) * xi) * Math.cosh(2 * (i + 1) * eta); y += bi * Math.cos(2 * (i + 1) * xi) * Math.sinh(2 * (i + 1) * eta) })
  return [k0 * aHat * x, k0 * aHat * y + fe]
}


describe('exports are capped: one running per user, two in all', () => {
  it('answers 429 with Retry-After beyond the cap, and frees a slot when an export is read to the end or cancelled', async () => {
    const [a, b, c] = await Promise.all(['exp-a', 'exp-b', 'exp-c'].map(u => s.signIn(u, ['analyst'], 'Kommunen')))
    const start = (who: { cookie: string }, path = '/api/export/reports.csv') => s.request('GET', path, { cookie: who.cookie })
    // Real parallel requests; a response counts as running until its body has been read.
    const first = await Promise.all([start(a!), start(a!, '/api/export/reports.geojson'), start(b!), start(c!)])
    const statuses = first.map(r => r.status)
    expect(statuses.filter(x => x === 200)).toHaveLength(2)
    expect(statuses[0] === 200 && statuses[1] === 200).toBe(false)
    for (const r of first.filter(x => x.status === 429)) {
      expect(r.headers.get('retry-after')).toBe('5')
      expect((await jsonOf(r)).error.code).toBe('export_busy')
    }
    const running = first.filter(r => r.status === 200)
    expect((await start(c!)).status).toBe(429)
    await running[0]!.arrayBuffer() // read to the end: its slot is free
    const next = await start(c!)
    expect(next.status).toBe(200)
    await next.body!.cancel() // cancelled: its slot is free too
    await running[1]!.arrayBuffer()
    const again = await Promise.all([start(a!), start(b!)])
    expect(again.map(r => r.status)).toEqual([200, 200])
    await Promise.all(again.map(r => r.arrayBuffer()))
  })
})
