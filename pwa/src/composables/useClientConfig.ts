import { ref } from 'vue'
import { api } from '@/api/client'

export interface ClientConfig { tileUrl: string; timeZone: string }
const KEY = 'lagesbild.config'
const DEFAULTS: ClientConfig = { tileUrl: '', timeZone: 'Europe/Stockholm' }

function cached(): ClientConfig {
  try { return { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<ClientConfig>) } } catch { return DEFAULTS }
}

const config = ref<ClientConfig>(cached())
let loading: Promise<void> | null = null

/** The server's settings for the app (map tiles, time zone), remembered for offline starts. */
export function useClientConfig() {
  loading ??= api<ClientConfig>('/config').then(
    c => { config.value = c; localStorage.setItem(KEY, JSON.stringify(c)) },
    () => { loading = null }, // offline: keep the remembered values and ask again next time
  )
  return config
}
