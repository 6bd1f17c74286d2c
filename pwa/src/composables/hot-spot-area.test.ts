import { describe, expect, it } from 'vitest'
import type { HotSpot } from '@lagesbild/domain'
import { hotSpotAt, shapeCentre } from './hot-spot-area'

const square: Array<[number, number]> = [[12.69, 56.04], [12.70, 56.04], [12.70, 56.05], [12.69, 56.05], [12.69, 56.04]]
const spot = (index: number, shape: HotSpot['shape']): HotSpot => ({ index, action: `a${index}`, actionStatus: 'planned', shape })
const circle = (radiusM: number): HotSpot['shape'] => ({ type: 'Circle', coordinates: [12.6937, 56.0433], radiusM })

describe('the hot-spot a report or a visit falls in', () => {
  it('is the first area in the decision that holds the point, by geometry', () => {
    const spots = [spot(0, circle(50)), spot(1, { type: 'Polygon', coordinates: [square] }), spot(2, circle(500))]
    expect(hotSpotAt({ lat: 56.0433, lon: 12.6950 }, spots)?.index).toBe(1) // ~80 m east of the point, inside the square
    expect(hotSpotAt({ lat: 56.0433, lon: 12.6939 }, spots)?.index).toBe(0)
    expect(hotSpotAt({ lat: 56.0433, lon: 12.7010 }, spots)?.index).toBe(2) // east of the square, ~450 m from the point
    expect(hotSpotAt({ lat: 56.1, lon: 12.8 }, spots)).toBeNull()
  })

  it('skips a hot-spot whose place is gone (no shape)', () => {
    expect(hotSpotAt({ lat: 56.0433, lon: 12.6937 }, [spot(0, null)])).toBeNull()
  })

  it('has a centre for a circle and for a polygon', () => {
    expect(shapeCentre(circle(100)!)).toEqual({ lon: 12.6937, lat: 56.0433 })
    const c = shapeCentre({ type: 'Polygon', coordinates: [square] })
    expect(c.lon).toBeCloseTo(12.695)
    expect(c.lat).toBeCloseTo(56.045)
  })
})
