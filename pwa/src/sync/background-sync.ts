/** The tag the service worker's `sync` event carries (see pwa/service-worker/background-sync.js). */
export const SYNC_TAG = 'lagesbild-outbox'
const MESSAGE = 'lagesbild:sync'

interface SyncRegistration { sync?: { register(tag: string): Promise<void> } }

/**
 * Asks the browser (Chromium has Background Sync) to wake the service worker once the connection is back,
 * an extra on top of the app's own triggers. Elsewhere it does nothing.
 */
export async function askForBackgroundSync(): Promise<void> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return
  try {
    const registration = (await navigator.serviceWorker.getRegistration()) as (ServiceWorkerRegistration & SyncRegistration) | undefined
    await registration?.sync?.register(SYNC_TAG)
  } catch {
    // Not allowed here (no permission, an incognito window): the app's own triggers remain.
  }
}

/** The service worker's `sync` event asks an open page to flush; `flush` answers whether the outbox got through. */
export function onBackgroundSync(flush: () => Promise<boolean>): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return
  navigator.serviceWorker.addEventListener('message', event => {
    const data = event.data as { type?: string } | null
    if (data?.type !== MESSAGE) return
    const reply = event.ports[0]
    void flush().then(ok => reply?.postMessage({ ok }), () => reply?.postMessage({ ok: false }))
  })
}
