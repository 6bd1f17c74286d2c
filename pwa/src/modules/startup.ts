import { onMounted, ref, type Ref } from 'vue'

/**
 * Runs work once the first screen is painted and the browser is idle (or after `timeoutMs` at the latest):
 * the session check, the first sync (its first pull page is the largest JSON the phone parses) and the service
 * worker's install (which downloads the whole precache) must not compete with the category grid.
 */
export function afterFirstPaint(work: () => void, timeoutMs = 1500): void {
  requestAnimationFrame(() => setTimeout(() => {
    if ('requestIdleCallback' in window) requestIdleCallback(() => work(), { timeout: timeoutMs })
    else setTimeout(work, 0)
  }, 0))
}

/**
 * A flag that turns true once the component's first paint is done and the browser is idle: what can wait
 * (notices, the header's menu, the install offer) renders then, so it never stands between a guard and the grid.
 */
export function useAfterFirstPaint(): Ref<boolean> {
  const done = ref(false)
  onMounted(() => afterFirstPaint(() => { done.value = true }))
  return done
}
