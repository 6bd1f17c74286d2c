import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Category, Place } from '@lagesbild/domain'
import { jsonOf, snapshot, testServer, type TestServer } from '../../test/support.ts'

// Admin import of places and hot-spot areas as GeoJSON (WGS 84 or SWEREF 99 TM): all or nothing.

let s: TestServer
let admin: string
let reporter: string
beforeAll(async () => {
  s = await testServer()
  admin = (await s.signIn('boss', ['admin'], 'Kommunen')).cookie
  reporter = (await s.signIn('vakt1', ['reporter'])).cookie
}, 60_000)
afterAll(() => s.close())

const importFc = (body: unknown, query = '', cookie = admin) => s.request('POST', `/api/admin/places/import${query}`, { cookie, body })
const feature = (name: string | undefined, geometry: unknown) => ({ type: 'Feature', properties: name === undefined ? {} : { name }, geometry })
const square = (lon: number, lat: number, d = 0.002) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] })
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features })
const places = async () => (await jsonOf<{ categories: Category[]; places: Place[] }>(await s.request('GET', '/api/reference', { cookie: admin }))).places

// The official definition of SWEREF 99 TM, written out here rather than taken from the code under test.
const toSweref = proj4('+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs', 'EPSG:4326').inverse

describe('importing places and areas', () => {
  it('creates areas from Polygons and places from Points in WGS 84, in the file\'s order, audited', async () => {
    const res = await importFc(fc(feature('Söder kvarter', square(12.698, 56.038)), feature('Nya busstorget', { type: 'Point', coordinates: [12.70, 56.05] })))
    expect(res.status).toBe(201)
    const { created } = await jsonOf<{ created: Place[] }>(res)
    expect(created.map(p => [p.name, p.kind, p.geometry.type])).toEqual([['Söder kvarter', 'area', 'Polygon'], ['Nya busstorget', 'place', 'Point']])
    expect((await places()).map(p => p.name)).toEqual(expect.arrayContaining(['Söder kvarter', 'Nya busstorget']))
    const audit = s.db.prepare('SELECT action, detail FROM audit_events ORDER BY id DESC LIMIT 1').get() as { action: string; detail: string }
    expect(audit.action).toBe('places_imported')
    expect(JSON.parse(audit.detail)).toMatchObject({ count: 2 })
  })

  it('reads SWEREF 99 TM, named in the request or in the file, and stores WGS 84', async () => {
    const wgs = square(12.71, 56.03).coordinates[0]!
    const sweref = { type: 'Polygon', coordinates: [wgs.map(p => toSweref(p as [number, number]))] }
    expect(sweref.coordinates[0]![0]![0]).toBeGreaterThan(300_000) // metres, not degrees
    const viaQuery = await jsonOf<{ created: Place[] }>(await importFc(fc(feature('Planteringen syd', sweref)), '?crs=EPSG:3006'))
    const viaFile = await jsonOf<{ created: Place[] }>(await importFc({ ...fc(feature('Planteringen syd 2', sweref)), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3006' } } }))
    for (const { created } of [viaQuery, viaFile]) {
      const ring = (created[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!
      ring.forEach((p, i) => { expect(p[0]).toBeCloseTo(wgs[i]![0]!, 6); expect(p[1]).toBeCloseTo(wgs[i]![1]!, 6) })
      expect(ring[0]).toEqual(ring.at(-1))
    }
  })

  it('imports nothing when any feature fails, and names each failing feature and why', async () => {
    const before = snapshot(s.db)
    const open = { type: 'Polygon', coordinates: [[[12.69, 56.04], [12.70, 56.04], [12.70, 56.05], [12.69, 56.05]]] }
    const bowTie = { type: 'Polygon', coordinates: [[[12.69, 56.04], [12.70, 56.05], [12.70, 56.04], [12.69, 56.05], [12.69, 56.04]]] }
    const res = await importFc(fc(
      feature('Bra område', square(12.72, 56.04)),
      feature('Öppen ring', open),
      feature('Fluga', bowTie),
      feature('Stockholm', square(18.07, 59.33)),
      feature('Flera', { type: 'MultiPolygon', coordinates: [square(12.7, 56.04).coordinates] }),
      feature(undefined, square(12.73, 56.04)),
      feature('Söder kvarter', square(12.74, 56.04)),
      feature('Bra område', square(12.75, 56.04)),
      { type: 'Feature', properties: { name: 'Punkt i meter' }, geometry: { type: 'Point', coordinates: [360_000, 6_210_000] } },
    ))
    expect(res.status).toBe(400)
    const body = await jsonOf<{ error: { code: string; message: string; features: Array<{ index: number; name?: string; reason: string }> } }>(res)
    expect(body.error.code).toBe('invalid_features')
    expect(body.error.message).toMatch(/^8 features cannot be imported, so none was: feature 1: /)
    const reasons = Object.fromEntries(body.error.features.map(f => [f.index, f.reason]))
    expect(Object.keys(reasons).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(reasons[1]).toMatch(/not closed/)
    expect(reasons[2]).toMatch(/intersects itself/)
    expect(reasons[3]).toMatch(/outside the municipality/)
    expect(reasons[4]).toMatch(/MultiPolygon/)
    expect(reasons[5]).toMatch(/properties\.name/)
    expect(reasons[6]).toMatch(/exists already/)
    expect(reasons[7]).toMatch(/same name as feature 0/)
    expect(reasons[8]).toMatch(/SWEREF 99 TM/)
    expect(body.error.features.find(f => f.index === 2)!.name).toBe('Fluga')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('answers 400 to what is not a FeatureCollection, an unknown or contradicting CRS, and degrees called metres', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ type: 'Feature', geometry: square(12.7, 56.04), properties: { name: 'x' } }, '', 'type'],
      [fc(), '', 'features'],
      [{ ...fc(feature('A', square(12.7, 56.04))), crs: { type: 'name', properties: { name: 'EPSG:3021' } } }, '', 'crs'],
      [{ ...fc(feature('A', square(12.7, 56.04))), crs: { type: 'name', properties: { name: 'EPSG:4326' } } }, '?crs=EPSG:3006', 'crs'],
      [fc(feature('A', square(12.7, 56.04))), '?crs=EPSG:9999', 'crs'],
    ]
    for (const [body, query, field] of cases) {
      const before = snapshot(s.db)
      const res = await importFc(body, query)
      expect(res.status, field).toBe(400)
      expect((await jsonOf(res)).error.message).toContain(field)
      expect(snapshot(s.db)).toEqual(before)
    }
    const metres = await jsonOf<{ error: { features: Array<{ reason: string }> } }>(await importFc(fc(feature('Aa', square(12.7, 56.04))), '?crs=EPSG:3006'))
    expect(metres.error.features[0]!.reason).toMatch(/is the file in WGS 84\?/)
  })

  it('is for admins only', async () => {
    expect((await importFc(fc(feature('A', square(12.7, 56.04))), '', reporter)).status).toBe(403)
    expect((await s.request('POST', '/api/admin/places/import', { body: fc() })).status).toBe(401)
  })
})
