/** Time zone arithmetic for the review desk: times are shown and edited in the municipality's zone. */
import { instantOfLocal, zoneOffsetMinutes } from '@lagesbild/domain/local-time'

function zoneParts(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find(p => p.type === type)?.value)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The instant as a `datetime-local` value (YYYY-MM-DDTHH:mm) in the zone. */
export function toZoneInput(iso: string, timeZone: string): string {
  const p = zoneParts(Date.parse(iso), timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`
}

/**
 * A `datetime-local` value read as wall-clock time in the zone, as ISO 8601 with the zone's offset.
 */
export function fromZoneInput(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value)
  if (!m) return null
  const offset = zoneOffsetMinutes(instantOfLocal(`${m[1]}-${m[2]}-${m[3]}`, Number(m[4]), Number(m[5]), timeZone), timeZone)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${value}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** A short local time such as "tis 25 nov. 21:30", in the zone. */
export function formatInstant(iso: string, locale: string, timeZone: string, now = Date.now()): string {
  // A report from another year says so: "tors 27 nov." alone would read as this year's.
  const otherYear = Math.abs(now - Date.parse(iso)) > 300 * 86_400_000 || zoneParts(now, timeZone).year !== zoneParts(Date.parse(iso), timeZone).year
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone, weekday: 'short', day: 'numeric', month: 'short', ...(otherYear ? { year: 'numeric' } : {}), hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso))
}
