import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { precompressDir } from '../../pwa/build/precompress.ts'
import { createApp, type App } from './app.ts'
import { configFromEnv } from './config.ts'
import type { Db } from './db/connection.ts'
import { prepare } from './server.ts'

let dir: string
let app: App
let db: Db
const js = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `ord ${i}`))};\n`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagesbild-static-'))
  const dist = join(dir, 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), `<!doctype html><html lang="sv"><head><title>Lägesbild</title></head><body><div id="app"></div>${'<!-- pad -->'.repeat(100)}</body></html>`)
  writeFileSync(join(dist, 'sw.js'), `self.addEventListener('install', () => {});\n${'// pad\n'.repeat(200)}`)
  writeFileSync(join(dist, 'assets', 'index-AbC123.js'), js)
  writeFileSync(join(dist, 'assets', 'logo-AbC123.png'), Buffer.alloc(2048, 7))
  await precompressDir(dist)
  const { deps, db: opened } = await prepare({ ...configFromEnv({}), dataDir: dir, staticDir: dist, tileUrl: '' })
  db = opened
  app = createApp(deps)
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await app.request(`http://localhost${path}`, { headers })
  const bytes = Buffer.from(await res.arrayBuffer())
  const encoding = bytes.length ? res.headers.get('content-encoding') : null
  return { res, bytes, decoded: encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes }
}

describe('static files', () => {
  it('are sent precompressed as Accept-Encoding prefers, byte-identical once decoded, with their own length and Vary', async () => {
    const plain = await get('/assets/index-AbC123.js')
    expect(plain.res.headers.get('content-encoding')).toBeNull()
    expect(plain.bytes.toString()).toBe(js)
    expect(plain.res.headers.get('vary')).toBe('Accept-Encoding')
    for (const [accept, expected] of [['gzip, deflate, br, zstd', 'br'], ['gzip', 'gzip'], ['br;q=0.4, gzip;q=0.8', 'gzip'], ['br;q=0, gzip;q=0', null], ['deflate', null]] as const) {
      const r = await get('/assets/index-AbC123.js', { 'accept-encoding': accept })
      expect(r.res.headers.get('content-encoding'), accept).toBe(expected)
      expect(r.decoded.equals(plain.bytes), accept).toBe(true)
      expect(Number(r.res.headers.get('content-length')), accept).toBe(r.bytes.length)
      expect(r.res.headers.get('vary')).toBe('Accept-Encoding')
      expect(r.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(r.res.headers.get('content-type')).toMatch(/javascript/)
    }
  })

  it('keep index.html (also for client routes) and sw.js revalidated, and answer 304 to a matching ETag of the same encoding', async () => {
    for (const path of ['/', '/index.html', '/report', '/sw.js']) {
      const r = await get(path, { 'accept-encoding': 'br' })
      expect(r.res.status, path).toBe(200)
      expect(r.res.headers.get('content-encoding'), path).toBe('br')
      expect(r.res.headers.get('cache-control'), path).toBe('no-cache')
    }
    const first = await get('/sw.js', { 'accept-encoding': 'gzip' })
    const etag = first.res.headers.get('etag')!
    expect((await get('/sw.js', { 'accept-encoding': 'gzip', 'if-none-match': etag })).res.status).toBe(304)
    expect((await get('/sw.js', { 'accept-encoding': 'br', 'if-none-match': etag })).res.status).toBe(200)
  })

  it('send no encoded copy of a file that is compressed already, and no stale copy of a file changed after the build', async () => {
    const png = await get('/assets/logo-AbC123.png', { 'accept-encoding': 'br, gzip' })
    expect(png.res.headers.get('content-encoding')).toBeNull()
    expect(png.res.headers.get('vary')).toBeNull()
    expect(png.bytes.length).toBe(2048)

    appendFileSync(join(dir, 'dist', 'sw.js'), '// a new release\n')
    const later = new Date(Date.now() + 60_000)
    utimesSync(join(dir, 'dist', 'sw.js'), later, later)
    const r = await get('/sw.js', { 'accept-encoding': 'br, gzip' })
    expect(r.res.headers.get('content-encoding')).toBeNull()
    expect(r.bytes.toString()).toMatch(/a new release/)
  })

  it('refuse paths that climb out of the folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/lagesbild.db', '/assets%5c..%5cindex.html']) {
      const r = await get(path)
      expect(r.bytes.toString(), path).toMatch(/<div id="app">|not_found/)
    }
  })
})
