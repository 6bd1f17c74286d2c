import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { serve } from '@hono/node-server'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { OpResult, PullResponse, ReportDraft, SyncOp } from '@lagesbild/domain'
import { ORIGIN, testServer, type TestServer } from '../../test/support.ts'

/*
 * Lie-fi: the PWA's own sync engine and HTTP transport (on fake-indexeddb) against the real server over real
 * sockets. A link that accepts and never answers must be given up on (a timeout, not a hang) with the outbox
 * intact and smaller batches next time; a push whose answer is lost after the server committed must be safe
 * by opId. Deadlines are shortened for the silent socket only; no test asserts how long anything took.
 */

type Editable = Omit<ReportDraft, 'id' | 'createdAt'>
interface Transport { push(body: { schemaVersion: number; ops: SyncOp[] }): Promise<{ results: OpResult[] }>; pull(cursor: number, limit: number): Promise<PullResponse> }
interface Pace { readonly push: number; readonly pull: number; timedOut(): void; answered(): void }
interface Device {
  create(ownerId: number, fields: Editable): Promise<{ id: string; status: string }>
  sync(ownerId: number, transport: Transport, pace?: Pace): Promise<{ ok: boolean; failure?: string; pushed: number }>
  view(ownerId: number): Promise<{ reports: { id: string; status: string }[]; outbox: { opId: string; state: string }[] }>
}
interface Deadlines { push(bytes: number): { answerMs: number; totalMs: number }; pull(limit: number): { answerMs: number; totalMs: number } }
interface TransportModule { createHttpTransport(options: { base: string; fetch: typeof fetch; deadlines?: Deadlines }): Transport }

const PWA = (path: string) => fileURLToPath(new URL(`../../../pwa/src/sync/${path}`, import.meta.url))

async function loadDevice(): Promise<Device> {
  vi.resetModules()
  const mod = (await import(/* @vite-ignore */ PWA('test-device.ts'))) as { createTestDevice(idb: { indexedDB: unknown; IDBKeyRange: unknown }): Device }
  return mod.createTestDevice({ indexedDB: new IDBFactory(), IDBKeyRange })
}

let s: TestServer
let api: Server
let apiUrl: string
let transports: TransportModule
let createPace: () => Pace

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

beforeAll(async () => {
  s = await testServer()
  api = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  await new Promise(resolve => api.once('listening', resolve))
  const address = api.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  apiUrl = `http://127.0.0.1:${address.port}`
  transports = (await import(/* @vite-ignore */ PWA('transport.ts'))) as TransportModule
  createPace = ((await import(/* @vite-ignore */ PWA('pace.ts'))) as { createPace: () => Pace }).createPace
})
afterAll(async () => {
  await new Promise(resolve => api.close(resolve))
  s.close()
})

/** The phone's transport to `base`, with this user's session cookie and the page's origin, as a browser sends them. */
function transportTo(base: string, cookie: string, deadlines?: Deadlines): Transport {
  const withSession = ((input: string | URL | Request, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), cookie, origin: base } })) as typeof fetch
  return transports.createHttpTransport({ base, fetch: withSession, ...(deadlines ? { deadlines } : {}) })
}

const report = (i: number): Editable => ({
  category: 'littering', occurredAt: new Date(Date.now() - 600_000).toISOString(),
  location: { lat: 56.0465, lon: 12.6945, accuracyM: 8, source: 'gps' }, description: `Rapport ${i}: sopor vid busshållplatsen, ${'mycket '.repeat(20)}`,
})

interface Seen { path: string; encoding: string | undefined; ops: number; statuses: string[] }

/**
 * An HTTP proxy in front of the real server. In `dropAnswer` mode it forwards a push, waits until the server
 * has answered (so it has committed), then closes the phone's connection without a byte of the answer.
 */
async function proxy(mode: { dropAnswer: boolean }): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = []
  const server = createHttpServer((req: IncomingMessage, res) => {
    void (async () => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const sent = Buffer.concat(chunks)
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length', 'keep-alive', 'accept-encoding'].includes(k)) headers[k] = v
      headers.origin = ORIGIN // the server's PUBLIC_ORIGIN: the proxy stands where a TLS front would
      const answer = await fetch(apiUrl + req.url, { method: req.method!, headers, ...(req.method === 'GET' ? {} : { body: sent }) })
      const body = Buffer.from(await answer.arrayBuffer())
      const isPush = req.url!.startsWith('/api/sync/push')
      if (isPush) {
        const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(sent) : sent
        const results = answer.ok ? (JSON.parse(body.toString()) as { results: OpResult[] }).results : []
        seen.push({ path: req.url!, encoding: req.headers['content-encoding'], ops: (JSON.parse(json.toString()) as { ops: unknown[] }).ops.length, statuses: results.map(r => r.status) })
      }
      if (isPush && mode.dropAnswer) { req.socket.destroy(); return }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
      res.end(body)
    })()
  })
  const url = await listen(server)
  return { url, seen, close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }) }
}

