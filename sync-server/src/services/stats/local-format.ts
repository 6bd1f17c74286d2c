const offsetFormatters = new Map<string, Intl.DateTimeFormat>()
const offsetCache = new Map<string, number>()

/**
 * The zone's UTC offset in minutes at an instant. Offsets change on whole UTC hours in European zones,
 * so one look-up per UTC hour is cached: exports and demo data format a million instants.
 */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const hourKey = `${timeZone}|${Math.floor(ms / 3_600_000)}`
  const cached = offsetCache.get(hourKey)
  if (cached !== undefined) return cached
  let f = offsetFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    offsetFormatters.set(timeZone, f)
  }
  const name = f.formatToParts(new Date(ms)).find(p => p.type === 'timeZoneName')?.value ?? 'GMT'
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0
  if (offsetCache.size > 100_000) offsetCache.clear()
  offsetCache.set(hourKey, offset)
  return offset
}

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

/**
 * The instant of a local wall-clock time. A time that summer time skips (02:30 on the last Sunday of March)
 * comes out an hour later, as clocks show it; a time that occurs twice takes the second.
 */
export function instantOfLocal(date: string, hour: number, minute: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d, hour, minute)
  const guess = wall - zoneOffsetMinutes(wall, timeZone) * 60_000
  return wall - zoneOffsetMinutes(guess, timeZone) * 60_000
}
