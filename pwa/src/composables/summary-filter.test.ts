import { describe, expect, it } from 'vitest'
import { parseStatsFilter } from '@lagesbild/domain'
import { activeFilterCount, boundsOf, inPolygon, readFilter, readPolygon, toRouteQuery, withoutFilter, type Lonlat } from './summary-filter'

const square: Lonlat[] = [[12.69, 56.04], [12.71, 56.04], [12.71, 56.05], [12.69, 56.05]]

describe('readFilter', () => {
  it('reads every filter key from a router query and writes the same query back', () => {
    const query = {
      from: '2026-11-02', to: '2026-11-08', week: '2026-W45', category: ['drugs', 'gathering'], org: '3',
      weekday: ['5', '6'], hourFrom: '22', hourTo: '4', bbox: '12.69,56.04,12.71,56.05', place: '7', radius: '500',
    }
    const { filter, dropped } = readFilter(query)
    expect(dropped).toEqual([])
    expect(filter).toEqual({
      from: '2026-11-02', to: '2026-11-08', week: '2026-W45', category: ['drugs', 'gathering'], org: [3],
      weekday: [5, 6], hourFrom: 22, hourTo: 4, bbox: [12.69, 56.04, 12.71, 56.05], place: 7, radius: 500,
    })
    expect(toRouteQuery(filter, null)).toEqual({ ...query, org: ['3'] })
    expect(activeFilterCount(filter)).toBe(11)
  })

  it('drops only the keys that do not parse, and names them', () => {
    const { filter, dropped } = readFilter({ from: '2026-02-30', category: 'drugs', radius: '300', hourFrom: '25' })
    expect(filter).toEqual({ category: ['drugs'] })
    expect(dropped.sort()).toEqual(['from', 'hourFrom', 'radius'])
  })

  it('drops a to before from rather than the whole filter', () => {
    expect(readFilter({ from: '2026-11-08', to: '2026-11-02' })).toEqual({ filter: { from: '2026-11-08' }, dropped: ['to'] })
  })

  it('ignores keys that are not filters', () => {
    expect(readFilter({ page: '2', area: 'x' })).toEqual({ filter: {}, dropped: [] })
  })
})

describe('the drawn polygon', () => {
  it('is written beside its bounding box and read back while the box still matches', () => {
    const bbox = boundsOf(square)
    expect(bbox).toEqual([12.69, 56.04, 12.71, 56.05])
    const query = toRouteQuery({ bbox }, square)
    expect(query.area).toBe('12.69,56.04;12.71,56.04;12.71,56.05;12.69,56.05')
    const { filter } = readFilter(query)
    expect(readPolygon(query.area, filter.bbox)).toEqual(square)
    // The API sees only the box.
    expect(parseStatsFilter(new URLSearchParams(query as Record<string, string>)).data).toEqual({ bbox })
  })

  it('is ignored when the box no longer matches it or it is malformed', () => {
    expect(readPolygon('12.69,56.04;12.71,56.04;12.71,56.05', [12.6, 56.0, 12.8, 56.1])).toBeNull()
    expect(readPolygon('12.69,56.04;12.71,56.04;12.71,56.05', undefined)).toBeNull()
    expect(readPolygon('12.69,56.04;nonsense;12.71,56.05', [12.69, 56.04, 12.71, 56.05])).toBeNull()
    expect(readPolygon('12.69,56.04;12.71,56.05', [12.69, 56.04, 12.71, 56.05])).toBeNull()
  })

  it('contains points inside it and not the corners of its box outside it', () => {
    const triangle: Lonlat[] = [[0, 0], [10, 0], [0, 10]]
    expect(inPolygon([2, 2], triangle)).toBe(true)
    expect(inPolygon([8, 8], triangle)).toBe(false)
    expect(inPolygon([-1, 5], triangle)).toBe(false)
    expect(inPolygon([12.7, 56.045], square)).toBe(true)
  })
})

describe('withoutFilter', () => {
  it('removes one value of a repeatable key and the key with its last value', () => {
    expect(withoutFilter({ category: ['a_b', 'c_d'] }, 'category', 'a_b')).toEqual({ category: ['c_d'] })
    expect(withoutFilter({ category: ['a_b'] }, 'category', 'a_b')).toEqual({ category: undefined })
    expect(withoutFilter({ weekday: [1, 2] }, 'weekday', 2)).toEqual({ weekday: [1] })
  })

  it('takes the radius away with its place', () => {
    expect(withoutFilter({ place: 4, radius: 250, week: '2026-W48' }, 'place')).toEqual({ week: '2026-W48' })
  })
})
