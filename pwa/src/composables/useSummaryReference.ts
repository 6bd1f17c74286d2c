import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Category, Place } from '@lagesbild/domain'
import { api } from '@/api/client'
import { loadClientConfig } from './useClientConfig'

/**
 * Categories (labels by locale) and places for the summary, from the server: analysts do not pull the
 * capture reference data to their device.
 */
export function useSummaryReference() {
  const { locale } = useI18n()
  const categories = ref<Category[]>([])
  const places = ref<Place[]>([])
  const timeZone = ref('Europe/Stockholm')
  const loaded = ref(false)
  const failed = ref(false)

  async function load() {
    failed.value = false
    try {
      const [reference, config] = await Promise.all([
        api<{ categories: Category[]; places: Place[] }>('/reference'),
        loadClientConfig(),
      ])
      categories.value = [...reference.categories].sort((a, b) => a.sort - b.sort)
      places.value = reference.places
      timeZone.value = config.timeZone
      loaded.value = true
    } catch {
      failed.value = true
    }
  }

  const categoryLabel = (code: string): string => {
    const c = categories.value.find(x => x.code === code)
    return c ? (locale.value === 'en' ? c.labelEn : c.labelSv) : code
  }
  const placeName = (id: number): string | null => places.value.find(p => p.id === id)?.name ?? null
  const activePlaces = computed(() => places.value.filter(p => p.active).sort((a, b) => a.name.localeCompare(b.name, 'sv')))

  return { categories, places, activePlaces, timeZone, loaded, failed, load, categoryLabel, placeName }
}
