import { createReadStream, existsSync, statSync, type Stats } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import type { Context, Hono } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import type { AppEnv } from './env.ts'
import { chooseEncoding } from './middleware/accept-encoding.ts'

/** The copies the build writes beside each compressible file (pwa/build/precompress.ts). */
const COPIES = { br: '.br', gzip: '.gz' } as const

function fileStats(path: string): Stats | null {
  try {
    const s = statSync(path)
    return s.isFile() ? s : null
  } catch {
    return null
  }
}

/** The file a request path names inside `root`, or null for anything odd (dot segments, backslashes, escapes). */
function fileFor(root: string, requestPath: string): string | null {
  let path: string
  try {
    path = decodeURIComponent(requestPath)
  } catch {
    return null
  }
  if (/(?:^|\/)\.{1,2}(?:\/|$)|\\|\0|\/\//.test(path)) return null
  const full = resolve(root, '.' + path)
  return full.startsWith(root + sep) ? full : null
}

/**
 * Sends a built file, precompressed when the client accepts it: the build's `.br` or `.gz` copy, Brotli
 * preferred at equal q-value, with its own length and a strong ETag per encoding. A copy older than its
 * file (the file was changed in place after the build) is not trusted. Nothing is compressed per request.
 */
function sendFile(c: Context<AppEnv>, path: string, stats: Stats): Response {
  const type = getMimeType(path) ?? 'application/octet-stream'
  const copies = (Object.keys(COPIES) as (keyof typeof COPIES)[])
    .map(encoding => ({ encoding, path: path + COPIES[encoding], stats: fileStats(path + COPIES[encoding]) }))
    .filter(copy => copy.stats && copy.stats.mtimeMs >= stats.mtimeMs)
  const chosen = copies.length ? chooseEncoding(c.req.header('accept-encoding'), copies.map(copy => copy.encoding)) : null
  const copy = copies.find(x => x.encoding === chosen)
  const sent = copy ? { path: copy.path, stats: copy.stats! } : { path, stats }
  const etag = `"${stats.size.toString(36)}-${Math.trunc(stats.mtimeMs).toString(36)}${copy ? '-' + copy.encoding : ''}"`

  if (copies.length) c.header('Vary', 'Accept-Encoding')
  if (copy) c.header('Content-Encoding', copy.encoding)
  c.header('Content-Type', type)
  c.header('ETag', etag)
  c.header('Last-Modified', stats.mtime.toUTCString())
  const match = c.req.header('if-none-match')
  if (match && match.split(',').some(tag => tag.trim().replace(/^W\//, '') === etag)) return c.body(null, 304)
  c.header('Content-Length', String(sent.stats.size))
  if (c.req.method === 'HEAD') return c.body(null, 200)
  return c.body(Readable.toWeb(createReadStream(sent.path)) as ReadableStream, 200)
}

/**
 * Serves the built PWA: hashed assets are immutable, the service worker and the HTML are always
 * revalidated (so an update is seen), and any other path that is not /api gets index.html (client routing).
 */
export function mountPwa(app: Hono<AppEnv>, staticDir: string): void {
  const root = resolve(staticDir)
  const index = join(root, 'index.html')
  if (!existsSync(index)) return
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable')
  })
  app.use('*', async (c, next) => {
    await next()
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache')
  })
  app.on(['GET', 'HEAD'], '*', (c, next) => {
    const path = fileFor(root, c.req.path)
    const stats = path ? fileStats(path) : null
    return path && stats ? sendFile(c, path, stats) : next()
  })
  app.on(['GET', 'HEAD'], '*', c => {
    if (c.req.path.startsWith('/api/')) return c.notFound()
    const stats = fileStats(index)
    if (!stats) return c.notFound()
    return sendFile(c, index, stats)
  })
}
