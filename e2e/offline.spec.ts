import { cpSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { adminSession, apiCall, apiSignIn } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { fileReport, openMyReports, reportStates, signIn, syncNow, unsentCount } from './pages/capture.ts'

const PASSWORD = 'vakt ett lösenord'
let server: RunningServer
let browser: Browser
let staticDir: string
let reviewer: BrowserContext

beforeAll(async () => {
  // A private copy of the build: one test here publishes a new service worker into it.
  staticDir = mkdtempSync(join(tmpdir(), 'lagesbild-offline-dist-'))
  cpSync(inject('staticDir'), staticDir, { recursive: true })
  ;[server, browser] = await Promise.all([startServer({ STATIC_DIR: staticDir }), launch()])
  const admin = await browser.newContext()
  await adminSession(admin.request, server.url, server.firstAdmin)
  const org = await apiCall<{ id: number }>(admin.request, server.url, 'POST', '/admin/organisations', { name: 'Securitas Helsingborg', kind: 'security' })
  const kommun = await apiCall<{ id: number }[]>(admin.request, server.url, 'GET', '/admin/organisations')
  for (const username of ['vakt1', 'vakt2', 'vakt3']) {
    await apiCall(admin.request, server.url, 'POST', '/admin/users', { username, organisationId: org.id, roles: ['reporter'], password: PASSWORD })
  }
  await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: 'granskare', organisationId: kommun[0]!.id, roles: ['reviewer'], password: 'granskarens lösenord' })
  await admin.close()
  reviewer = await browser.newContext()
  await apiSignIn(reviewer.request, server.url, 'granskare', 'granskarens lösenord')
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(staticDir, { recursive: true, force: true })
})

async function phone(username: string): Promise<{ context: BrowserContext; page: Page; said: string[] }> {
  const context = await newContext(browser, PHONE, { baseURL: server.url })
  await context.grantPermissions(['geolocation'])
  await context.setGeolocation({ latitude: 56.0433, longitude: 12.6937, accuracy: 20 }) // Knutpunkten
  const page = await context.newPage()
  const said = watchConsole(page)
  await signIn(page, username, PASSWORD)
  // Installed and in control: the second load is served by the service worker.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await expect.poll(() => page.getByTestId('last-sync').count()).toBe(1)
  return { context, page, said }
}

/** No network for the page or its service worker, as in a tunnel or a basement. */
async function goOffline(context: BrowserContext) {
  await context.setOffline(true)
  await context.route('**/*', route => route.abort('internetdisconnected'))
}
async function goOnline(context: BrowserContext) {
  await context.unroute('**/*')
  await context.setOffline(false)
}

/** Back in coverage: sync, and wait until nothing is left unsent. */
async function deliver(context: BrowserContext, page: Page) {
  await goOnline(context)
  await syncNow(page)
  await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
}

/** Opens a report on this phone, changes one field and saves it (offline, it waits in the outbox). */
async function amend(page: Page, id: string, label: string, value: string) {
  await page.goto(`/report/${id}`)
  await page.getByLabel(label).fill(value)
  await page.getByTestId('save').click()
  await page.getByRole('heading', { name: 'Mina rapporter' }).waitFor()
}

const serverReports = (reporter: string) => readDb<{ id: string; category: string; version: number; status: string; description: string; people_involved: number | null }>(server.dataDir,
  `SELECT r.id, r.category, r.version, r.status, r.description, r.people_involved FROM reports r JOIN users u ON u.id = r.reporter_id WHERE u.username = ? ORDER BY r.id`, reporter)

