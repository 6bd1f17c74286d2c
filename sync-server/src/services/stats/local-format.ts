import { zoneOffsetMinutes } from '@lagesbild/domain/local-time'

/** An instant as local ISO 8601 with the zone's offset (2026-11-24T21:40:00+01:00), and its local HH:MM. */
export function localIso(ms: number, timeZone: string): { iso: string; time: string } {
  const offset = zoneOffsetMinutes(ms, timeZone)
  const local = new Date(ms + offset * 60_000).toISOString()
  const abs = Math.abs(offset)
  const sign = offset < 0 ? '-' : '+'
  return {
    iso: `${local.slice(0, 19)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`,
    time: local.slice(11, 16),
  }
}

