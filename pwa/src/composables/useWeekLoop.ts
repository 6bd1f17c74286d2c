import { computed, onScopeDispose, ref, watch } from 'vue'
import { liveQuery } from 'dexie'
import { sortByDistance } from '@lagesbild/domain/geo'
import { database } from '@/db/database'
import { actionKey } from '@/db/loop'
import type { ActionStatus, LoopItem } from '@/db/types'
import { useSessionStore } from '@/stores/session'
import type { HotSpot } from '@lagesbild/domain'
import { shapeCentre } from './hot-spot-area'
import { useReference } from './useReference'

export interface WeekHotSpot {
  index: number
  spot: HotSpot
  /** The place's name or the drawn area's label; else the named place nearest the area (`near`). */
  name: string | null
  near: string | null
  /** Our organisation is responsible for the action here. */
  ours: boolean
  status: ActionStatus
  comment: string
  /** Where the latest status stands: as pulled from the server, or marked on this phone (local → sent). */
  state: 'server' | LoopItem['state']
  reason?: string
  visits: LoopItem[]
}

/** This week's hot-spots on this phone, with our actions' status and our visits as this phone knows them. */
export function useWeekLoop() {
  const session = useSessionStore()
  const reference = useReference()
  const items = ref<LoopItem[]>([])

  let sub: { unsubscribe(): void } | null = null
  watch(() => session.me?.id, id => {
    sub?.unsubscribe()
    if (id === undefined) return
    sub = liveQuery(() => database().loop.where('ownerId').equals(id).toArray()).subscribe({ next: rows => { items.value = rows } })
  }, { immediate: true })
  onScopeDispose(() => sub?.unsubscribe())

  const hotSpots = computed<WeekHotSpot[]>(() => {
    const week = reference.thisWeek.value
    if (!week) return []
    const orgId = session.me?.organisation.id
    return week.hotSpots.map(spot => {
      const index = spot.index
      const name = reference.placeName(spot.placeId) ?? spot.label ?? null
      const near = !name && spot.shape ? (sortByDistance(reference.places.value, shapeCentre(spot.shape))[0]?.name ?? null) : null
      const local = orgId === undefined ? undefined : items.value.find(i => i.key === actionKey(session.me!.id, week.isoWeek, index))
      return {
        index, spot, name, near,
        ours: orgId !== undefined && spot.responsibleOrgId === orgId,
        status: local?.status ?? spot.actionStatus ?? 'planned',
        comment: local ? (local.comment ?? '') : (spot.actionComment ?? ''),
        state: local?.state ?? 'server',
        ...(local?.reason ? { reason: local.reason } : {}),
        visits: items.value.filter(i => i.kind === 'visit' && i.week === week.isoWeek && i.hotSpot === index).sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '')),
      }
    })
  })

  return { week: computed(() => reference.thisWeek.value?.isoWeek ?? null), hotSpots, reference }
}
