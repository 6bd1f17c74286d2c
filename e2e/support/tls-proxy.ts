import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { X509Certificate, createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'

export const NGINX = '/usr/sbin/nginx'
/** The repository's proxy configuration, the one README.md's operations section quotes. */
export const TEMPLATE = new URL('../../deploy/nginx-lagesbild.conf', import.meta.url)

export interface TestCertificate { caCert: string; cert: string; key: string; spkiSha256: string }

/** A test CA and a server certificate for `host` signed by it, made with the openssl CLI in `dir`. */
export function makeCertificate(dir: string, host: string): TestCertificate {
  const f = (name: string) => join(dir, name)
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=Lagesbild test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', f('ca.key'), '-out', f('ca.crt'))
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${host}`, '-keyout', f('server.key'), '-out', f('server.csr'))
  writeFileSync(f('server.ext'), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n`)
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('server.ext'), '-out', f('server.crt'))
  const spki = new X509Certificate(readFileSync(f('server.crt'))).publicKey.export({ type: 'spki', format: 'der' })
  return { caCert: f('ca.crt'), cert: f('server.crt'), key: f('server.key'), spkiSha256: createHash('sha256').update(spki).digest('base64') }
}

/**
 * Fills in the template and wraps it in a minimal nginx.conf whose pid, logs and temp files live in `dir`,
 * with nginx in the foreground. `http` holds extra directives for the http block (the test's proxy_bind).
 */
export function writeNginxConfig(dir: string, values: Record<'APP' | 'LISTEN' | 'SERVER_NAME' | 'CERT' | 'KEY', string>, http = ''): string {
  let site = readFileSync(TEMPLATE, 'utf8')
  for (const [name, value] of Object.entries(values)) site = site.replaceAll(`@@${name}@@`, value)
  if (/@@\w+@@/.test(site)) throw new Error(`a placeholder is left in the nginx template: ${/@@\w+@@/.exec(site)![0]}`)
  writeFileSync(join(dir, 'lagesbild.conf'), site)
  const temp = join(dir, 'temp')
  mkdirSync(temp, { recursive: true })
  const conf = join(dir, 'nginx.conf')
  writeFileSync(conf, `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  ${http}
  include ${join(dir, 'lagesbild.conf')};
}
`)
  return conf
}

export interface RunningNginx { stop(): Promise<void>; output(): string }

/** Runs nginx in the foreground with that config and waits until it answers over TLS. */
export async function startNginx(dir: string, conf: string, probe: { host: string; address: string; port: number; ca: string }): Promise<RunningNginx> {
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', d => { out += String(d) })
  child.stderr!.on('data', d => { out += String(d) })
  const exited = new Promise<void>(resolve => child.on('exit', () => resolve()))
  const log = () => `${out}\n${(() => { try { return readFileSync(join(dir, 'error.log'), 'utf8') } catch { return '' } })()}`
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${log()}`)
    const status = await new Promise<number>(resolve => {
      const req = request({ host: probe.address, servername: probe.host, port: probe.port, path: '/api/health/live', ca: readFileSync(probe.ca), headers: { host: `${probe.host}:${probe.port}` } }, res => { res.resume(); resolve(res.statusCode ?? 0) })
      req.on('error', () => resolve(0))
      req.end()
    })
    if (status === 200) break
    if (attempt > 300) throw new Error(`nginx did not answer:\n${log()}`)
    await new Promise(r => setTimeout(r, 100))
  }
  return {
    output: log,
    async stop() { child.kill('SIGQUIT'); await exited },
  }
}

/** An HTTPS request through the proxy from Node (not the browser), trusting only the test CA. */
export function httpsRequest(opts: { host: string; address: string; port: number; ca: string; method: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: opts.address, servername: opts.host, port: opts.port, method: opts.method, path: opts.path, ca: readFileSync(opts.ca),
      headers: { host: `${opts.host}:${opts.port}`, ...opts.headers, ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}) },
    }, res => {
      let text = ''
      res.on('data', d => { text += String(d) })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}
