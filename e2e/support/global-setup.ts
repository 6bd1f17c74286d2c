import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  // serverArgs: `node ...serverArgs` runs the server's production build (sync-server/test/global-setup.ts).
  export interface ProvidedContext { staticDir: string; serverArgs: string[] }
}

/**
 * Builds the PWA once before the browser tests, as `npm start` would, so they run against the real
 * production bundle and its service worker. Each run builds into its own folder, so runs never clash.
 */
export default function setup(project: TestProject): () => void {
  if (!existsSync('/usr/bin/chromium')) throw new Error('the browser tests need /usr/bin/chromium (apt-get install -y chromium)')
  const outDir = mkdtempSync(join(tmpdir(), 'lagesbild-dist-'))
  const r = spawnSync('npx', ['vite', 'build', '--config', 'pwa/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('building the PWA failed')
  project.provide('staticDir', outDir)
  return () => rmSync(outDir, { recursive: true, force: true })
}
