import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { statsFilterToSearchParams, type StatsFilter } from '@lagesbild/domain'
import { AREA_KEY, activeFilterCount, boundsOf, readFilter, readPolygon, toRouteQuery, withoutFilter, type FilterKey, type Lonlat } from './summary-filter'

/**
 * The summary's filter lives in the URL, so a filtered view can be bookmarked, shared and reloaded.
 * Every change is a navigation: the back button undoes the last filter.
 */
export function useSummaryFilters() {
  const route = useRoute()
  const router = useRouter()

  const parsed = computed(() => readFilter(route.query))
  const filter = computed<StatsFilter>(() => parsed.value.filter)
  const dropped = computed(() => parsed.value.dropped)
  const polygon = computed(() => readPolygon(route.query[AREA_KEY], filter.value.bbox))
  /** The filter as the API and the exports take it. */
  const apiQuery = computed(() => statsFilterToSearchParams(filter.value).toString())
  const count = computed(() => activeFilterCount(filter.value))

  function apply(next: StatsFilter, nextPolygon: Lonlat[] | null = next.bbox === filter.value.bbox ? polygon.value : null) {
    return router.push({ query: toRouteQuery(next, nextPolygon) })
  }
  const patch = (changes: Partial<StatsFilter>) => apply({ ...filter.value, ...changes })
  /** Removes whole keys or single values of repeatable keys, as one navigation. */
  function remove(removals: Array<[FilterKey, (string | number)?]>) {
    const next = removals.reduce((f, [key, value]) => withoutFilter(f, key, value), filter.value)
    return apply(next, next.bbox ? polygon.value : null)
  }
  const clear = () => apply({}, null)

  /** A drawn box, a drawn polygon (filtered by its bounding box) or nothing. */
  function setArea(area: { bbox: StatsFilter['bbox']; polygon?: Lonlat[] } | null) {
    if (!area) return apply({ ...filter.value, bbox: undefined }, null)
    const shape = area.polygon && area.polygon.length >= 3 ? area.polygon : null
    return apply({ ...filter.value, bbox: shape ? boundsOf(shape) : area.bbox }, shape)
  }

  return { filter, dropped, polygon, apiQuery, count, apply, patch, remove, clear, setArea }
}
