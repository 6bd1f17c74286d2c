import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { liveQuery, type Subscription } from 'dexie'
import { database, withDb } from '@/db/database'
import type { OutboxEntry } from '@/db/types'
import { askForBackgroundSync, onBackgroundSync } from '@/sync/background-sync'
import type { SyncOutcome } from '@/sync/engine'
import { createScheduler } from '@/sync/scheduler'
import { countUnsent, isReportEntry, NOTHING_UNSENT, unsentTotal, type Unsent } from '@/sync/unsent'
import { useSessionStore } from './session'

export type SyncState = 'idle' | 'syncing' | 'offline' | 'weak' | 'error' | 'expired'

/**
 * The UI's view of sync: what is unsent (reports, and the loop's actions and visits; always visible), which
 * report ops were rejected and why, when the last sync was, and the triggers that start one.
 */
export const useSyncStore = defineStore('sync', () => {
  const session = useSessionStore()
  const outbox = ref<OutboxEntry[]>([])
  /** False until the device's outbox has been read: until then the phone must not claim "all sent". */
  const outboxKnown = ref(false)
  /** Other users' unsent items on this phone (a shared phone): they wait for that user to sign in again. */
  const othersWaiting = ref<Unsent>(NOTHING_UNSENT)
  const lastSyncAt = ref<number | null>(null)
  const state = ref<SyncState>('idle')
  const lastError = ref('')
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine)
  /** The last request timed out: the link is up but passes (almost) nothing; true until a sync gets through. */
  const weak = ref(false)
  let backgroundSyncAskedAt = 0

  const unsent = computed(() => countUnsent(outbox.value))
  const unsentCount = computed(() => unsentTotal(unsent.value))
  // Reports only: the notice links to "my reports"; a rejected action or visit says so on its own item.
  const rejected = computed(() => outbox.value.filter(o => o.state === 'rejected' && isReportEntry(o)))

  let subscription: Subscription | null = null
  const scheduler = createScheduler({
    run: async () => {
      const me = session.me
      if (!me) return { ok: false, failure: 'unauthenticated', message: 'signed out', pushed: 0 } satisfies SyncOutcome
      state.value = 'syncing'
      // The engine comes with the first sync, which waits for the first screen anyway (modules/startup):
      // the capture route's first bytes stay small. It is precached like the rest of the phone's code.
      const [{ syncOnce }, { httpTransport }] = await Promise.all([import('@/sync/engine'), import('@/sync/transport')])
      return withDb(db => syncOnce(db, httpTransport, me.id))
    },
    onOutcome: outcome => {
      if (outcome.ok) {
        state.value = 'idle'
        weak.value = false
        lastError.value = ''
        lastSyncAt.value = Date.now()
      } else {
        state.value = outcome.failure === 'network' ? 'offline' : outcome.failure === 'timeout' ? 'weak' : outcome.failure === 'unauthenticated' ? 'expired' : 'error'
        weak.value = outcome.failure === 'timeout'
        lastError.value = outcome.message
        // An extra wake-up when the connection is back (Chromium); at most once a minute, so it never outruns the backoff.
        if (outcome.failure === 'network' && outbox.value.length && Date.now() - backgroundSyncAskedAt > 60_000) {
          backgroundSyncAskedAt = Date.now()
          void askForBackgroundSync()
        }
        if (outcome.failure === 'unauthenticated' && session.me) session.expired = true
      }
    },
  })

  function watchOutbox(ownerId: number) {
    subscription?.unsubscribe()
    subscription = liveQuery(async () => {
      const all = await database().outbox.toArray()
      return { mine: all.filter(o => o.ownerId === ownerId), others: countUnsent(all.filter(o => o.ownerId !== ownerId)) }
    }).subscribe({
      next: ({ mine, others }) => { outbox.value = mine; othersWaiting.value = others; outboxKnown.value = true },
      error: err => { lastError.value = String(err) },
    })
    void withDb(db => db.meta.get(ownerId)).then(meta => { lastSyncAt.value = meta?.lastSyncAt ?? null })
  }

  let started = false
  /** Wires the triggers once: start, online, back to the app, and the scheduler's own timer. */
  function start() {
    if (started) return
    started = true
    window.addEventListener('online', () => { online.value = true; syncNow() })
    window.addEventListener('offline', () => { online.value = false; state.value = 'offline' })
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') syncNow() })
    onBackgroundSync(async () => {
      if (!session.me || session.expired || session.me.mustChangePassword || session.me.mustEnrolSecondFactor) return false
      await scheduler.request()
      return state.value === 'idle'
    })
    // Only field roles have an outbox and a pull feed; a pending password change or second-factor
    // enrolment blocks them on the server.
    const syncingUser = () => {
      const me = session.me
      return me && !me.mustChangePassword && !me.mustEnrolSecondFactor && me.roles.some(r => r === 'reporter' || r === 'reviewer') ? me.id : undefined
    }
    watch(() => [syncingUser(), session.expired] as const, ([id, expired]) => {
      if (id === undefined) { subscription?.unsubscribe(); outbox.value = []; outboxKnown.value = false; scheduler.stop(); return }
      watchOutbox(id)
      if (expired) { state.value = 'expired'; scheduler.stop() } else scheduler.resume()
    }, { immediate: true })
  }

  /** After a write, or when the user asks. */
  function syncNow() {
    if (session.me && !session.expired && !session.me.mustChangePassword && !session.me.mustEnrolSecondFactor) void scheduler.request()
  }

  return { outbox, outboxKnown, unsent, unsentCount, rejected, othersWaiting, lastSyncAt, state, weak, lastError, online, start, syncNow }
})
