import type { StatsFilter } from '@lagesbild/domain'
import type { FilterKey } from '@/composables/summary-filter'
import { distanceLabel, hh } from './filter-options'

export interface FilterChip { id: string; label: string; removals: Array<[FilterKey, (string | number)?]> }

export interface FilterLookups {
  t: (key: string, values?: Record<string, unknown>) => string
  categoryLabel: (code: string) => string
  orgName: (id: number) => string
  placeName: (id: number) => string | null
  hasPolygon: boolean
}

/** One chip per filter value, in the filter bar's order; hours and place+radius read as one chip each. */
export function filterChips(f: StatsFilter, l: FilterLookups): FilterChip[] {
  const { t } = l
  const out: FilterChip[] = []
  if (f.from) out.push({ id: 'from', label: t('summary.chips.from', { d: f.from }), removals: [['from']] })
  if (f.to) out.push({ id: 'to', label: t('summary.chips.to', { d: f.to }), removals: [['to']] })
  if (f.week) out.push({ id: 'week', label: t('summary.chips.week', { w: Number(f.week.slice(6)), y: f.week.slice(0, 4) }), removals: [['week']] })
  for (const c of f.category ?? []) out.push({ id: `category-${c}`, label: t('summary.chips.category', { c: l.categoryLabel(c) }), removals: [['category', c]] })
  for (const o of f.org ?? []) out.push({ id: `org-${o}`, label: t('summary.chips.org', { o: l.orgName(o) }), removals: [['org', o]] })
  for (const d of f.weekday ?? []) out.push({ id: `weekday-${d}`, label: t(`summary.weekdays.${d}`), removals: [['weekday', d]] })
  if (f.hourFrom !== undefined || f.hourTo !== undefined) {
    out.push({ id: 'hours', label: t('summary.chips.hours', { from: hh(f.hourFrom ?? 0), to: hh(f.hourTo ?? 23) }), removals: [['hourFrom'], ['hourTo']] })
  }
  if (f.place !== undefined) {
    const name = l.placeName(f.place) ?? t('summary.chips.unknownPlace', { id: f.place })
    const label = f.radius !== undefined ? t('summary.chips.placeRadius', { p: name, d: distanceLabel(f.radius) }) : t('summary.chips.place', { p: name })
    out.push({ id: 'place', label, removals: [['place'], ['radius']] })
  }
  if (f.bbox) out.push({ id: 'bbox', label: l.hasPolygon ? t('summary.chips.polygon') : t('summary.chips.box'), removals: [['bbox']] })
  return out
}
