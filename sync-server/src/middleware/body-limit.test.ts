import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORIGIN, snapshot, testServer, type TestServer } from '../../test/support.ts'

// The body limit judged by a declared Content-Length, and counted while streaming when there is none, over a
// real socket as well as through app.request; either way a refused body changes nothing.
let s: TestServer
let server: ServerType
let port: number
let cookie: string
beforeAll(async () => {
  s = await testServer()
  cookie = (await s.signIn('vakt1', ['reporter'])).cookie
  server = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise(resolve => server.once('listening', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
  s.close()
})

function post(body: string, { chunked = false } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/json', cookie }
    if (!chunked) headers['content-length'] = String(Buffer.byteLength(body))
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/sync/push', method: 'POST', headers, agent: false }, res => {
      let text = ''
      res.on('data', d => { text += String(d) })
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
    })
    req.on('error', reject)
    if (chunked) { for (let i = 0; i < body.length; i += 65536) req.write(body.slice(i, i + 65536)); req.end() } else req.end(body)
  })
}

const big = JSON.stringify({ schemaVersion: 2, ops: [], pad: 'x'.repeat(3 * 1024 * 1024) })

describe('body limit', () => {
  it('refuses a declared Content-Length over 2 MiB with 413 and changes nothing', async () => {
    const before = snapshot(s.db)
    const res = await post(big)
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('refuses a chunked body over 2 MiB with 413 while it streams in', async () => {
    const before = snapshot(s.db)
    const res = await post(big, { chunked: true })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large')
    expect(snapshot(s.db)).toEqual(before)
  })

  it('takes bodies under the limit, with and without a Content-Length', async () => {
    for (const chunked of [false, true]) {
      const res = await post(JSON.stringify({ schemaVersion: 2, ops: [] }), { chunked })
      expect(res.status, `chunked: ${chunked}`).toBe(200)
      expect(JSON.parse(res.body)).toEqual({ results: [] })
    }
  })

  it('refuses an oversized declared length through app.request too', async () => {
    const res = await s.request('POST', '/api/sync/push', { cookie, body: '{}', headers: { 'content-length': String(3 * 1024 * 1024) } })
    expect(res.status).toBe(413)
  })
})
