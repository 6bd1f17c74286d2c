import { onScopeDispose, ref } from 'vue'

export interface Fix { lat: number; lon: number; accuracyM: number; at: number }

/** The phone's position while a page needs it; the watch ends with the page. */
export function useGeolocation() {
  const fix = ref<Fix | null>(null)
  const error = ref<'denied' | 'unavailable' | null>(null)
  let watchId: number | null = null

  function start() {
    if (watchId !== null) return
    if (!('geolocation' in navigator)) { error.value = 'unavailable'; return }
    watchId = navigator.geolocation.watchPosition(
      p => {
        fix.value = { lat: p.coords.latitude, lon: p.coords.longitude, accuracyM: Math.round(p.coords.accuracy), at: p.timestamp }
        error.value = null
      },
      e => { error.value = e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable' },
      { enableHighAccuracy: true, maximumAge: 60_000, timeout: 20_000 },
    )
  }

  function stop() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId)
    watchId = null
  }

  onScopeDispose(stop)
  return { fix, error, start, stop }
}