describe('offline capture', () => {
  it('opens with no network, keeps three reports across a reload and delivers each exactly once', async () => {
    const { context, page, said } = await phone('vakt1')
    await goOffline(context)
    await page.reload()
    await page.getByRole('heading', { name: 'Vad har hänt?' }).waitFor()
    expect(await page.evaluate(() => fetch('/api/health').then(() => 'reachable', () => 'unreachable'))).toBe('unreachable')
    await expectAccessible(page, 'home, offline')

    await fileReport(page, { category: 'Klotter', place: 'Knutpunkten', description: 'Tags på trappan' })
    await fileReport(page, { category: 'Nedskräpning', description: 'Sopor vid busshållplatsen' })
    await fileReport(page, { category: 'Samlingsplats', place: 'Stortorget', people: 8 })
    await page.reload()
    await page.getByRole('heading', { name: 'Vad har hänt?' }).waitFor()
    expect(await unsentCount(page)).toBe('Ej skickat: 3 rapporter')
    await openMyReports(page)
    expect(await reportStates(page)).toEqual(['På telefonen', 'På telefonen', 'På telefonen'])
    expect(serverReports('vakt1')).toEqual([])

    await goOnline(context)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
    await expect.poll(() => reportStates(page)).toEqual(['Skickad', 'Skickad', 'Skickad'])
    // A few more syncs must not deliver anything twice.
    await syncNow(page)
    await syncNow(page)
    await expect.poll(() => page.getByRole('button', { name: 'Synka nu' }).isEnabled()).toBe(true)
    const rows = serverReports('vakt1')
    expect(rows.map(r => r.category).sort()).toEqual(['gathering', 'graffiti', 'littering'])
    expect(rows.every(r => r.version === 1 && r.status === 'submitted')).toBe(true)
    expect(readDb<{ n: number }>(server.dataDir, `SELECT count(*) AS n FROM sync_ops o JOIN users u ON u.id = o.user_id WHERE u.username = 'vakt1'`)[0]!.n).toBe(3)
    expect(said.filter(s => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(s))).toEqual([])
    await context.close()
  })

  it("brings a reviewer's decisions and notes to the reporter's phone", async () => {
    const { context, page } = await phone('vakt2')
    await fileReport(page, { category: 'Skadegörelse', place: 'Knutpunkten', description: 'Krossad ruta i väntsalen' })
    await fileReport(page, { category: 'Klotter', place: 'Stortorget', description: 'Liten tag' })
    await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
    const [glass, tag] = serverReports('vakt2').sort((a, b) => a.category.localeCompare(b.category)).reverse()
    await apiCall(reviewer.request, server.url, 'POST', `/reports/${glass!.id}/review`, { decision: 'approve', note: 'Tack, vidarebefordrat till fastighetsägaren', baseVersion: 1 })
    await apiCall(reviewer.request, server.url, 'POST', `/reports/${tag!.id}/review`, { decision: 'needs_info', note: 'Vilken vägg?', baseVersion: 1 })

    await openMyReports(page)
    await syncNow(page)
    await expect.poll(() => reportStates(page), { timeout: 15_000 }).toEqual(['Behöver komplettering', 'Godkänd'])
    await page.getByText('Tack, vidarebefordrat till fastighetsägaren').waitFor()
    await page.getByText('Vilken vägg?').waitFor()
    await expectAccessible(page, 'my reports with outcomes')

    // Answering the question is an amendment; it sends the report back to the queue.
    await page.getByRole('link', { name: 'Svara' }).click()
    await page.getByTestId('question').waitFor()
    await page.getByLabel('Vad hände?').fill('Liten tag på östra väggen vid fontänen')
    await page.getByTestId('save').click()
    await page.getByRole('heading', { name: 'Mina rapporter' }).waitFor()
    await expect.poll(() => serverReports('vakt2').find(r => r.id === tag!.id)?.status, { timeout: 20_000 }).toBe('submitted')
    expect(serverReports('vakt2').find(r => r.id === tag!.id)).toMatchObject({ description: 'Liten tag på östra väggen vid fontänen', version: 3 })
    await context.close()
  })

  it('merges amendments from two phones field by field and tells the loser of a same-field change', async () => {
    const a = await phone('vakt3')
    await fileReport(a.page, { category: 'Ordningsstörning', place: 'Knutpunkten', description: 'Bråk vid entrén' })
    await expect.poll(() => unsentCount(a.page), { timeout: 20_000 }).toBe('Allt är skickat')
    const b = await phone('vakt3') // the same guard's second phone pulls the report
    await openMyReports(b.page)
    await expect.poll(() => reportStates(b.page)).toEqual(['Skickad'])
    const id = serverReports('vakt3')[0]!.id

    await goOffline(a.context)
    await goOffline(b.context)
    // Different fields on each phone...
    await amend(a.page, id, 'Vad hände?', 'Bråk vid entrén, två personer')
    await amend(b.page, id, 'Antal inblandade', '2')
    await deliver(a.context, a.page)
    await deliver(b.context, b.page)
    expect(serverReports('vakt3')[0]).toMatchObject({ description: 'Bråk vid entrén, två personer', people_involved: 2, version: 3 })

    // ...then the same field on both: the first to arrive wins, the other is told and keeps a record.
    await syncNow(a.page)
    await goOffline(a.context)
    await goOffline(b.context)
    await amend(a.page, id, 'Vad hände?', 'Bråk, polis tillkallad')
    await amend(b.page, id, 'Vad hände?', 'Bråk, lugnt igen')
    await deliver(a.context, a.page)
    await deliver(b.context, b.page)
    await b.page.getByTestId('notice').waitFor()
    expect(await b.page.getByTestId('notice').textContent()).toContain('beskrivning')
    const final = serverReports('vakt3')[0]!
    expect(final.description).toBe('Bråk, polis tillkallad')
    const overruled = readDb<{ changes: string }>(server.dataDir, `SELECT changes FROM revisions WHERE report_id = ? AND changes LIKE '%overruled%'`, id)
    expect(overruled.map(r => JSON.parse(r.changes) as { overruled: { description: { to: string } } })[0]!.overruled.description.to).toBe('Bråk, lugnt igen')
    // Both phones agree with the server after their next sync.
    for (const p of [a.page, b.page]) {
      await syncNow(p)
      await p.goto(`/report/${id}`)
      await expect.poll(() => p.getByLabel('Vad hände?').inputValue()).toBe('Bråk, polis tillkallad')
    }
    await a.context.close()
    await b.context.close()
  })

  it('keeps an open draft through an app update', async () => {
    const { context, page } = await phone('vakt1')
    await page.goto('/report?category=graffiti')
    await page.getByLabel('Vad hände?').fill('Halvskrivet utkast om klotter')
    await page.waitForTimeout(500) // the autosave's debounce
    appendFileSync(join(staticDir, 'sw.js'), '\n// a new release\n')
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then(r => r?.update()))
    await page.getByRole('button', { name: 'Uppdatera nu' }).click()
    await page.waitForEvent('load')
    await page.getByText('Ett utkast du började på har återställts.').waitFor()
    expect(await page.getByLabel('Vad hände?').inputValue()).toBe('Halvskrivet utkast om klotter')
    await context.close()
  })
})
