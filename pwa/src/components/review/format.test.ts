import { describe, expect, it } from 'vitest'
import { zoneOffsetMinutes } from '@lagesbild/domain/local-time'
import { formatInstant, fromZoneInput, toZoneInput } from './format'

const ZONE = 'Europe/Stockholm'

describe('times edited in the municipality zone', () => {
  it('knows the offset in winter and in summer', () => {
    expect(zoneOffsetMinutes(Date.parse('2026-11-25T12:00:00Z'), ZONE)).toBe(60)
    expect(zoneOffsetMinutes(Date.parse('2026-07-01T12:00:00Z'), ZONE)).toBe(120)
  })

  it('shows an instant as wall-clock time in the zone, whatever offset it was written with', () => {
    expect(toZoneInput('2026-11-25T21:30:00Z', ZONE)).toBe('2026-11-25T22:30')
    expect(toZoneInput('2026-07-01T08:05:00-04:00', ZONE)).toBe('2026-07-01T14:05')
  })

  it('reads wall-clock time back with the offset of that day, also next to a DST change', () => {
    expect(fromZoneInput('2026-11-25T22:30', ZONE)).toBe('2026-11-25T22:30:00+01:00')
    expect(fromZoneInput('2026-07-01T14:05', ZONE)).toBe('2026-07-01T14:05:00+02:00')
    // Summer time ends at 03:00 on 25 October 2026; 04:00 is already winter time.
    expect(fromZoneInput('2026-10-25T04:00', ZONE)).toBe('2026-10-25T04:00:00+01:00')
    expect(fromZoneInput('2026-03-29T01:30', ZONE)).toBe('2026-03-29T01:30:00+01:00')
    expect(fromZoneInput('2026-03-29T12:00', ZONE)).toBe('2026-03-29T12:00:00+02:00')
    expect(fromZoneInput('not a time', ZONE)).toBeNull()
  })

  it('round-trips', () => {
    for (const iso of ['2026-01-01T00:00:00+01:00', '2026-06-21T23:59:00+02:00', '2026-12-31T12:34:00+01:00']) {
      expect(Date.parse(fromZoneInput(toZoneInput(iso, ZONE), ZONE)!)).toBe(Date.parse(iso))
    }
  })

  it('formats in the chosen language and zone', () => {
    const now = Date.parse('2026-11-26T08:00:00Z')
    expect(formatInstant('2026-11-25T20:30:00Z', 'sv', ZONE, now)).toMatch(/ons.*25.*nov.*21:30/)
    expect(formatInstant('2026-11-25T20:30:00Z', 'sv', ZONE, now)).not.toContain('2026')
    expect(formatInstant('2026-11-25T20:30:00Z', 'en', ZONE, now)).toMatch(/Wed.*25.*Nov.*21:30/)
    expect(formatInstant('2025-11-27T13:23:00Z', 'sv', ZONE, now)).toMatch(/27.*nov.*2025.*14:23/)
  })
})
