import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { insideShape, pointInPolygon, polygonProblem, segmentsIntersect, shapeBounds } from './hot-spot-area.ts'
import { distanceM } from './geo.ts'

const SQUARE: Array<[number, number]> = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
const HOLE: Array<[number, number]> = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]

describe('inside a hot-spot', () => {
  it('tests a polygon by the even–odd rule, so a hole is outside', () => {
    expect(pointInPolygon(5, 5, [SQUARE])).toBe(true)
    expect(pointInPolygon(11, 5, [SQUARE])).toBe(false)
    expect(pointInPolygon(5, 5, [SQUARE, HOLE])).toBe(false)
    expect(pointInPolygon(2, 5, [SQUARE, HOLE])).toBe(true)
    // A concave L: the notch is outside.
    const l: Array<[number, number]> = [[0, 0], [10, 0], [10, 4], [4, 4], [4, 10], [0, 10], [0, 0]]
    expect(pointInPolygon(7, 7, [l])).toBe(false)
    expect(pointInPolygon(2, 7, [l])).toBe(true)
  })

  it('tests a circle by the great-circle distance, and keeps every inside point within the bounds', () => {
    const c = { type: 'Circle' as const, coordinates: [12.6937, 56.0459] as [number, number], radiusM: 150 }
    fc.assert(fc.property(fc.double({ min: -0.004, max: 0.004, noNaN: true }), fc.double({ min: -0.003, max: 0.003, noNaN: true }), (dLon, dLat) => {
      const p = { lon: 12.6937 + dLon, lat: 56.0459 + dLat }
      const inside = insideShape(c, p)
      expect(inside).toBe(distanceM({ lon: 12.6937, lat: 56.0459 }, p) <= 150)
      const [w, s, e, n] = shapeBounds(c)
      if (inside) expect(p.lon >= w && p.lon <= e && p.lat >= s && p.lat <= n).toBe(true)
    }))
  })
})

describe('checking a polygon', () => {
  it('accepts simple rings, with or without a hole', () => {
    expect(polygonProblem([SQUARE])).toBeNull()
    expect(polygonProblem([SQUARE, HOLE])).toBeNull()
  })

  it('names what is wrong', () => {
    expect(polygonProblem([])).toMatch(/outer ring/)
    expect(polygonProblem([[[0, 0], [1, 0], [0, 0]]])).toMatch(/at least 4 positions/)
    expect(polygonProblem([SQUARE.slice(0, 4).concat([[0, 1]])])).toMatch(/not closed/)
    expect(polygonProblem([[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]])).toMatch(/intersects itself/)
    expect(polygonProblem([[[0, 0], [10, 0], [5, 0], [5, 5], [0, 0]]])).toMatch(/folds back|intersects/)
    expect(polygonProblem([[[0, 0], [10, 0], [10, 10], [10, 0], [0, 10], [0, 0]]])).toMatch(/twice/)
    expect(polygonProblem([SQUARE, [[8, 8], [12, 8], [12, 9], [8, 9], [8, 8]]])).toMatch(/ring 1 edge/)
  })

  it('finds crossings and touches between segments, and nothing between apart ones', () => {
    expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true)
    expect(segmentsIntersect([0, 0], [2, 0], [2, 0], [3, 1])).toBe(true) // touching at an end
    expect(segmentsIntersect([0, 0], [2, 0], [1, 0], [3, 0])).toBe(true) // overlapping
    expect(segmentsIntersect([0, 0], [1, 0], [2, 0], [3, 0])).toBe(false) // collinear, apart
    expect(segmentsIntersect([0, 0], [2, 2], [3, 0], [5, 1])).toBe(false)
  })
})
