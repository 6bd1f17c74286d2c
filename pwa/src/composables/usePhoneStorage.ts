import { ref } from 'vue'

/** Whether the browser promised to keep this site's data (null: unknown, the browser cannot say). */
const persisted = ref<boolean | null>(null)
const estimate = ref<{ usage: number; quota: number } | null>(null)

export async function checkStorage(): Promise<void> {
  persisted.value = (await navigator.storage?.persisted?.()) ?? null
  const e = await navigator.storage?.estimate?.()
  estimate.value = e?.quota ? { usage: e.usage ?? 0, quota: e.quota } : null
}

/** Asks the browser to keep the data (at the first save; Chromium grants it to installed apps). */
export async function askPersistentStorage(): Promise<boolean | null> {
  persisted.value = (await navigator.storage?.persist?.()) ?? null
  return persisted.value
}

/** The phone's storage as the browser reports it; call checkStorage() to refresh. */
export function usePhoneStorage() {
  return { persisted, estimate }
}
