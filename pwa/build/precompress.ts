import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { Plugin, ResolvedConfig } from 'vite'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

/** Text-like files; images, fonts in woff2 and archives are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|map|wasm|ico)$/i

/** Writes `file.br` and `file.gz` beside a file, each only when it is smaller than the file itself. */
export async function precompressFile(path: string): Promise<{ size: number; br: number | null; gz: number | null }> {
  const data = await readFile(path)
  const [b, g] = await Promise.all([
    brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
    gz(data, { level: constants.Z_BEST_COMPRESSION }),
  ])
  const keep = async (bytes: Buffer, ext: string) => (bytes.length < data.length ? (await writeFile(path + ext, bytes), bytes.length) : null)
  return { size: data.length, br: await keep(b, '.br'), gz: await keep(g, '.gz') }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(entries.map(e => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))))
  return nested.flat()
}

/** Every compressible file of a built folder gets its Brotli and gzip copies; returns the totals. */
export async function precompressDir(dir: string): Promise<{ files: number; size: number; br: number; gz: number }> {
  const files = (await filesUnder(dir)).filter(f => COMPRESSIBLE.test(f) && !/\.(?:br|gz)$/.test(f))
  const totals = { files: files.length, size: 0, br: 0, gz: 0 }
  for (const r of await Promise.all(files.map(precompressFile))) {
    totals.size += r.size
    totals.br += r.br ?? r.size
    totals.gz += r.gz ?? r.size
  }
  return totals
}

/**
 * Build-time Brotli and gzip copies of the built app, so the server never compresses a static file per
 * request (see sync-server/src/static.ts). Runs after every other plugin has written its files — the
 * service worker is written in vite-plugin-pwa's own closeBundle — so sw.js gets its copies too.
 */
export function precompress(): Plugin {
  let config: ResolvedConfig
  return {
    name: 'lagesbild:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) { config = resolved },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        const outDir = resolve(config.root, config.build.outDir)
        if (!(await stat(outDir).catch(() => null))?.isDirectory()) return
        const t = await precompressDir(outDir)
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
        config.logger.info(`precompressed ${t.files} files: ${kb(t.size)} → ${kb(t.br)} brotli, ${kb(t.gz)} gzip`)
      },
    },
  }
}
