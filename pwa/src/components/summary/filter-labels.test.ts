import { describe, expect, it } from 'vitest'
import type { StatsFilter } from '@lagesbild/domain'
import { activeFilterCount } from '@/composables/summary-filter'
import { filterChips } from './filter-labels'

const lookups = {
  t: (key: string, values?: Record<string, unknown>) => `${key}${values ? JSON.stringify(values) : ''}`,
  categoryLabel: (code: string) => code.toUpperCase(),
  orgName: (id: number) => `org${id}`,
  placeName: (id: number) => (id === 7 ? 'Stortorget' : null),
  hasPolygon: true,
}

describe('filterChips', () => {
  const filter: StatsFilter = {
    from: '2026-11-02', week: '2026-W48', category: ['drugs', 'gathering'], org: [3], weekday: [5],
    hourFrom: 22, bbox: [12.69, 56.04, 12.71, 56.05], place: 7, radius: 500,
  }

  it('makes one chip per value, as many as the filter bar counts', () => {
    const chips = filterChips(filter, lookups)
    expect(chips.map(c => c.id)).toEqual(['from', 'week', 'category-drugs', 'category-gathering', 'org-3', 'weekday-5', 'hours', 'place', 'bbox'])
    expect(chips.length).toBe(activeFilterCount(filter))
  })

  it('names what each chip filters and says what removing it takes away', () => {
    const byId = Object.fromEntries(filterChips(filter, lookups).map(c => [c.id, c]))
    expect(byId['category-drugs']!.label).toBe('summary.chips.category{"c":"DRUGS"}')
    expect(byId.hours!.label).toBe('summary.chips.hours{"from":"22","to":"23"}')
    expect(byId.hours!.removals).toEqual([['hourFrom'], ['hourTo']])
    expect(byId.place!.label).toBe('summary.chips.placeRadius{"p":"Stortorget","d":"500 m"}')
    expect(byId.place!.removals).toEqual([['place'], ['radius']])
    expect(byId.week!.label).toBe('summary.chips.week{"w":48,"y":"2026"}')
    expect(byId.bbox!.label).toBe('summary.chips.polygon')
  })
})
