import type { OpResult, PullResponse } from '@lagesbild/domain'
import { ApiCallError, requestJson, type RequestLimits } from '@/api/client'
import type { SyncTransport } from './engine'

/**
 * How long a sync request may take. `answerMs`: until the answer's headers arrive — connecting, sending the
 * body and the server's work (browsers do not show the connect alone). `totalMs`: until the whole answer is
 * read. Both grow with what is carried: a push's body goes up at a pessimistic 32 kbit/s (4 bytes/ms), a pull
 * page comes down at ~20 ms per change (a full page of 500 is ~40 KB compressed).
 */
export interface Deadlines {
  push(bodyBytes: number): RequestLimits
  pull(limit: number): RequestLimits
}

export const DEADLINES: Deadlines = {
  push: bytes => ({ answerMs: 10_000 + bytes / 4, totalMs: 15_000 + bytes / 4 }),
  pull: limit => ({ answerMs: 10_000, totalMs: 10_000 + limit * 20 }),
}

/** Bodies from this size on are sent gzip-compressed where the browser can (CompressionStream). */
export const GZIP_FROM_BYTES = 1024

export interface TransportOptions {
  /** The server's origin; the page's own by default. */
  base?: string
  fetch?: typeof fetch
  deadlines?: Deadlines
}

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * The real transport: JSON over HTTP with the session cookie, every request under a deadline and aborted
 * cleanly when it passes (a link that is up but passes nothing must not hold the sync loop). A push that
 * was aborted after the server committed is safe: the retry carries the same opIds and gets `duplicate`.
 * Failures are ApiCallErrors: status 0 with code `timeout` or `network`, or the server's status and code.
 */
export function createHttpTransport(options: TransportOptions = {}): SyncTransport {
  const deadlines = options.deadlines ?? DEADLINES
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  let serverTakesGzip = true

  function call<T>(what: string, path: string, init: RequestInit, limits: RequestLimits): Promise<T> {
    return requestJson<T>(new URL('/api' + path, options.base ?? location.origin), init, limits, { what, send })
  }

  async function push(body: unknown): Promise<{ results: OpResult[] }> {
    const json = JSON.stringify(body)
    const compress = serverTakesGzip && json.length >= GZIP_FROM_BYTES && typeof CompressionStream !== 'undefined'
    const payload = compress ? await gzip(json) : json
    const size = typeof payload === 'string' ? new TextEncoder().encode(payload).length : payload.byteLength
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', ...(compress ? { 'content-encoding': 'gzip' } : {}) }
    try {
      return await call('push', '/sync/push', { method: 'POST', headers, body: payload }, deadlines.push(size))
    } catch (err) {
      // A server that does not take compressed bodies says so once; from then on the body goes as it is.
      if (compress && err instanceof ApiCallError && err.status === 415) {
        serverTakesGzip = false
        return push(body)
      }
      throw err
    }
  }

  return {
    push,
    pull: (cursor, limit) => call<PullResponse>('pull', `/sync/pull?cursor=${cursor}&limit=${limit}`, { method: 'GET', headers: { accept: 'application/json' } }, deadlines.pull(limit)),
  }
}

export const httpTransport: SyncTransport = createHttpTransport()
