// The real server in its own process, as `npm start` runs it (plain node on its production build, built here into a
// temporary folder), on a free loopback port with a given data folder, for the benchmarks that measure over a real socket.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { freePort } from '../e2e/support/port.ts'
import { buildServer, temporaryBuildDir } from '../sync-server/build.ts'

export interface ServerProcess {
  url: string
  port: number
  pid: number
  /** The server's resident set size in bytes, from /proc/<pid>/status (VmRSS) — and its peak (VmHWM). */
  rss(): { rss: number; peak: number }
  /** CPU time the server process has used so far (user + system), in ms, from /proc/<pid>/stat. */
  cpuMs(): number
  signal(signal: NodeJS.Signals): void
  stop(): Promise<void>
}

const root = new URL('..', import.meta.url).pathname

export async function startServerProcess(dataDir: string, options: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const port = await freePort()
  const built = temporaryBuildDir()
  const serverArgs = await buildServer(built)
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serverArgs], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), PUBLIC_ORIGIN: `http://localhost:${port}`, DATA_DIR: dataDir, STATIC_DIR: '', TILE_URL: '', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', d => { stderr += String(d) })
  let exited = false
  child.once('exit', () => { exited = true; rmSync(built, { recursive: true, force: true }) })
  const url = `http://localhost:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`the server exited while starting:\n${stderr}`)
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`the server did not answer within 60 s:\n${stderr}`) }
    const ok = await new Promise<boolean>(resolve => {
      request(`${url}/api/config`, res => { res.resume(); resolve(true) }).on('error', () => resolve(false)).end()
    })
    if (ok) break
    await new Promise(r => setTimeout(r, 100))
  }
  const status = (): Record<string, number> => {
    const text = readFileSync(`/proc/${child.pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024
    return { rss: kb('VmRSS'), peak: kb('VmHWM') }
  }
  return {
    url,
    port,
    pid: child.pid!,
    rss: () => { const s = status(); return { rss: s.rss!, peak: s.peak! } },
    cpuMs: () => {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return (Number(fields[11]) + Number(fields[12])) * 10
    },
    signal: sig => { child.kill(sig) },
    stop: () => new Promise<void>(resolve => {
      if (exited) return resolve()
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.once('exit', () => { clearTimeout(timer); resolve() })
      child.kill('SIGTERM')
    }),
  }
}

/** A minimal HTTP/1.1 client on keep-alive connections (one per simulated device), as light as a client can be. */
export class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 })
  cookie = ''
  constructor(private readonly base: string) {}

  send(method: string, path: string, body?: string): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
    const url = new URL(path, this.base)
    // As a browser asks: the server compresses answers over 1 KB, and the client inflates them (on its own CPU).
    const headers: Record<string, string> = { origin: url.origin, 'accept-encoding': 'gzip, deflate, br' }
    if (this.cookie) headers.cookie = this.cookie
    if (body !== undefined) { headers['content-type'] = 'application/json'; headers['content-length'] = String(Buffer.byteLength(body)) }
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent }, res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const raw = Buffer.concat(chunks)
          const encoding = res.headers['content-encoding']
          const bytes = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw
          resolve({ status: res.statusCode ?? 0, body: bytes.toString('utf8'), headers: res.headers })
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  async signIn(username: string, password: string): Promise<void> {
    const res = await this.send('POST', '/api/auth/login', JSON.stringify({ username, password }))
    if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${res.body}`)
    const setCookie = res.headers['set-cookie']
    this.cookie = (Array.isArray(setCookie) ? setCookie[0]! : String(setCookie)).split(';')[0]!
  }

  close(): void { this.agent.destroy() }
}
