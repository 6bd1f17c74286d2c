// The capture route's initial JavaScript (DESIGN.md budget): the entry chunk plus everything it and the chunks
// of the routes '/' and '/report' (HomePage, ReportPage) import statically — at most 125 KB gzip, and no
// OpenLayers or ECharts module anywhere in that graph. Builds the PWA as `npm start` does, into a temp folder,
// and reads the chunk graph and each chunk's modules from the bundler itself.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'vite'
import { machine, writeResult } from './support.ts'

const BUDGET_GZIP_BYTES = 125 * 1024
const ROUTE_PAGES = ['pwa/src/pages/HomePage.vue', 'pwa/src/pages/ReportPage.vue']
const FORBIDDEN = [/\/node_modules\/ol\//, /\/node_modules\/echarts\//, /\/node_modules\/zrender\//]
const root = new URL('..', import.meta.url).pathname

interface Chunk { fileName: string; code: string; imports: string[]; isEntry: boolean; modules: Record<string, number> }

/** Notes every JavaScript chunk the app build writes: its static imports and its modules with their sizes. */
function collect(into: Map<string, Chunk>): Plugin {
  return {
    name: 'lagesbild-bench-chunks',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue
        const modules = Object.fromEntries(Object.entries(out.modules).map(([id, m]) => [id, m.renderedLength]))
        into.set(out.fileName, { fileName: out.fileName, code: out.code, imports: out.imports, isEntry: out.isEntry, modules })
      }
    },
  }
}

const chunks = new Map<string, Chunk>()
const outDir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-dist-'))
try {
  await build({ configFile: join(root, 'pwa/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true }, plugins: [collect(chunks)] })
} finally {
  rmSync(outDir, { recursive: true, force: true })
}

const cleanId = (id: string) => relative(root, id.replace(/^\0/, '').split('?')[0]!)
const entries = [...chunks.values()].filter(c => c.isEntry && Object.keys(c.modules).some(id => cleanId(id).startsWith('pwa/src/main.ts')))
if (entries.length !== 1) throw new Error(`expected one app entry chunk, found ${entries.length}`)
const routeChunks = ROUTE_PAGES.map(page => {
  const found = [...chunks.values()].filter(c => Object.keys(c.modules).some(id => cleanId(id) === page))
  if (found.length === 0) throw new Error(`no chunk holds ${page}`)
  return found
}).flat()

/** The starting chunks and everything they import statically, transitively. */
function closure(start: Chunk[]): Chunk[] {
  const seen = new Map<string, Chunk>()
  const visit = (c: Chunk) => {
    if (seen.has(c.fileName)) return
    seen.set(c.fileName, c)
    for (const f of c.imports) {
      const next = chunks.get(f)
      if (next) visit(next)
    }
  }
  start.forEach(visit)
  return [...seen.values()]
}

const graph = closure([...entries, ...routeChunks])
const sized = graph.map(c => ({ file: c.fileName, bytes: Buffer.byteLength(c.code), gzip: gzipSync(c.code, { level: 9 }).length, chunk: c }))
  .sort((a, b) => b.gzip - a.gzip)
const total = sized.reduce((sum, c) => sum + c.gzip, 0)
// The detector must see them where they belong (the lazily loaded map and charts), or it proves nothing.
for (const lib of [FORBIDDEN[0]!, FORBIDDEN[1]!]) {
  if (![...chunks.values()].some(c => Object.keys(c.modules).some(id => lib.test(id)))) throw new Error(`no chunk of the build holds ${lib}: the check is broken`)
}
const forbidden = graph.flatMap(c => Object.keys(c.modules).filter(id => FORBIDDEN.some(re => re.test(id))).map(id => `${c.fileName}: ${cleanId(id)}`))

console.log(`capture route (/ and /report), initial JavaScript: ${sized.length} chunks`)
for (const c of sized) {
  const heaviest = Object.entries(c.chunk.modules).sort((a, b) => b[1] - a[1]).slice(0, 4)
    .map(([id, n]) => `${cleanId(id).replace(/^node_modules\//, '')} ${(n / 1024).toFixed(1)} KB`).join(', ')
  console.log(`  ${(c.gzip / 1024).toFixed(1).padStart(6)} KB gzip ${(c.bytes / 1024).toFixed(1).padStart(7)} KB raw  ${c.file}${c.chunk.isEntry ? ' (entry)' : ''}`)
  console.log(`         heaviest modules (raw, before minifying the chunk): ${heaviest}`)
}
// Where the bytes come from: each chunk's gzip size shared out over its packages by their rendered length.
const packageOf = (id: string) => {
  const path = cleanId(id)
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  return nm ? nm[1]! : path.startsWith('pwa/src/') ? 'app (pwa/src)' : path.startsWith('packages/') ? 'packages/domain' : path
}
const byPackage = new Map<string, number>()
for (const c of sized) {
  const rendered = Object.values(c.chunk.modules).reduce((a, b) => a + b, 0) || 1
  for (const [id, n] of Object.entries(c.chunk.modules)) byPackage.set(packageOf(id), (byPackage.get(packageOf(id)) ?? 0) + c.gzip * n / rendered)
}
const packages = [...byPackage].sort((a, b) => b[1] - a[1])
console.log(`by package (gzip, shared out by rendered size): ${packages.slice(0, 10).map(([p, n]) => `${p} ${(n / 1024).toFixed(1)} KB`).join(', ')}`)
const pass = total <= BUDGET_GZIP_BYTES && forbidden.length === 0
console.log(`total ${(total / 1024).toFixed(1)} KB gzip (budget ≤ ${BUDGET_GZIP_BYTES / 1024} KB); OpenLayers or ECharts in the graph: ${forbidden.length ? forbidden.join('; ') : 'none'} — ${pass ? 'within budget' : 'MISSED'}`)
writeResult('capture-bundle', {
  gzipBytes: total, budgetGzipBytes: BUDGET_GZIP_BYTES, forbidden,
  byPackage: Object.fromEntries(packages.map(([p, n]) => [p, Math.round(n)])),
  chunks: sized.map(c => ({ file: c.file, bytes: c.bytes, gzip: c.gzip, entry: c.chunk.isEntry })),
  otherChunks: [...chunks.values()].filter(c => !graph.includes(c)).map(c => ({ file: c.fileName, gzip: gzipSync(c.code, { level: 9 }).length })),
  machine: machine(), pass,
})
process.exitCode = pass ? 0 : 1
