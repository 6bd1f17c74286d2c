import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../http-error.ts'

const gunzipAsync = promisify(gunzip)

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `the body is larger than ${maxBytes / 1024 / 1024} MiB`)
}

/** The body as sent, refused as soon as it passes `maxBytes`. */
async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks, size)
    size += value.byteLength
    if (size > maxBytes) {
      void reader.cancel().catch(() => {})
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
}

/**
 * Request bodies may come gzip-compressed (phones compress their pushes). The limit applies to the body
 * after decompression, and inflating stops at it: a small body that would inflate past the limit (a zip
 * bomb) is refused with 413 before it is read. Any other Content-Encoding is refused with 415. The
 * handlers then see an ordinary body with its real Content-Length (so the plain body limit applies too).
 */
export function requestEncoding(options: { maxBytes: number }): MiddlewareHandler {
  const { maxBytes } = options
  return async function requestEncoding(c, next) {
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase()
    // The header first: touching c.req.raw.body turns the Node adapter's request into a web stream, which an
    // ordinary (uncompressed) push would then pay for in reading its body.
    if (encoding === undefined || encoding === '' || encoding === 'identity') return next()
    const raw = c.req.raw
    if (!raw.body) return next()
    if (encoding !== 'gzip') throw new ApiError(415, 'unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send the body as it is or as gzip`)
    const declared = Number(c.req.header('content-length'))
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes)
    const sent = await readAtMost(raw.body, maxBytes)
    let body: Buffer
    try {
      body = await gunzipAsync(sent, { maxOutputLength: maxBytes })
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooLarge(maxBytes)
      throw new ApiError(400, 'invalid_request', 'the body is not valid gzip')
    }
    const headers = new Headers(raw.headers)
    headers.delete('content-encoding')
    headers.set('content-length', String(body.length))
    c.req.raw = new Request(raw.url, { method: raw.method, headers, body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length), signal: raw.signal })
    await next()
  }
}