/** A socket that accepts connections and never says a word: a link that is up but passes nothing. */
async function silent(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets: Socket[] = []
  const server = createTcpServer(socket => { sockets.push(socket); socket.on('error', () => {}) })
  const url = await listen(server)
  return { url, close: () => new Promise<void>(resolve => { for (const socket of sockets) socket.destroy(); server.close(() => resolve()) }) }
}

const SHORT: Deadlines = { push: () => ({ answerMs: 500, totalMs: 1000 }), pull: () => ({ answerMs: 500, totalMs: 1000 }) }
const serverCount = (userId: number) => s.db.prepare('SELECT count(*) FROM reports WHERE reporter_id = ?').pluck().get(userId) as number

describe('sync on a link that lies', () => {
  it('gives up on a socket that never answers, keeps the outbox, shrinks the next batch and delivers once the link is back', async () => {
    const { cookie, userId } = await s.signIn('vakt1', ['reporter'])
    const phone = await loadDevice()
    const pace = createPace()
    for (let i = 0; i < 30; i++) await phone.create(userId, report(i))
    const dead = await silent()
    try {
      const first = await phone.sync(userId, transportTo(dead.url, cookie, SHORT), pace)
      expect(first).toMatchObject({ ok: false, failure: 'timeout', pushed: 0 })
      expect(pace.push).toBe(25)
      const second = await phone.sync(userId, transportTo(dead.url, cookie, SHORT), pace)
      expect(second).toMatchObject({ ok: false, failure: 'timeout' })
      expect(pace.push).toBe(10)
    } finally {
      await dead.close()
    }
    const kept = await phone.view(userId)
    expect(kept.outbox).toHaveLength(30)
    expect(kept.outbox.every(o => o.state === 'pending')).toBe(true)
    expect(kept.reports.every(r => r.status === 'local')).toBe(true)
    expect(serverCount(userId)).toBe(0)

    const link = await proxy({ dropAnswer: false })
    try {
      expect(await phone.sync(userId, transportTo(link.url, cookie), pace)).toMatchObject({ ok: true, pushed: 30 })
      // Smaller batches first, growing back after answers; compressed on the way up.
      expect(link.seen[0]!.ops).toBe(10)
      expect(link.seen.every(p => p.ops <= 25)).toBe(true)
      expect(link.seen.reduce((n, p) => n + p.ops, 0)).toBe(30)
      expect(link.seen.every(p => p.encoding === 'gzip' && p.statuses.every(st => st === 'applied'))).toBe(true)
    } finally {
      await link.close()
    }
    expect((await phone.view(userId)).outbox).toEqual([])
    expect(serverCount(userId)).toBe(30)
  })

  it('is safe when the answer to a committed push never arrives: the retry gets duplicate, one report each, an empty outbox', async () => {
    const { cookie, userId } = await s.signIn('vakt2', ['reporter'])
    const phone = await loadDevice()
    const { id } = await phone.create(userId, report(0))
    const mode = { dropAnswer: true }
    const link = await proxy(mode)
    try {
      const lost = await phone.sync(userId, transportTo(link.url, cookie))
      expect(lost).toMatchObject({ ok: false, failure: 'network', pushed: 0 })
      expect(link.seen.map(p => p.statuses)).toEqual([['applied']])
      expect(serverCount(userId)).toBe(1) // committed on the server...
      expect((await phone.view(userId)).outbox).toHaveLength(1) // ...while the phone still holds it

      mode.dropAnswer = false
      expect(await phone.sync(userId, transportTo(link.url, cookie))).toMatchObject({ ok: true, pushed: 1 })
      expect(link.seen.map(p => p.statuses)).toEqual([['applied'], ['duplicate']])
    } finally {
      await link.close()
    }
    const after = await phone.view(userId)
    expect(after.outbox).toEqual([])
    expect(after.reports.map(r => [r.id, r.status])).toEqual([[id, 'submitted']])
    expect(serverCount(userId)).toBe(1)
  })
})
