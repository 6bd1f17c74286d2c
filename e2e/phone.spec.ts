import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { adminSession, apiCall, apiSignIn } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { fileReport, openMyReports, signIn, unsentCount } from './pages/capture.ts'
import { deviceStore, installOffer, offerInstallPrompt, openMenu, signOutFromMenu } from './pages/phone.ts'

const PASSWORD = 'vakt ett lösenord'
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()])
  const admin = await browser.newContext()
  await adminSession(admin.request, server.url, server.firstAdmin)
  const org = await apiCall<{ id: number }>(admin.request, server.url, 'POST', '/admin/organisations', { name: 'Securitas Helsingborg', kind: 'security' })
  for (const username of ['vakt1', 'vakt2', 'vakt3', 'vakt4']) {
    await apiCall(admin.request, server.url, 'POST', '/admin/users', { username, organisationId: org.id, roles: ['reporter'], password: PASSWORD })
  }
  const kommun = await apiCall<{ id: number }[]>(admin.request, server.url, 'GET', '/admin/organisations')
  await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: 'granskare', organisationId: kommun[0]!.id, roles: ['reviewer'], password: 'granskarens lösenord' })
  await admin.close()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function phone(options: { userAgent?: string } = {}): Promise<{ context: BrowserContext; page: Page; said: string[] }> {
  const context = await browser.newContext({ ...PHONE, baseURL: server.url, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', serviceWorkers: 'allow', ...options })
  await context.grantPermissions(['geolocation'])
  await context.setGeolocation({ latitude: 56.0460, longitude: 12.6938, accuracy: 12 }) // by Stortorget
  const page = await context.newPage()
  return { context, page, said: watchConsole(page) }
}

const home = (page: Page) => page.getByRole('heading', { name: 'Vad har hänt?' }).waitFor()
const serverReports = (reporter: string) => readDb<{ id: string }>(server.dataDir,
  'SELECT r.id FROM reports r JOIN users u ON u.id = r.reporter_id WHERE u.username = ? ORDER BY r.id', reporter).map(r => r.id)

describe('installing the app', () => {
  it('offers the browser\'s own prompt where there is one, and says so once installed', async () => {
    const { context, page, said } = await phone()
    await signIn(page, 'vakt1', PASSWORD)
    await home(page)
    expect(await installOffer(page).count()).toBe(0) // Chromium has not offered to install
    await offerInstallPrompt(page, 'accepted')
    await installOffer(page).getByRole('heading', { name: 'Installera appen' }).waitFor()
    await expectAccessible(page, 'home with the install offer')
    await installOffer(page).getByRole('button', { name: 'Installera' }).click()
    await page.getByText('Appen är installerad.').waitFor()
    expect(await page.evaluate(() => (window as unknown as { __prompted: number }).__prompted)).toBe(1)
    expect(await installOffer(page).count()).toBe(0)
    expect(said).toEqual([])
    await context.close()
  })

  it('remembers "not now"', async () => {
    const { context, page } = await phone()
    await signIn(page, 'vakt1', PASSWORD)
    await home(page)
    await offerInstallPrompt(page, 'dismissed')
    await installOffer(page).getByRole('button', { name: 'Inte nu' }).click()
    expect(await installOffer(page).count()).toBe(0)
    await page.reload()
    await home(page)
    await offerInstallPrompt(page, 'dismissed')
    await page.getByRole('button', { name: 'Klotter' }).waitFor()
    expect(await installOffer(page).count()).toBe(0)
    // "About this phone" still explains it.
    await page.goto('/phone')
    await page.getByRole('heading', { name: 'Om den här telefonen' }).waitFor()
    await offerInstallPrompt(page, 'dismissed')
    await installOffer(page).getByRole('button', { name: 'Installera' }).waitFor()
    await context.close()
  })

  it('shows the Share → Add to Home Screen steps on an iPhone', async () => {
    const { context, page } = await phone({ userAgent: IPHONE_SAFARI })
    await signIn(page, 'vakt1', PASSWORD)
    await home(page)
    await installOffer(page).getByRole('heading', { name: 'Lägg Lägesbild på hemskärmen' }).waitFor()
    const steps = (await installOffer(page).getByRole('listitem').allTextContents()).map(s => s.trim())
    expect(steps).toEqual(['Tryck på Dela', 'Välj Lägg till på hemskärmen', expect.stringContaining('Tryck på Lägg till')])
    expect(await installOffer(page).getByRole('button', { name: 'Installera' }).count()).toBe(0)
    await expectAccessible(page, 'home with the iOS install steps')
    await context.close()
  })

  it('shows the browser-menu steps where the browser has no install prompt at all', async () => {
    const { context, page } = await phone()
    await context.addInitScript(() => { delete (window as unknown as Record<string, unknown>).BeforeInstallPromptEvent })
    await signIn(page, 'vakt1', PASSWORD)
    await home(page)
    await installOffer(page).getByText('Öppna webbläsarens meny').waitFor()
    await context.close()
  })

  // Chromium 156 ignores display-mode in CDP's Emulation.setEmulatedMedia, so the media query is emulated in the page.
  const standalone = {
    'display-mode: standalone (Android, desktop)': (context: BrowserContext) => context.addInitScript(() => {
      const real = window.matchMedia.bind(window)
      window.matchMedia = q => /display-mode:\s*standalone/.test(q) ? { ...real(q), matches: true, media: q } : real(q)
    }),
    'navigator.standalone (iOS home screen)': (context: BrowserContext) => context.addInitScript(() => Object.defineProperty(navigator, 'standalone', { value: true })),
  }
  for (const [how, emulate] of Object.entries(standalone)) {
    it(`shows nothing about installing, nor the storage hint, when running as the installed app: ${how}`, async () => {
      const { context, page } = await phone({ userAgent: IPHONE_SAFARI })
      await emulate(context)
      await signIn(page, 'vakt1', PASSWORD)
      await home(page)
      await offerInstallPrompt(page, 'accepted')
      await page.getByRole('button', { name: 'Klotter' }).waitFor()
      await page.getByRole('link', { name: 'Mina rapporter' }).first().click()
      await page.getByRole('link', { name: 'Rapportera', exact: true }).click()
      await home(page)
      expect(await installOffer(page).count()).toBe(0)
      expect(await page.getByTestId('storage-hint').count()).toBe(0)
      await page.goto('/phone')
      await page.getByRole('heading', { name: 'Om den här telefonen' }).waitFor()
      expect(await page.getByTestId('installed').textContent()).toBe('Ja')
      expect(await installOffer(page).count()).toBe(0)
      await context.close()
    })
  }
})

describe('honest about storage', () => {
  it('hints quietly while everything is sent, and warns with a banner while a report exists only on the phone', async () => {
    const { context, page } = await phone()
    await signIn(page, 'vakt2', PASSWORD)
    await home(page)
    await page.getByTestId('storage-hint').waitFor()
    expect(await page.getByTestId('storage-warning').count()).toBe(0)

    await page.route('**/api/sync/push', route => route.abort('internetdisconnected'))
    await fileReport(page, { category: 'Klotter', place: 'Stortorget' })
    await page.getByTestId('storage-warning').getByText('Ej skickat: 1 rapport. Det finns bara på den här telefonen').waitFor()
    expect(await page.getByTestId('storage-hint').count()).toBe(0)
    await expectAccessible(page, 'home with the storage warning')

    // What to do: the about page says what the browser reported and how to install.
    await page.getByTestId('storage-warning').getByRole('link', { name: 'Så installerar du' }).click()
    await page.getByRole('heading', { name: 'Om den här telefonen' }).waitFor()
    expect(await page.getByTestId('storage-persisted').textContent()).toContain('Nej, webbläsaren kan radera datan')
    expect(await page.getByTestId('about-unsent').textContent()).toBe('1 rapport')
    await expect.poll(() => page.getByTestId('storage-used').textContent()).toMatch(/\d.* av \d.* används/)
    expect(await page.getByTestId('app-version').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} /)
    await expectAccessible(page, 'about this phone')
    await page.unroute('**/api/sync/push')
    await context.close()
  })
})

describe('the first minutes', () => {
  it('says "fetching" while the first pull runs, and only then that there are no reports', async () => {
    const { context, page } = await phone()
    let release = () => {}
    const gate = new Promise<void>(resolve => { release = resolve })
    await page.route('**/api/sync/pull**', async route => { await gate; await route.continue() })
    await signIn(page, 'vakt3', PASSWORD)
    await home(page)
    await openMyReports(page)
    await page.getByTestId('first-pull').getByText('Hämtar dina rapporter …').waitFor()
    release()
    await page.getByText('Du har inga rapporter på den här telefonen ännu.').waitFor()
    await context.close()
  })

  it('keeps language and sign-out in a menu that works by keyboard', async () => {
    const { context, page } = await phone()
    await signIn(page, 'vakt3', PASSWORD)
    await home(page)
    const toggle = page.getByRole('button', { name: 'Meny' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await page.getByRole('button', { name: 'Logga ut' }).count()).toBe(0)
    await toggle.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('group', { name: 'Konto och inställningar' }).getByText('vakt3').waitFor()
    // Password-only reporters have no second-factor page to go back to.
    expect(await page.getByRole('link', { name: 'Tvåstegsverifiering' }).count()).toBe(0)
    // Changing one's own password is always one tap away (before, only a one-time password led there).
    expect(await page.getByRole('link', { name: 'Byt lösenord' }).getAttribute('href')).toBe('/password')
    await expectAccessible(page, 'home with the menu open')
    await page.getByRole('combobox', { name: 'Språk' }).focus()
    await page.keyboard.press('Escape')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('header-menu')
    await openMenu(page)
    await page.getByRole('combobox', { name: 'Språk' }).selectOption('en')
    await page.getByRole('heading', { name: 'What happened?' }).waitFor()
    await page.getByRole('combobox', { name: 'Language' }).selectOption('sv')
    await context.close()
  })
})

describe('a shared phone', () => {
  it("clears a user's synced data at sign-out and keeps their unsent report for them alone", async () => {
    const { context, page } = await phone()
    await signIn(page, 'vakt4', PASSWORD)
    await home(page)
    await fileReport(page, { category: 'Klotter', place: 'Stortorget', description: 'Skickad' })
    await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
    expect(serverReports('vakt4')).toHaveLength(1)
    await page.route('**/api/sync/push', route => route.abort('internetdisconnected'))
    await fileReport(page, { category: 'Nedskräpning', place: 'Stortorget', description: 'Inte skickad än' })
    expect(await unsentCount(page)).toBe('Ej skickat: 1 rapport')
    const vakt4 = (await deviceStore(page)).outbox[0]!

    const warned = await signOutFromMenu(page)
    expect(warned).toContain('Du har 1 rapport som väntar på att skickas.')
    const left = await deviceStore(page)
    expect(left.reports.map(r => r.id)).toEqual([vakt4.reportId])
    expect(left.outbox).toEqual([expect.objectContaining({ ownerId: vakt4.ownerId, reportId: vakt4.reportId })])
    expect([left.reference, left.meta]).toEqual([[], []])

    // Someone else on the same phone sees none of it and sends none of it.
    await page.unroute('**/api/sync/push')
    await signIn(page, 'vakt3', PASSWORD)
    await home(page)
    await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
    await page.getByText('En annan användare har 1 rapport på telefonen som väntar på att skickas.').waitFor()
    await openMyReports(page)
    await page.getByText('Du har inga rapporter på den här telefonen ännu.').waitFor()
    expect(await page.getByText('Inte skickad än').count()).toBe(0)
    expect(serverReports('vakt4')).toHaveLength(1)
    expect(await signOutFromMenu(page)).toBeNull()

    // The owner signs in again: the report is sent, and the synced one comes back from the server.
    await signIn(page, 'vakt4', PASSWORD)
    await home(page)
    await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
    expect(serverReports('vakt4')).toHaveLength(2)
    await openMyReports(page)
    await expect.poll(() => page.getByTestId('my-reports').locator('li').count(), { timeout: 15_000 }).toBe(2)
    await context.close()
  })
})

describe('a lighter install for reporters', () => {
  it('precaches the capture screens but not the desk, which is cached on first use and then opens offline', async () => {
    const context = await newContext(browser, PHONE, { baseURL: server.url })
    await apiSignIn(context.request, server.url, 'granskare', 'granskarens lösenord')
    const page = await context.newPage()
    await page.goto('/review')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await page.getByRole('heading', { name: 'Kö' }).waitFor()
    const cached = await page.evaluate(async () => {
      const out: Record<string, string[]> = {}
      for (const name of await caches.keys()) out[name.startsWith('workbox-precache') ? 'precache' : name] = (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname)
      return out
    })
    expect(cached.precache!.some(p => /\/assets\/ReportPage-[\w-]+\.js$/.test(p))).toBe(true)
    expect(cached.precache!.some(p => /\/assets\/PlacePicker-[\w-]+\.js$/.test(p))).toBe(true)
    expect(cached.precache!.filter(p => /(Review|Summary|Admin|WeeklyReport)Page-|use-echart-/.test(p))).toEqual([])
    expect(cached['desk-assets']!.some(p => /\/assets\/ReviewPage-[\w-]+\.js$/.test(p))).toBe(true)

    await context.setOffline(true)
    await context.route('**/*', route => route.abort('internetdisconnected'))
    await page.reload()
    await page.getByRole('heading', { name: 'Kö' }).waitFor()
    await context.close()
  })
})
