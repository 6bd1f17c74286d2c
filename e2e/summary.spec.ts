import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core'
import { dbPath, openDb } from '../sync-server/src/db/connection.ts'
import { runDemo } from '../sync-server/src/services/demo/run.ts'
import { DESKTOP, PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { apiSignIn } from './support/api.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { chartTable, chooseInFilter, drawBox, exportHref, openSummary, shownTotal } from './pages/summary.ts'

const PASSWORD = 'demo lösenord för testet'
// Set E2E_SCREENSHOTS=/some/dir to keep screenshots and the weekly report's PDF for a human to look at.
const shots = process.env.E2E_SCREENSHOTS
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launch()])
  // The demo year the server engineer's generator makes, written into the running server's database.
  const db = openDb(dbPath(server.dataDir))
  try { await runDemo(db, { timeZone: 'Europe/Stockholm', password: PASSWORD }) } finally { db.close() }
  if (shots) mkdirSync(shots, { recursive: true })
})
afterAll(async () => { await browser?.close(); await server?.stop() })

async function analyst(device: typeof DESKTOP | typeof PHONE): Promise<{ context: BrowserContext; page: Page; said: string[] }> {
  const context = await newContext(browser, device, { baseURL: server.url })
  await apiSignIn(context.request, server.url, 'analytiker', PASSWORD)
  const page = await context.newPage()
  return { context, page, said: watchConsole(page) }
}

async function apiTotal(request: APIRequestContext, search: string): Promise<number> {
  const r = await request.get(`${server.url}/api/stats/total${search}`)
  return ((await r.json()) as { total: number }).total
}
const sum = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0)
/** The filter part of a query string, order-independent (the drawn polygon and the CRS are not filters). */
const filterParams = (search: string) => [...new URLSearchParams(search)].filter(([k]) => k !== 'area' && k !== 'crs').map(([k, v]) => `${k}=${v}`).sort()

