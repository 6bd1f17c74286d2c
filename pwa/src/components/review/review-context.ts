import { computed, inject, provide, ref, type InjectionKey, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Category, Place } from '@lagesbild/domain'
import { api } from '@/api/client'
import { useClientConfig } from '@/composables/useClientConfig'
import { formatInstant } from './format'

/** Which decision form is open in the actions pane. */
export type ActionMode = 'reject' | 'needs_info' | 'merge' | null

/** Reference data and formatting that every part of the review desk shares. */
export interface ReviewContext {
  categories: Ref<Category[]>
  places: Ref<Place[]>
  tileUrl: Readonly<Ref<string>>
  timeZone: Readonly<Ref<string>>
  categoryLabel(code: string): string
  placeName(id: number | null | undefined): string | null
  formatTime(iso: string): string
}

const KEY: InjectionKey<ReviewContext> = Symbol('review-context')

/** Made once by the review page: loads categories and places from the server and provides them below. */
export function provideReviewContext(): ReviewContext & { load(): Promise<void> } {
  const { locale } = useI18n()
  const config = useClientConfig()
  const categories = ref<Category[]>([])
  const places = ref<Place[]>([])
  const tileUrl = computed(() => config.value.tileUrl)
  const timeZone = computed(() => config.value.timeZone)

  async function load() {
    const reference = await api<{ categories: Category[]; places: Place[] }>('/reference')
    categories.value = [...reference.categories].sort((a, b) => a.sort - b.sort)
    places.value = [...reference.places].sort((a, b) => a.name.localeCompare(b.name, 'sv'))
  }

  const context: ReviewContext = {
    categories, places, tileUrl, timeZone,
    categoryLabel(code) {
      const c = categories.value.find(x => x.code === code)
      return c ? (locale.value === 'en' ? c.labelEn : c.labelSv) : code
    },
    placeName: id => (id === null || id === undefined ? null : (places.value.find(p => p.id === id)?.name ?? null)),
    formatTime: iso => formatInstant(iso, locale.value, timeZone.value),
  }
  provide(KEY, context)
  return { ...context, load }
}

export function useReviewContext(): ReviewContext {
  const context = inject(KEY)
  if (!context) throw new Error('useReviewContext needs provideReviewContext in the review page')
  return context
}
