import { computed, onScopeDispose, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { liveQuery } from 'dexie'
import { DEFAULT_CATEGORIES } from '@lagesbild/domain/categories'
import { localParts } from '@lagesbild/domain/local-time'
import type { Category, Place, WeeklyPriority } from '@lagesbild/domain'
import { database } from '@/db/database'
import { useSessionStore } from '@/stores/session'
import { useClientConfig } from './useClientConfig'

/**
 * Categories, places and this week's priorities as last pulled to this device. Before the first pull the
 * bundled default categories stand in, so the form works from the very first offline start.
 */
export function useReference() {
  const session = useSessionStore()
  const { locale } = useI18n()
  const categories = ref<Category[]>(DEFAULT_CATEGORIES)
  const places = ref<Place[]>([])
  const priorities = ref<WeeklyPriority[]>([])

  let sub: { unsubscribe(): void } | null = null
  watch(() => session.me?.id, id => {
    sub?.unsubscribe()
    if (id === undefined) return
    sub = liveQuery(() => database().reference.get(id)).subscribe({
      next: ref => {
        if (!ref) return
        categories.value = ref.categories
        places.value = ref.places.filter(p => p.active)
        priorities.value = ref.priorities
      },
    })
  }, { immediate: true })
  onScopeDispose(() => sub?.unsubscribe())

  const config = useClientConfig()
  const thisWeek = computed(() => {
    // The week needs the municipality's clock (Intl with a time zone, whose first use costs tens of ms on a
    // slow phone): not before there are priorities to look up, so the first screen never pays for it.
    if (!priorities.value.length) return null
    const week = localParts(Date.now(), config.value.timeZone).isoWeek
    return priorities.value.find(p => p.isoWeek === week) ?? null
  })

  const activeCategories = computed(() => {
    const focus = thisWeek.value?.focusCategories ?? []
    return categories.value
      .filter(c => c.active)
      .sort((a, b) => Number(focus.includes(b.code)) - Number(focus.includes(a.code)) || a.sort - b.sort)
  })

  function categoryLabel(code: string): string {
    const c = categories.value.find(x => x.code === code)
    if (!c) return code
    return locale.value === 'en' ? c.labelEn : c.labelSv
  }
  function categoryHint(code: string): string {
    const c = categories.value.find(x => x.code === code)
    if (!c) return ''
    return locale.value === 'en' ? c.hintEn : c.hintSv
  }
  function placeName(id: number | undefined): string | null {
    return id === undefined ? null : (places.value.find(p => p.id === id)?.name ?? null)
  }

  return { categories, activeCategories, places, priorities, thisWeek, categoryLabel, categoryHint, placeName }
}