describe('the summary', () => {
  it('keeps the filters in the URL: a reload shows the same view and the same numbers', async () => {
    const { context, page, said } = await analyst(DESKTOP)
    await openSummary(page)
    const everything = await apiTotal(context.request, '')
    expect(everything).toBeGreaterThan(1000)
    await expect.poll(() => shownTotal(page)).toBe(everything)

    await chooseInFilter(page, 'Kategorier', 'Skadegörelse')
    await chooseInFilter(page, 'Kategorier', 'Samlingsplats')
    await page.getByRole('checkbox', { name: 'Fredag' }).check()
    await page.getByRole('checkbox', { name: 'Lördag' }).check()
    await page.getByLabel('Från klockan').selectOption('20')
    await page.getByLabel('Till klockan').selectOption('3')
    await page.waitForURL(/hourTo=3/)
    const search = new URL(page.url()).search
    expect(filterParams(search)).toEqual(['category=gathering', 'category=vandalism', 'hourFrom=20', 'hourTo=3', 'weekday=5', 'weekday=6'].sort())

    const expected = await apiTotal(context.request, search)
    expect(expected).toBeGreaterThan(0)
    expect(expected).toBeLessThan(everything)
    await expect.poll(() => shownTotal(page)).toBe(expected)
    await expect.poll(async () => sum(await chartTable(page, 'Per kategori'))).toBe(expected)
    const categories = await chartTable(page, 'Per kategori')
    expect(Object.keys(categories).sort()).toEqual(['Samlingsplats', 'Skadegörelse'])
    const hours = await chartTable(page, 'Veckodag och timme')

    await page.reload()
    await page.getByTestId('figure-total').waitFor()
    expect(new URL(page.url()).search).toBe(search)
    await expect.poll(() => shownTotal(page)).toBe(expected)
    await expect.poll(() => chartTable(page, 'Per kategori')).toEqual(categories)
    expect(await chartTable(page, 'Veckodag och timme')).toEqual(hours)
    for (const chip of ['Fredag', 'Lördag', 'Kategori: Skadegörelse', 'Kategori: Samlingsplats', 'Klockan 20:00–03:59']) {
      await page.getByRole('button', { name: `Ta bort filtret ${chip}` }).waitFor()
    }

    // Removing a chip is a filter change like any other.
    await page.getByRole('button', { name: 'Ta bort filtret Lördag' }).click()
    await page.waitForURL(u => !u.search.includes('weekday=6'))
    await expect.poll(() => shownTotal(page)).toBe(await apiTotal(context.request, new URL(page.url()).search))
    expect(said).toEqual([])
    await context.close()
  })

  it('filters by a box drawn on the map; figures, charts and export links follow', async () => {
    const { context, page, said } = await analyst(DESKTOP)
    await openSummary(page, '?category=littering&category=gathering&category=disorder')
    const before = await apiTotal(context.request, new URL(page.url()).search)
    await expect.poll(() => shownTotal(page)).toBe(before)
    await page.getByRole('button', { name: 'Ta bort filtret Kategori: Samlingsplats' }).waitFor()

    await drawBox(page, [0.25, 0.2], [0.75, 0.8])
    await page.waitForURL(/bbox=/)
    const search = new URL(page.url()).search
    const inBox = await apiTotal(context.request, search)
    expect(inBox).toBeGreaterThan(0)
    expect(inBox).toBeLessThan(before)
    await expect.poll(() => shownTotal(page)).toBe(inBox)
    await expect.poll(async () => sum(await chartTable(page, 'Per kategori'))).toBe(inBox)
    await expect.poll(async () => sum(await chartTable(page, 'Per organisation'))).toBe(inBox)
    await page.getByRole('button', { name: 'Ta bort filtret Område: ritad rektangel' }).waitFor()

    for (const id of ['csv', 'wgs84', 'sweref'] as const) {
      const href = await exportHref(page, id)
      expect(filterParams(new URL(href, server.url).search), id).toEqual(filterParams(search))
    }
    expect(new URL(await exportHref(page, 'sweref'), server.url).searchParams.get('crs')).toBe('EPSG:3006')
    const csv = await (await context.request.get(new URL(await exportHref(page, 'csv'), server.url).toString())).text()
    expect(csv.split('\r\n').filter(Boolean).length - 1).toBe(inBox)

    await expectAccessible(page, 'the summary with filters')
    if (shots) await page.screenshot({ path: join(shots, 'summary-desktop.png'), fullPage: true })
    expect(said).toEqual([])
    await context.close()
  })

  it('fits a 360 px phone', async () => {
    const { context, page, said } = await analyst(PHONE)
    await openSummary(page, '?weekday=6&weekday=7')
    await expect.poll(() => shownTotal(page)).toBe(await apiTotal(context.request, '?weekday=6&weekday=7'))
    await page.getByRole('table', { name: 'Per kategori' }).waitFor({ state: 'attached' })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await expectAccessible(page, 'the summary on a phone')
    if (shots) await page.screenshot({ path: join(shots, 'summary-phone.png'), fullPage: true })
    expect(said).toEqual([])
    await context.close()
  })
})

describe('the weekly report', () => {
  it('shows a week, steps between weeks and prints without the navigation', async () => {
    const { context, page, said } = await analyst(DESKTOP)
    await page.goto('/weekly/2026-W47')
    await page.getByRole('heading', { level: 1, name: 'Vecka 47, 2026' }).waitFor()
    const weekly = (await (await context.request.get(`${server.url}/api/stats/weekly?week=2026-W47`)).json()) as { total: number }
    expect(weekly.total).toBeGreaterThan(0)
    await expect.poll(async () => Number((await page.getByTestId('weekly-total').textContent())!.replace(/\D/g, ''))).toBe(weekly.total)
    await page.getByRole('img', { name: /^Karta över veckans brännpunkter/ }).waitFor()
    await expectAccessible(page, 'the weekly report')

    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).isVisible()).toBe(false)
    expect(await page.getByRole('navigation', { name: 'Veckor' }).isVisible()).toBe(false)
    expect(await page.getByRole('heading', { level: 1, name: 'Vecka 47, 2026' }).isVisible()).toBe(true)
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    expect(pages.length).toBeGreaterThanOrEqual(1)
    expect(pages.length).toBeLessThanOrEqual(4)
    if (shots) await import('node:fs').then(fs => fs.writeFileSync(join(shots, 'weekly.pdf'), pdf))
    await page.emulateMedia({ media: 'screen' })

    await page.getByRole('link', { name: 'Vecka 46' }).click()
    await page.getByRole('heading', { level: 1, name: 'Vecka 46, 2026' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/weekly/2026-W46')
    expect(said).toEqual([])
    await context.close()
  })
})
