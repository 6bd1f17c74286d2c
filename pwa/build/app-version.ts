import { execFileSync } from 'node:child_process'

/** What "about this phone" shows as the app's version: the build's date and, in a git checkout, its commit. */
export function appVersion(now = new Date()): string {
  const date = now.toISOString().slice(0, 16).replace('T', ' ')
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return `${date} UTC (${commit})`
  } catch {
    return `${date} UTC`
  }
}
