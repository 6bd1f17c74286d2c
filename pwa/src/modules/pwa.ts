import { ref } from 'vue'
import { registerSW } from 'virtual:pwa-register'

/** A new version is waiting; the user decides when to take it (registerType: 'prompt'). */
export const updateReady = ref(false)
export const offlineReady = ref(false)

type Flush = () => Promise<void>
const flushers = new Set<Flush>()

/** Pages with unsaved input register here so an update never reloads over it. Returns the unregister function. */
export function beforeUpdate(flush: Flush): () => void {
  flushers.add(flush)
  return () => flushers.delete(flush)
}

let update: ((reload?: boolean) => Promise<void>) | null = null

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  update = registerSW({
    immediate: true,
    onNeedRefresh: () => { updateReady.value = true },
    onOfflineReady: () => { offlineReady.value = true },
  })
}

/** Saves every open draft, then activates the waiting service worker, which reloads the page. */
export async function applyUpdate(): Promise<void> {
  await Promise.all([...flushers].map(f => f()))
  await update?.(true)
}
