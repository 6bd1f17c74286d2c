// A reporter's install (DESIGN.md budget): every file the service worker precaches, plus the service worker
// itself and its Workbox runtime, as transferred — each file's gzip and Brotli size (the server sends the
// build-time compressed copies), or its raw size where compressing does not make it smaller (PNG) — ≤ 350 KB.
// Builds the PWA as `npm start` does, into a temp folder, and reads the precache list from the built sw.js.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'vite'
import { machine, writeResult } from './support.ts'

const BUDGET_BYTES = 350 * 1024
const root = new URL('..', import.meta.url).pathname

const outDir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-dist-'))
try {
  await build({ configFile: join(root, 'pwa/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } })
  const sw = readFileSync(join(outDir, 'sw.js'), 'utf8')
  const precached = [...new Set([...sw.matchAll(/\{url:"([^"]+)",revision:/g)].map(m => m[1]!))]
  if (precached.length < 5 || !precached.includes('index.html')) throw new Error(`could not read the precache list from sw.js (${precached.length} entries)`)
  const runtime = readdirSync(outDir).filter(f => /^workbox-[\w-]+\.js$/.test(f))
  const files = [...precached, 'sw.js', ...runtime].map(file => {
    const body = readFileSync(join(outDir, file))
    const gzip = Math.min(body.length, gzipSync(body, { level: 9 }).length)
    const br = Math.min(body.length, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length)
    return { file, raw: body.length, gzip, br }
  }).sort((a, b) => b.gzip - a.gzip)
  const sum = (k: 'raw' | 'gzip' | 'br') => files.reduce((s, f) => s + f[k], 0)
  const allAssets = readdirSync(join(outDir, 'assets')).filter(f => !/\.(?:br|gz)$/.test(f)) // not the server's compressed copies
  const left = allAssets.filter(f => !precached.includes(`assets/${f}`))
  const leftBytes = left.reduce((s, f) => s + gzipSync(readFileSync(join(outDir, 'assets', f)), { level: 9 }).length, 0)
  const kb = (n: number) => (n / 1024).toFixed(1).padStart(6)

  console.log(`a reporter's install: ${files.length} files (${precached.length} precached, sw.js and the Workbox runtime)`)
  for (const f of files.slice(0, 12)) console.log(`  ${kb(f.gzip)} KB gzip ${kb(f.br)} KB br ${kb(f.raw)} KB raw  ${f.file}`)
  console.log(`  … ${files.length - 12} smaller files, ${kb(files.slice(12).reduce((s, f) => s + f.gzip, 0))} KB gzip together`)
  const gzip = sum('gzip'), br = sum('br')
  console.log(`left to the desk (cached on first use): ${left.length} files, ${kb(leftBytes)} KB gzip`)
  const pass = gzip <= BUDGET_BYTES
  console.log(`install ${(gzip / 1024).toFixed(1)} KB gzip, ${(br / 1024).toFixed(1)} KB Brotli, ${(sum('raw') / 1024).toFixed(1)} KB raw (budget ≤ ${BUDGET_BYTES / 1024} KB, checked on gzip) — ${pass ? 'within budget' : 'MISSED'}`)
  writeResult('install', { gzipBytes: gzip, brBytes: br, rawBytes: sum('raw'), budgetBytes: BUDGET_BYTES, files, deskOnly: { files: left.length, gzipBytes: leftBytes }, machine: machine(), pass })
  process.exitCode = pass ? 0 : 1
} finally {
  rmSync(outDir, { recursive: true, force: true })
}
