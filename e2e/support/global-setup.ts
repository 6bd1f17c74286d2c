import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Builds the PWA once before the browser tests, as `npm start` would, so they run against the real
 * production bundle and its service worker.
 */
export default function setup(): void {
  if (!existsSync('/usr/bin/chromium')) throw new Error('the browser tests need /usr/bin/chromium (apt-get install -y chromium)')
  const r = spawnSync('npm', ['run', 'build', '-w', 'pwa'], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('building the PWA failed')
}
