import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { App } from '../src/app.ts'

export interface Listening { port: number; close(): Promise<void> }

/** The app on a real socket (loopback, a free port), for tests that need real parallel connections. */
export function listen(app: App): Promise<Listening> {
  return new Promise(resolve => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, info => {
      resolve({
        port: (info as AddressInfo).port,
        close: () => new Promise<void>(done => { server.close(() => done()) }),
      })
    })
  })
}

export interface Answer { status: number; retryAfter: string | null; code: string | null; cookie: string | null }

/**
 * A JSON POST from a chosen loopback address (all of 127.0.0.0/8 reaches the server on Linux), so a test
 * can be several clients without trusting any header.
 */
export function post(port: number, path: string, body: unknown, from = '127.0.0.1', cookie?: string): Promise<Answer> {
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port, path, method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/json', origin: 'http://localhost', 'content-length': Buffer.byteLength(data), ...(cookie ? { cookie } : {}) },
    }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { text += chunk })
      res.on('end', () => {
        let code: string | null = null
        try { code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null } catch { /* not JSON */ }
        const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0] ?? null
        resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, code, cookie: setCookie })
      })
    })
    req.on('error', reject)
    req.end(data)
  })
}
