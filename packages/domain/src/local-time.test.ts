import { describe, expect, it } from 'vitest'
import { isoWeekMonday, isoWeekOf, localParts, toIsoWithOffset } from './local-time.ts'

const TZ = 'Europe/Stockholm'

describe('localParts in Europe/Stockholm', () => {
  it('puts the hour after the spring-forward gap at 03', () => {
    // 2026-03-29 01:30 UTC = 03:30 CEST (02:00–03:00 local does not exist that night)
    expect(localParts(Date.parse('2026-03-29T01:30:00Z'), TZ)).toMatchObject({ date: '2026-03-29', hour: 3, weekday: 7 })
    expect(localParts(Date.parse('2026-03-29T00:30:00Z'), TZ)).toMatchObject({ hour: 1 })
  })
  it('counts the repeated hour at the autumn change as 02 both times', () => {
    expect(localParts(Date.parse('2026-10-25T00:30:00Z'), TZ).hour).toBe(2)
    expect(localParts(Date.parse('2026-10-25T01:30:00Z'), TZ).hour).toBe(2)
    expect(localParts(Date.parse('2026-10-25T02:30:00Z'), TZ).hour).toBe(3)
  })
  it('uses the local date, not the UTC date, near midnight', () => {
    expect(localParts(Date.parse('2026-06-30T22:30:00Z'), TZ)).toMatchObject({ date: '2026-07-01', hour: 0, weekday: 3 })
  })
})

describe('ISO weeks', () => {
  it('knows week 53 and the turn of the year', () => {
    expect(isoWeekOf(2026, 12, 31).isoWeek).toBe('2026-W53')
    expect(isoWeekOf(2027, 1, 3).isoWeek).toBe('2026-W53')
    expect(isoWeekOf(2027, 1, 4).isoWeek).toBe('2027-W01')
    expect(isoWeekOf(2024, 12, 30).isoWeek).toBe('2025-W01')
    expect(isoWeekOf(2026, 11, 25)).toEqual({ weekday: 3, isoWeek: '2026-W48' })
  })
  it('finds the Monday of a week', () => {
    expect(isoWeekMonday('2026-W48')).toBe('2026-11-23')
    expect(isoWeekMonday('2026-W53')).toBe('2026-12-28')
    expect(isoWeekMonday('2025-W01')).toBe('2024-12-30')
  })
})

describe('toIsoWithOffset', () => {
  it('writes the same instant with an explicit offset', () => {
    const d = new Date(Date.UTC(2026, 10, 25, 20, 30, 5))
    const text = toIsoWithOffset(d)
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
    expect(Date.parse(text)).toBe(d.getTime())
  })
})
