// First pull (DESIGN.md budget): a phone signing in for the first time pulls its 5,000 reports, every page until
// hasMore is false, with the page size the PWA's sync engine asks for — at most 2 s. Measured through the app
// (app.request, as the push bench) and over a real HTTP connection on localhost, each a median of several runs.
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import type { PullResponse } from '@lagesbild/domain'
import { testServer, type TestServer } from '../sync-server/test/support.ts'
import { createOp, newDraft, pushApplied } from '../sync-server/test/sync-ops.ts'
import { machine, median, writeResult } from './support.ts'

const REPORTS = 5000
const RUNS = 7
const BUDGET_MS = 2000

// The page size the PWA uses, read from its engine so the two cannot drift apart (importing the engine would
// pull Dexie and the app's path aliases into a plain Node process).
const engine = readFileSync(new URL('../pwa/src/sync/engine.ts', import.meta.url), 'utf8')
const PAGE = Number(/export const PULL_PAGE = (\d+)/.exec(engine)?.[1])
if (!PAGE) throw new Error('PULL_PAGE not found in pwa/src/sync/engine.ts')

async function seed(s: TestServer): Promise<string> {
  const { cookie } = await s.signIn('vakt1', ['reporter'])
  const now = Date.now()
  for (let i = 0; i < REPORTS; i += 50) {
    await pushApplied(s, cookie, Array.from({ length: 50 }, (_, j) => createOp(newDraft({
      description: `Rapport ${i + j}: ungdomar samlas vid entrén och det är stökigt`, placeId: 1 + ((i + j) % 20), peopleInvolved: (i + j) % 7,
    }, now - (i + j) * 600_000))))
  }
  return cookie
}

/** Every page from cursor 0 until hasMore is false; returns the milliseconds and checks that all reports came. */
async function firstPull(get: (cursor: number) => Promise<PullResponse>): Promise<{ ms: number; pages: number }> {
  const t0 = performance.now()
  let cursor = 0, pages = 0, reports = 0
  for (;;) {
    const page = await get(cursor)
    pages++
    reports += page.changes.length
    cursor = page.nextCursor
    if (!page.hasMore) break
  }
  const ms = performance.now() - t0
  if (reports !== REPORTS) throw new Error(`pulled ${reports} reports, expected ${REPORTS}`)
  return { ms, pages }
}

const s = await testServer()
const cookie = await seed(s)
const viaApp = async (cursor: number) => (await s.request('GET', `/api/sync/pull?cursor=${cursor}&limit=${PAGE}`, { cookie })).json() as Promise<PullResponse>
const server = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' })
await new Promise(resolve => server.once('listening', resolve))
const address = server.address()
if (!address || typeof address === 'string') throw new Error('no port')
// The app checks the origin only on writes; a GET needs just the cookie.
const viaHttp = async (cursor: number) => (await fetch(`http://localhost:${address.port}/api/sync/pull?cursor=${cursor}&limit=${PAGE}`, { headers: { cookie } })).json() as Promise<PullResponse>

const runs: Record<'app' | 'http', number[]> = { app: [], http: [] }
let pages = 0
await firstPull(viaApp) // warm-up
for (let i = 0; i < RUNS; i++) {
  for (const [name, get] of [['app', viaApp], ['http', viaHttp]] as const) {
    globalThis.gc?.()
    const r = await firstPull(get)
    runs[name].push(r.ms)
    pages = r.pages
  }
}
server.close()
s.close()

const result = { appMs: median(runs.app), httpMs: median(runs.http) }
const pass = Math.max(result.appMs, result.httpMs) <= BUDGET_MS
console.log(`first pull of ${REPORTS} reports in ${pages} pages of ${PAGE}: median ${result.appMs.toFixed(0)} ms through the app, ${result.httpMs.toFixed(0)} ms over HTTP on localhost (budget ≤ ${BUDGET_MS} ms) — ${pass ? 'within budget' : 'MISSED'}`)
console.log(`  runs (app): ${runs.app.map(ms => ms.toFixed(0)).join(', ')} ms; runs (http): ${runs.http.map(ms => ms.toFixed(0)).join(', ')} ms`)
writeResult('pull', { ...result, budgetMs: BUDGET_MS, reports: REPORTS, pageSize: PAGE, pages, runs, machine: machine(), pass })
process.exitCode = pass ? 0 : 1
