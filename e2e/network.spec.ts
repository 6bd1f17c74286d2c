import { get } from 'node:http'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { PHONE, expectAccessible, launch, newContext } from './support/browser.ts'
import { adminSession, apiCall } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { fileReport, signIn, syncNow, unsentCount } from './pages/capture.ts'

const PASSWORD = 'vakt ett lösenord'
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launch()])
  const admin = await browser.newContext()
  await adminSession(admin.request, server.url, server.firstAdmin)
  const org = await apiCall<{ id: number }>(admin.request, server.url, 'POST', '/admin/organisations', { name: 'Securitas Helsingborg', kind: 'security' })
  await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: 'vakt1', organisationId: org.id, roles: ['reporter'], password: PASSWORD })
  await admin.close()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** The raw bytes and headers as they come off the wire (fetch would decode them). */
function raw(path: string, acceptEncoding: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(server.url + path, { headers: { 'accept-encoding': acceptEncoding } }, res => {
      const chunks: Buffer[] = []
      res.on('data', c => chunks.push(c as Buffer))
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

describe('the built app over the network', () => {
  it('is served from the build’s Brotli and gzip copies, identical once decoded', async () => {
    const dist = inject('staticDir')
    const assets = readdirSync(join(dist, 'assets'))
    // Every script worth compressing (a few tiny chunks gain nothing and get no copy).
    const scripts = assets.filter(f => f.endsWith('.js') && statSync(join(dist, 'assets', f)).size >= 1024)
    expect(scripts.length).toBeGreaterThan(5)
    expect(scripts.filter(f => !assets.includes(`${f}.br`) || !assets.includes(`${f}.gz`))).toEqual([])
    for (const path of ['/', '/sw.js', `/assets/${scripts[0]}`]) {
      const plain = await raw(path, 'identity')
      const br = await raw(path, 'gzip, deflate, br, zstd')
      const gz = await raw(path, 'gzip')
      expect([plain.headers['content-encoding'], br.headers['content-encoding'], gz.headers['content-encoding']], path).toEqual([undefined, 'br', 'gzip'])
      expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true)
      expect(gunzipSync(gz.body).equals(plain.body), path).toBe(true)
      expect(br.body.length, path).toBeLessThan(plain.body.length)
      for (const r of [plain, br, gz]) expect(r.headers.vary, path).toBe('Accept-Encoding')
    }
  })
})

describe('a weak connection on the phone', () => {
  let context: BrowserContext
  let page: Page
  const held: Route[] = []

  beforeAll(async () => {
    context = await newContext(browser, PHONE, { baseURL: server.url })
    await context.grantPermissions(['geolocation', 'background-sync'])
    await context.setGeolocation({ latitude: 56.0433, longitude: 12.6937, accuracy: 20 }) // Knutpunkten
    page = await context.newPage()
    await signIn(page, 'vakt1', PASSWORD)
  })
  afterAll(async () => { await context?.close() })

  it('says "weak connection, retrying" in one calm line when pushes get no answer, and delivers once the link passes again', async () => {
    await page.getByTestId('last-sync').waitFor()
    // A link that is up but passes nothing: the push reaches nowhere and no answer comes back.
    await page.route('**/api/sync/push', route => { held.push(route) })
    await fileReport(page, { category: 'Klotter', description: 'Tags på trappan' })
    await expect.poll(() => page.getByTestId('weak-connection').count(), { timeout: 60_000 }).toBe(1)
    expect(await page.getByTestId('weak-connection').textContent()).toContain('Svag uppkoppling – försöker igen')
    expect(await unsentCount(page)).toBe('Ej skickat: 1 rapport')
    expect(await page.locator('.spin').count()).toBe(0)
    await expectAccessible(page, 'home, weak connection')
    const shots = process.env.SHOTS_DIR
    if (shots) {
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: join(shots, 'weak-connection-light.png') })
      await page.emulateMedia({ colorScheme: 'dark' })
      await page.screenshot({ path: join(shots, 'weak-connection-dark.png') })
      await page.emulateMedia({ colorScheme: 'light' })
    }
    expect(readDb(server.dataDir, `SELECT id FROM reports`)).toEqual([])

    await page.unroute('**/api/sync/push')
    for (const route of held) await route.abort().catch(() => {}) // already given up on by the phone
    await syncNow(page)
    await expect.poll(() => unsentCount(page), { timeout: 30_000 }).toBe('Allt är skickat')
    await expect.poll(() => page.getByTestId('weak-connection').count()).toBe(0) // once the pull after it is through too
    expect(readDb<{ n: number }>(server.dataDir, `SELECT count(*) AS n FROM reports`)[0]!.n).toBe(1)
  })

  it('flushes through the page when the service worker gets a Background Sync event (Chromium)', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await page.getByTestId('last-sync').waitFor()
    // Counts the worker's requests to flush (an observer of the test's own; the app answers them).
    await page.evaluate(() => {
      const w = window as unknown as { flushRequests: number }
      w.flushRequests = 0
      navigator.serviceWorker.addEventListener('message', e => { if ((e.data as { type?: string }).type === 'lagesbild:sync') w.flushRequests++ })
    })
    await page.route('**/api/sync/push', route => route.abort('internetdisconnected'))
    await fileReport(page, { category: 'Nedskräpning', description: 'Sopor vid busshållplatsen' })
    // The failed push registered the tag with the browser.
    const tags = () => page.evaluate(() => navigator.serviceWorker.ready.then(r => (r as unknown as { sync: { getTags(): Promise<string[]> } }).sync.getTags()))
    await expect.poll(tags).toContain('lagesbild-outbox')
    await page.unroute('**/api/sync/push')

    const cdp = await context.newCDPSession(page)
    const registration = new Promise<string>(resolve => cdp.on('ServiceWorker.workerRegistrationUpdated', e => {
      const r = e.registrations.find(x => x.scopeURL.startsWith(server.url) && !x.isDeleted)
      if (r) resolve(r.registrationId)
    }))
    await cdp.send('ServiceWorker.enable')
    const before = await page.evaluate(() => (window as unknown as { flushRequests: number }).flushRequests)
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: server.url, registrationId: await registration, tag: 'lagesbild-outbox', lastChance: false })
    await expect.poll(() => page.evaluate(() => (window as unknown as { flushRequests: number }).flushRequests)).toBeGreaterThan(before)
    await expect.poll(() => unsentCount(page), { timeout: 30_000 }).toBe('Allt är skickat')
    expect(readDb<{ n: number }>(server.dataDir, `SELECT count(*) AS n FROM reports`)[0]!.n).toBe(2)
    await cdp.detach()
  })
})
