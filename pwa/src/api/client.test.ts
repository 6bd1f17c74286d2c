import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { api, ApiCallError } from './client'

// A real socket on loopback that behaves like "lie-fi": the connection is accepted, and then either nothing ever
// comes back, or the answer's headers come and its body never ends.
let server: Server
const sockets = new Set<Socket>()
beforeAll(async () => {
  server = createServer(socket => {
    sockets.add(socket)
    socket.on('data', chunk => {
      if (String(chunk).startsWith('GET /api/half')) socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"user":')
      if (String(chunk).startsWith('GET /api/ok')) socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{"ok":true}')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  vi.stubGlobal('location', { origin: `http://127.0.0.1:${port}` })
})
afterAll(() => {
  for (const s of sockets) s.destroy()
  server.close()
  vi.unstubAllGlobals()
})

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('the call succeeded') }, (err: unknown) => err as ApiCallError)

describe('api() on a link that passes nothing', () => {
  it('gives up when no answer comes, as a timeout (status 0, like offline)', async () => {
    const err = await failure(api('/silent', { timeoutMs: 300 }))
    expect(err).toBeInstanceOf(ApiCallError)
    expect(err.status).toBe(0)
    expect(err.code).toBe('timeout')
    expect(err.isNetwork).toBe(true)
  })

  it('gives up when the answer starts and its body never ends', async () => {
    const err = await failure(api('/half', { timeoutMs: 300 }))
    expect(err.code).toBe('timeout')
  })

  it('still stops at once when the caller aborts, which is not a timeout', async () => {
    const stop = new AbortController()
    const call = failure(api('/silent', { timeoutMs: 10_000, signal: stop.signal }))
    stop.abort()
    const err = await call
    expect(err.code).toBe('network')
  })

  it('answers normally within the deadline', async () => {
    await expect(api<{ ok: boolean }>('/ok', { timeoutMs: 5_000 })).resolves.toEqual({ ok: true })
  })
})
