import { describe, expect, it } from 'vitest'
import type { Place } from '@lagesbild/domain'
import { areaCentre, hotSpotArea, hotSpotAt, isInside } from './hot-spot-area'

const point: Place = { id: 1, name: 'Knutpunkten', kind: 'place', geometry: { type: 'Point', coordinates: [12.6937, 56.0433] }, lat: 56.0433, lon: 12.6937, active: true }
const square: Array<[number, number]> = [[12.69, 56.04], [12.70, 56.04], [12.70, 56.05], [12.69, 56.05], [12.69, 56.04]]
const area: Place = { id: 2, name: 'Söder', kind: 'area', geometry: { type: 'Polygon', coordinates: [square] }, lat: 56.045, lon: 12.695, active: true }

describe('hot-spot areas', () => {
  it('is a circle of 150 m round a point place unless the decision names a radius', () => {
    expect(hotSpotArea({ placeId: 1, action: 'x' }, [point])).toEqual({ kind: 'circle', centre: { lat: 56.0433, lon: 12.6937 }, radiusM: 150 })
    expect(hotSpotArea({ placeId: 1, radiusM: 300, action: 'x' }, [point])).toMatchObject({ radiusM: 300 })
  })

  it('counts a point as inside by distance for a circle, and by the polygon for an area or a drawn area', () => {
    const circle = hotSpotArea({ placeId: 1, action: 'x' }, [point])!
    expect(isInside({ lat: 56.0433, lon: 12.6950 }, circle)).toBe(true) // ~80 m east
    expect(isInside({ lat: 56.0433, lon: 12.6980 }, circle)).toBe(false) // ~270 m east
    const polygon = hotSpotArea({ placeId: 2, action: 'x' }, [area])!
    expect(isInside({ lat: 56.045, lon: 12.695 }, polygon)).toBe(true)
    expect(isInside({ lat: 56.055, lon: 12.695 }, polygon)).toBe(false)
    const drawn = hotSpotArea({ geometry: { type: 'Polygon', coordinates: [square] }, action: 'x' }, [])!
    expect(isInside({ lat: 56.041, lon: 12.699 }, drawn)).toBe(true)
    expect(areaCentre(drawn)).toEqual({ lat: 56.045, lon: 12.695 })
  })

  it('has no area when the place is unknown on this device', () => {
    expect(hotSpotArea({ placeId: 9, action: 'x' }, [point])).toBeNull()
  })
})

describe('the hot-spot a report falls in', () => {
  it('is the first area that holds the point, by geometry, whatever place is nearest', () => {
    const spots = [{ placeId: 1, radiusM: 50, action: 'a' }, { placeId: 2, action: 'b' }, { placeId: 1, radiusM: 500, action: 'c' }]
    expect(hotSpotAt({ lat: 56.0433, lon: 12.6950 }, spots, [point, area])).toMatchObject({ index: 1, spot: { placeId: 2 } })
    expect(hotSpotAt({ lat: 56.0433, lon: 12.7010 }, spots, [point, area])).toMatchObject({ index: 2 }) // east of the square, ~450 m from the point
    expect(hotSpotAt({ lat: 56.1, lon: 12.8 }, spots, [point, area])).toBeNull()
  })
})
