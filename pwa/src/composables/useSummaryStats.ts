import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue'
import type { StatsByCategory, StatsByOrganisation, StatsChange, StatsHotspots, StatsPoints, StatsTrend, StatsWeekdayHour } from '@lagesbild/domain'
import { api, ApiCallError } from '@/api/client'

export interface SummaryStats {
  categories: StatsByCategory
  organisations: StatsByOrganisation
  /** 52 weeks ending at the filter's end; the 12-week view is its tail. */
  trend: StatsTrend
  weekdayHour: StatsWeekdayHour
  hotspots: StatsHotspots
  change: StatsChange
  points: StatsPoints
}

/** The map shows at most this many of the newest points; it says so when there are more. */
export const MAP_POINT_LIMIT = 20_000

/**
 * Every aggregate of the summary for one filter (the API query string), fetched together. A newer filter
 * cancels the requests of an older one, so a slow answer never overwrites a newer view.
 */
export function useSummaryStats(apiQuery: Ref<string>) {
  const stats = shallowRef<SummaryStats | null>(null)
  const loading = ref(false)
  const error = ref<ApiCallError | null>(null)
  let controller: AbortController | null = null

  async function load() {
    controller?.abort()
    const current = new AbortController()
    controller = current
    loading.value = true
    error.value = null
    const q = apiQuery.value
    const get = <T>(path: string, extra: Record<string, number> = {}) =>
      api<T>(`/stats/${path}${q ? `?${q}` : ''}`, { query: extra, signal: current.signal })
    try {
      const [categories, organisations, trend, weekdayHour, hotspots, change, points] = await Promise.all([
        get<StatsByCategory>('categories'),
        get<StatsByOrganisation>('organisations'),
        get<StatsTrend>('trend', { weeks: 52 }),
        get<StatsWeekdayHour>('weekday-hour'),
        get<StatsHotspots>('hotspots', { limit: 10 }),
        get<StatsChange>('change'),
        get<StatsPoints>('points', { limit: MAP_POINT_LIMIT }),
      ])
      if (controller !== current) return
      stats.value = { categories, organisations, trend, weekdayHour, hotspots, change, points }
    } catch (err) {
      if (controller !== current) return
      error.value = err instanceof ApiCallError ? err : new ApiCallError(0, 'error', String(err))
    } finally {
      if (controller === current) loading.value = false
    }
  }

  watch(apiQuery, load, { immediate: true })
  onScopeDispose(() => controller?.abort())
  return { stats, loading, error, reload: load }
}
