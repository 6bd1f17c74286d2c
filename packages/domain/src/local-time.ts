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
