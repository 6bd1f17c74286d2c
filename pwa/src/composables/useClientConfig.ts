import { ref } from 'vue'
import { api } from '@/api/client'
import { afterFirstPaint } from '@/modules/startup'

export interface ClientConfig { tileUrl: string; timeZone: string }
const KEY = 'lagesbild.config'
const DEFAULTS: ClientConfig = { tileUrl: '', timeZone: 'Europe/Stockholm' }

function remembered(): ClientConfig {
  try { return { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<ClientConfig>) } } catch { return DEFAULTS }
}

const config = ref<ClientConfig>(remembered())
let loading: Promise<ClientConfig> | null = null

/**
 * GET /api/config once per page load: the map's tile URL and the municipality's time zone. Offline, the
 * values remembered from the last visit answer instead, and the next call asks again.
 */
export function loadClientConfig(): Promise<ClientConfig> {
  loading ??= api<ClientConfig>('/config').then(
    c => { config.value = c; localStorage.setItem(KEY, JSON.stringify(c)); return c },
    () => { loading = null; return config.value },
  )
  return loading
}

/**
 * The configuration as a ref that updates when the server has answered. The remembered values serve the
 * first screen; asking the server waits until it is painted.
 */
export function useClientConfig() {
  afterFirstPaint(() => void loadClientConfig())
  return config
}
