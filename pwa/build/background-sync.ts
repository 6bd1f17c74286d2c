import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

/** Where the generated service worker finds the Background Sync handler (workbox `importScripts`). */
export const BACKGROUND_SYNC_SCRIPT = 'sw-background-sync.js'

/** Emits pwa/service-worker/background-sync.js into the build, for the service worker to import. */
export function backgroundSync(): Plugin {
  const source = fileURLToPath(new URL('../service-worker/background-sync.js', import.meta.url))
  return {
    name: 'lagesbild:background-sync',
    apply: 'build',
    buildStart() { this.addWatchFile(source) },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: BACKGROUND_SYNC_SCRIPT, source: readFileSync(source, 'utf8') })
    },
  }
}
