// First-pull bytes (issue 10): what a phone downloads for 500 of its reports on the first pull, as sent over the
// wire — identity, gzip and Brotli — with the page size the PWA's engine uses. The first page carries the
// reference data (categories, places, this week's priorities) too, so both the first and a later page are
// measured. Budget: a page of 500 reports ≤ 60 KB as the phone receives it (Brotli, as Chromium asks for it).
import { readFileSync } from 'node:fs'
import { testServer } from '../sync-server/test/support.ts'
import { createOp, newDraft, pushApplied } from '../sync-server/test/sync-ops.ts'
import { machine, writeResult } from './support.ts'

const REPORTS = 1000
const BUDGET_BYTES = 60 * 1024
const BROWSER_ACCEPT = 'gzip, deflate, br, zstd'

const engine = readFileSync(new URL('../pwa/src/sync/engine.ts', import.meta.url), 'utf8')
const PAGE = Number(/export const PULL_PAGE = (\d+)/.exec(engine)?.[1])
if (!PAGE) throw new Error('PULL_PAGE not found in pwa/src/sync/engine.ts')

// Seeded, so every run pulls the same bytes: positions spread over the city as GPS fixes are, free text of
// varied length, some reports with people involved and a place.
let seed = 20261201
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const WHAT = ['Ungdomar samlas vid entrén och det är stökigt', 'Klotter på väggen mot parkeringen', 'Sopor utspridda runt busshållplatsen',
  'Krossad ruta i väntsalen', 'Person som verkar påverkad sover i trappan', 'Bråk mellan två personer, lugnt när vi kom', 'Cyklar bortslängda i rabatten']
const CATEGORIES = ['gathering', 'graffiti', 'littering', 'vandalism', 'disorder', 'drugs', 'theft']

const s = await testServer()
const { cookie } = await s.signIn('vakt1', ['reporter'])
const now = Date.now()
for (let i = 0; i < REPORTS; i += 50) {
  await pushApplied(s, cookie, Array.from({ length: 50 }, (_, j) => {
    const n = i + j
    const words = WHAT[n % WHAT.length]!
    return createOp(newDraft({
      category: CATEGORIES[Math.floor(random() * CATEGORIES.length)]!,
      description: random() < 0.2 ? '' : `${words}${random() < 0.5 ? `. ${WHAT[Math.floor(random() * WHAT.length)]!.toLowerCase()}` : ''}`,
      location: { lat: 56.03 + random() * 0.04, lon: 12.68 + random() * 0.05, accuracyM: Math.round(5 + random() * 40), source: 'gps' },
      ...(random() < 0.4 ? { placeId: 1 + Math.floor(random() * 20) } : {}),
      ...(random() < 0.3 ? { peopleInvolved: 1 + Math.floor(random() * 8) } : {}),
    }, now - n * 600_000))
  }))
}

async function page(cursor: number, accept: string | null): Promise<{ bytes: number; encoding: string; nextCursor: number; changes: number }> {
  const res = await s.request('GET', `/api/sync/pull?cursor=${cursor}&limit=${PAGE}`, { cookie, headers: accept ? { 'accept-encoding': accept } : {} })
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status !== 200) throw new Error(`pull failed: ${res.status}`)
  const encoding = res.headers.get('content-encoding') ?? 'identity'
  const plain = accept ? null : (JSON.parse(body.toString()) as { nextCursor: number; changes: unknown[] })
  return { bytes: body.length, encoding, nextCursor: plain?.nextCursor ?? 0, changes: plain?.changes.length ?? 0 }
}

const rows: { page: string; changes: number; identity: number; gzip: number; br: number }[] = []
let cursor = 0
for (const name of ['first (with reference data)', 'second']) {
  const plain = await page(cursor, null)
  const gz = await page(cursor, 'gzip')
  const br = await page(cursor, BROWSER_ACCEPT)
  if (gz.encoding !== 'gzip' || br.encoding !== 'br') throw new Error(`expected gzip and br, got ${gz.encoding} and ${br.encoding}`)
  rows.push({ page: name, changes: plain.changes, identity: plain.bytes, gzip: gz.bytes, br: br.bytes })
  cursor = plain.nextCursor
}
s.close()

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
for (const r of rows) {
  console.log(`${r.page} page, ${r.changes} reports: ${kb(r.identity)} identity → ${kb(r.gzip)} gzip (${(100 * r.gzip / r.identity).toFixed(0)} %), ${kb(r.br)} Brotli (${(100 * r.br / r.identity).toFixed(0)} %)`)
}
const worst = Math.max(...rows.map(r => r.br))
const pass = rows.every(r => r.changes === PAGE) && worst <= BUDGET_BYTES
console.log(`first-pull bytes per ${PAGE} reports, as a browser receives them: ${kb(worst)} at most (budget ≤ ${kb(BUDGET_BYTES)}) — ${pass ? 'within budget' : 'MISSED'}`)
writeResult('pull-bytes', { pageSize: PAGE, rows, worstBrotliBytes: worst, budgetBytes: BUDGET_BYTES, machine: machine(), pass })
process.exitCode = pass ? 0 : 1
