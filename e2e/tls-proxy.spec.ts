// The production path: the built app behind a real nginx that ends TLS with a certificate made here, on
// loopback. nginx listens on 127.0.0.2 and reaches the app from 127.0.0.3 (proxy_bind), so the client's
// address (127.0.0.1) and the proxy's differ and the audit shows which one the app believed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PHONE } from './support/browser.ts'
import { readDb } from './support/database.ts'
import { freePort } from './support/port.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { NGINX, httpsRequest, makeCertificate, startNginx, writeNginxConfig, type RunningNginx, type TestCertificate } from './support/tls-proxy.ts'
import { fileReport, signIn, syncNow, unsentCount } from './pages/capture.ts'

const HOST = 'lagesbild.test'
const PROXY_LISTEN = '127.0.0.2'
const PROXY_FROM = '127.0.0.3'
const CLIENT = '127.0.0.1'
const PASSWORD = 'vakt ett lösenord'

let dir: string
let cert: TestCertificate
let port: number
let origin: string
let app: RunningServer
let nginx: RunningNginx
let browser: Browser
let context: BrowserContext
let page: Page

function admin(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/src/cli/admin.ts', ...args], { env: { ...process.env, DATA_DIR: app.dataDir }, input: `${PASSWORD}\n`, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`admin ${args.join(' ')}: ${r.stderr}`)
}

const through = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  httpsRequest({ host: HOST, address: PROXY_LISTEN, port, ca: cert.caCert, method, path, headers, ...(body !== undefined ? { body } : {}) })

beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error(`the TLS test needs nginx at ${NGINX} (apt-get install -y nginx-light)`)
  dir = mkdtempSync(join(tmpdir(), 'lagesbild-tls-'))
  cert = makeCertificate(dir, HOST)
  port = await freePort()
  origin = `https://${HOST}:${port}`
  app = await startServer({ PUBLIC_ORIGIN: origin, TRUSTED_PROXIES: PROXY_FROM })
  admin('org', 'add', '--name', 'Vaktbolaget', '--kind', 'security')
  admin('user', 'add', '--username', 'vakt1', '--org', 'Vaktbolaget', '--role', 'reporter', '--password-stdin')
  const conf = writeNginxConfig(dir, { APP: `127.0.0.1:${new URL(app.url).port}`, LISTEN: `${PROXY_LISTEN}:${port}`, SERVER_NAME: HOST, CERT: cert.cert, KEY: cert.key }, `proxy_bind ${PROXY_FROM};`)
  nginx = await startNginx(dir, conf, { host: HOST, address: PROXY_LISTEN, port, ca: cert.caCert })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${HOST} ${PROXY_LISTEN}`,
      // Trusts exactly the test certificate's key, as if the test CA were installed; no other TLS error is ignored.
      `--ignore-certificate-errors-spki-list=${cert.spkiSha256}`],
  })
  context = await browser.newContext({ ...PHONE, baseURL: origin, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', serviceWorkers: 'allow' })
  await context.grantPermissions(['geolocation'])
  await context.setGeolocation({ latitude: 56.0433, longitude: 12.6937, accuracy: 20 })
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await nginx?.stop()
  await app?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('behind nginx with TLS', () => {
  it('signs in over https and gets a __Host-, Secure, HttpOnly, SameSite=Strict cookie', async () => {
    await signIn(page, 'vakt1', PASSWORD)
    expect(new URL(page.url()).origin).toBe(origin)
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true)
    const cookies = await context.cookies()
    expect(cookies.map(c => c.name)).toEqual(['__Host-lb_session'])
    expect(cookies[0]).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/', domain: HOST })
  })

  it('files a report offline and syncs it through the proxy', async () => {
    // The service worker installs over this TLS as over any other, and serves the app with no network.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await page.getByTestId('last-sync').waitFor()
    await context.setOffline(true)
    await context.route('**/*', route => route.abort('internetdisconnected'))
    await fileReport(page, { category: 'Klotter', place: 'Knutpunkten', description: 'Tags bakom TLS' })
    expect(await unsentCount(page)).not.toBe('Allt är skickat')
    expect(readDb(app.dataDir, 'SELECT id FROM reports')).toEqual([])
    await context.unroute('**/*')
    await context.setOffline(false)
    await syncNow(page)
    await expect.poll(() => unsentCount(page), { timeout: 30_000 }).toBe('Allt är skickat')
    expect(readDb<{ category: string; description: string }>(app.dataDir, 'SELECT category, description FROM reports')).toEqual([{ category: 'graffiti', description: 'Tags bakom TLS' }])
  })

  it('the audit log shows the client address, not the proxy, and ignores an X-Forwarded-For the client wrote', async () => {
    const login = readDb<{ ip: string }>(app.dataDir, `SELECT ip FROM audit_events WHERE action = 'login' ORDER BY id DESC LIMIT 1`)
    expect(login).toEqual([{ ip: CLIENT }])
    const status = await page.evaluate(() => fetch('/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.66' },
      body: JSON.stringify({ username: 'vakt1', password: 'fel lösenord helt fel' }),
    }).then(r => r.status))
    expect(status).toBe(401)
    expect(readDb<{ ip: string }>(app.dataDir, `SELECT ip FROM audit_events WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1`)).toEqual([{ ip: CLIENT }])
    expect(readDb(app.dataDir, `SELECT ip FROM audit_events WHERE ip IN (?, ?, '203.0.113.66')`, PROXY_FROM, `::ffff:${PROXY_FROM}`)).toEqual([])
  })

  it('refuses a cross-site POST carrying the session cookie, whatever Host it names', async () => {
    const cookie = `__Host-lb_session=${(await context.cookies())[0]!.value}`
    const push = JSON.stringify({ schemaVersion: 2, ops: [] })
    const json = { 'content-type': 'application/json', cookie }
    // Control: the same cookie and body from the right origin are accepted.
    expect((await through('POST', '/api/sync/push', { ...json, origin }, push)).status).toBe(200)
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'https://evil.example' },
      { origin: 'https://evil.example', host: 'evil.example' },
      { origin: `http://${HOST}:${port}` },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await through('POST', '/api/sync/push', { ...json, ...headers }, push)
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect(JSON.parse(res.text).error.code).toBe('cross_origin')
    }
  })

  it('passes nginx\'s request id through to the answer and the log, and keeps metrics closed to the outside', async () => {
    const res = await through('GET', '/api/health/ready')
    expect(res.status).toBe(200)
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(res.headers['strict-transport-security']).toContain('max-age=')
    expect((await through('GET', '/api/metrics')).status).toBe(401)
  })
})
