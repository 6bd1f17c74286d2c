import { describe, expect, it } from 'vitest'
import { barWidth, shiftWeek } from './week-math'

describe('shiftWeek', () => {
  it('steps one week back and forth', () => {
    expect(shiftWeek('2026-W48', -1)).toBe('2026-W47')
    expect(shiftWeek('2026-W48', 1)).toBe('2026-W49')
  })
  it('crosses into a year with week 53 and out of it', () => {
    expect(shiftWeek('2026-W52', 1)).toBe('2026-W53')
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01')
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53')
  })
  it('crosses a year without week 53', () => {
    expect(shiftWeek('2025-W52', 1)).toBe('2026-W01')
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52')
  })
})

describe('barWidth', () => {
  it('is the share of the largest value and zero when there is nothing', () => {
    expect(barWidth(5, 10)).toBe('50%')
    expect(barWidth(1, 3)).toBe('33.3%')
    expect(barWidth(0, 0)).toBe('0%')
  })
})
