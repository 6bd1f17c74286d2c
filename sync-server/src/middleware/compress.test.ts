import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshot, testServer, type TestServer } from '../../test/support.ts'
import { createOp, newDraft, pushApplied } from '../../test/sync-ops.ts'
import { Hono } from 'hono'
import { chooseEncoding } from './accept-encoding.ts'
import { compress } from './compress.ts'

let s: TestServer
let vakt: { cookie: string }

beforeAll(async () => {
  s = await testServer()
  vakt = await s.signIn('vakt1', ['reporter'])
  // Enough reports that a pull page is well over the threshold.
  await pushApplied(s, vakt.cookie, Array.from({ length: 40 }, (_, i) => createOp(newDraft({ description: `Rapport ${i}: ungdomar samlas vid entrén` }))))
})
afterAll(() => s.close())

const decode = (encoding: string | null, bytes: Buffer) =>
  encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes

async function fetchAs(path: string, acceptEncoding?: string) {
  const res = await s.request('GET', path, { cookie: vakt.cookie, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } })
  const bytes = Buffer.from(await res.arrayBuffer())
  return { res, bytes, decoded: decode(res.headers.get('content-encoding'), bytes) }
}

describe('Accept-Encoding', () => {
  it('prefers Brotli at a tie, honours q-values, q=0 and *', () => {
    const offered = ['br', 'gzip'] as const
    expect(chooseEncoding('gzip, deflate, br, zstd', offered)).toBe('br')
    expect(chooseEncoding('gzip;q=1, br;q=0.5', offered)).toBe('gzip')
    expect(chooseEncoding('br;q=0, gzip;q=0.1', offered)).toBe('gzip')
    expect(chooseEncoding('br;q=0, gzip;q=0', offered)).toBeNull()
    expect(chooseEncoding('*;q=0.5, br;q=0.2', offered)).toBe('gzip')
    expect(chooseEncoding('identity', offered)).toBeNull()
    expect(chooseEncoding(undefined, offered)).toBeNull()
    expect(chooseEncoding('GZIP', offered)).toBe('gzip')
  })
})

describe('API answers', () => {
  it('are compressed over 1 KB, byte-identical to the identity answer once decoded, with Vary and no-store kept', async () => {
    const plain = await fetchAs('/api/sync/pull?cursor=0&limit=500')
    expect(plain.res.status).toBe(200)
    expect(plain.res.headers.get('content-encoding')).toBeNull()
    expect(plain.bytes.length).toBeGreaterThan(1024)
    for (const [accept, expected] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0.5, gzip', 'gzip'], ['br', 'br']] as const) {
      const packed = await fetchAs('/api/sync/pull?cursor=0&limit=500', accept)
      expect(packed.res.headers.get('content-encoding'), accept).toBe(expected)
      expect(packed.bytes.length).toBeLessThan(plain.bytes.length / 3)
      expect(Number(packed.res.headers.get('content-length'))).toBe(packed.bytes.length)
      expect(packed.decoded.equals(plain.bytes), accept).toBe(true)
      expect(packed.res.headers.get('vary')).toMatch(/accept-encoding/i)
      expect(packed.res.headers.get('cache-control')).toBe('no-store')
    }
    expect(plain.res.headers.get('vary')).toMatch(/accept-encoding/i)
  })

  it('leave small answers as they are', async () => {
    const small = await fetchAs('/api/health', 'br, gzip')
    expect(small.res.status).toBe(200)
    expect(small.bytes.length).toBeLessThan(1024)
    expect(small.res.headers.get('content-encoding')).toBeNull()
    expect(Number(small.res.headers.get('content-length'))).toBe(small.bytes.length)
  })

  it('are never compressed for a HEAD', async () => {
    const res = await s.app.request('http://localhost/api/sync/pull?cursor=0&limit=500', { method: 'HEAD', headers: { cookie: vakt.cookie, 'accept-encoding': 'br' } })
    expect(res.headers.get('content-encoding')).toBeNull()
  })
})

describe('a streamed answer (an export)', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => `${i};2026-11-0${1 + (i % 9)};Klotter på väggen vid entrén\n`)
  const streamed = () => {
    const app = new Hono()
    app.use('*', compress())
    app.get('/export.csv', c => {
      let i = 0
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i < rows.length) controller.enqueue(new TextEncoder().encode(rows.slice(i, (i += 100)).join('')))
          else controller.close()
        },
      })
      return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8' })
    })
    return app
  }

  it('stays a stream, compressed as it flows, and decodes to the same bytes', async () => {
    for (const [accept, encoding] of [['br', 'br'], ['gzip', 'gzip']] as const) {
      const res = await streamed().request('/export.csv', { headers: { 'accept-encoding': accept } })
      expect(res.headers.get('content-encoding')).toBe(encoding)
      expect(res.headers.get('content-length')).toBeNull()
      expect(decode(encoding, Buffer.from(await res.arrayBuffer())).toString()).toBe(rows.join(''))
    }
  })
})

describe('gzip request bodies', () => {
  const pushGzip = (body: Buffer, headers: Record<string, string> = {}) => s.app.request('http://localhost/api/sync/push', {
    method: 'POST', body, headers: { origin: 'http://localhost', cookie: vakt.cookie, 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers },
  })

  it('are accepted on a push', async () => {
    const op = createOp(newDraft({ description: 'Skickad komprimerad' }))
    const res = await pushGzip(gzipSync(JSON.stringify({ schemaVersion: 1, ops: [op] })))
    expect(res.status).toBe(200)
    expect(((await res.json()) as { results: { status: string }[] }).results.map(r => r.status)).toEqual(['applied'])
    expect(s.db.prepare('SELECT description FROM reports WHERE id = ?').pluck().get(op.reportId)).toBe('Skickad komprimerad')
  })

  it('that inflate past the limit (a zip bomb) are refused with 413 and change nothing', async () => {
    // 50 MiB of spaces inside a valid JSON push: about 50 KB on the wire.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"schemaVersion":1,"ops":[],"pad":"'), Buffer.alloc(50 * 1024 * 1024, 0x20), Buffer.from('"}')]), { level: 9 })
    expect(bomb.length).toBeLessThan(100 * 1024)
    const before = snapshot(s.db)
    const res = await pushGzip(bomb)
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('in an unknown encoding are refused with 415, and broken gzip with 400', async () => {
    const before = snapshot(s.db)
    const body = Buffer.from(JSON.stringify({ schemaVersion: 1, ops: [createOp(newDraft())] }))
    const unknown = await pushGzip(body, { 'content-encoding': 'br' })
    expect(unknown.status).toBe(415)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type')
    expect((await pushGzip(body)).status).toBe(400)
    expect(snapshot(s.db)).toEqual(before)
  })
})
