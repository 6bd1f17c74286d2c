/** Local calendar fields of an instant in a time zone: what filters and aggregates group by. */
export interface LocalParts {
  date: string // YYYY-MM-DD
  weekday: number // 1 = Monday … 7 = Sunday (ISO)
  hour: number // 0–23
  isoWeek: string // e.g. 2026-W48
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })
    formatters.set(timeZone, f)
  }
  return f
}

export function localParts(instantMs: number, timeZone: string): LocalParts {
  const parts = formatter(timeZone).formatToParts(new Date(instantMs))
  const get = (type: string) => Number(parts.find(p => p.type === type)?.value)
  const y = get('year'), m = get('month'), d = get('day')
  const date = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  return { date, hour: get('hour'), ...isoWeekOf(y, m, d) }
}

/** ISO 8601 week-numbering for a calendar date (proleptic Gregorian, UTC arithmetic only). */
export function isoWeekOf(year: number, month: number, day: number): { weekday: number; isoWeek: string } {
  const t = Date.UTC(year, month - 1, day)
  const weekday = ((new Date(t).getUTCDay() + 6) % 7) + 1
  const thursday = new Date(t + (4 - weekday) * 86_400_000)
  const weekYear = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000)) + 1
  return { weekday, isoWeek: `${weekYear}-W${String(week).padStart(2, '0')}` }
}

/** The Monday (YYYY-MM-DD) that starts an ISO week such as 2026-W48. */
export function isoWeekMonday(isoWeek: string): string {
  const match = /^(\d{4})-W(\d{2})$/.exec(isoWeek)
  if (!match) throw new RangeError(`not an ISO week: ${isoWeek}`)
  const year = Number(match[1]), week = Number(match[2])
  const jan4 = Date.UTC(year, 0, 4)
  const jan4Weekday = ((new Date(jan4).getUTCDay() + 6) % 7) + 1
  const monday = new Date(jan4 - (jan4Weekday - 1) * 86_400_000 + (week - 1) * 7 * 86_400_000)
  return monday.toISOString().slice(0, 10)
}

/** An instant as ISO 8601 with the device's own UTC offset, e.g. 2026-11-25T21:30:00+01:00. */
export function toIsoWithOffset(date: Date): string {
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
}

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
