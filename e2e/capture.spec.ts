import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { createOrganisation, createUser, setPriorities } from './pages/admin.ts'
import { openMyReports, reportStates, signIn } from './pages/capture.ts'
import { enrolTotpInPage } from './pages/second-factor.ts'

let server: RunningServer
let browser: Browser
let admin: BrowserContext

async function changeOneTimePassword(page: Page, current: string, next: string) {
  await page.getByRole('heading', { name: 'Byt lösenord' }).waitFor()
  await page.getByLabel('Nuvarande lösenord').fill(current)
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(next)
  await page.getByLabel('Upprepa nytt lösenord').fill(next)
  await page.getByRole('button', { name: 'Spara lösenord' }).click()
  await page.waitForURL(url => url.pathname !== '/password')
  // A desk account sets up its second factor next.
  if (new URL(page.url()).pathname === '/second-factor') await enrolTotpInPage(page, server.url, server.firstAdmin.username)
}

beforeAll(async () => { [server, browser] = await Promise.all([startServer(), launch()]) })
afterAll(async () => { await browser?.close(); await server?.stop() })

describe('from a new installation to the first report', () => {
  let oneTimePassword = ''

  it('the admin adds an organisation, a reporter and this week\'s focus', async () => {
    admin = await newContext(browser, DESKTOP, { baseURL: server.url })
    const page = await admin.newPage()
    await signIn(page, server.firstAdmin.username, server.firstAdmin.password)
    await changeOneTimePassword(page, server.firstAdmin.password, 'administratörens lösenord')
    await createOrganisation(page, 'Securitas Helsingborg', 'security')
    oneTimePassword = await createUser(page, { username: 'vakt1', organisation: 'Securitas Helsingborg', roles: ['reporter'] })
    await setPriorities(page, { week: 'this', focus: ['Narkotika'], hotSpots: [{ place: 'Knutpunkten', organisation: 'Securitas Helsingborg', action: 'Extra rondering kvällstid' }] })
    expect(oneTimePassword).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/)
  })

  it('the reporter signs in on a phone, sees the focus, files a report that lands in SQLite and shows under "my reports"', async () => {
    const context = await newContext(browser, PHONE, { baseURL: server.url })
    await context.grantPermissions(['geolocation'])
    await context.setGeolocation({ latitude: 56.0460, longitude: 12.6938, accuracy: 12 }) // by Stortorget
    const page = await context.newPage()
    const said = watchConsole(page)

    await signIn(page, 'vakt1', oneTimePassword)
    await changeOneTimePassword(page, oneTimePassword, 'vakt ett lösenord')
    await page.getByRole('heading', { name: 'Vad har hänt?' }).waitFor()
    // This week's focus comes with the first pull; its category leads the grid.
    await page.getByText('Extra rondering kvällstid').waitFor()
    expect(await page.locator('[data-category]').first().getAttribute('data-category')).toBe('drugs')
    await expectAccessible(page, 'reporter home')

    await page.getByRole('button', { name: 'Klotter' }).click()
    await page.getByRole('heading', { name: 'Ny rapport' }).waitFor()
    // The nearest named place is chosen from the phone's position.
    await expect.poll(() => page.getByRole('radio', { name: /^Stortorget/ }).isChecked()).toBe(true)
    await expectAccessible(page, 'report form')
    await page.getByLabel('Vad hände?').fill('Nya taggar på fasaden mot torget')
    await page.getByTestId('save').click()
    await page.getByTestId('flash').waitFor()

    await openMyReports(page)
    await expect.poll(() => reportStates(page), { timeout: 15_000 }).toEqual(['Skickad'])
    await expectAccessible(page, 'my reports')

    const rows = readDb<{ category: string; description: string; place_id: number; org: string; status: string; location_source: string }>(server.dataDir,
      `SELECT r.category, r.description, r.place_id, o.name AS org, r.status, r.location_source FROM reports r JOIN organisations o ON o.id = r.organisation_id`)
    expect(rows).toEqual([{ category: 'graffiti', description: 'Nya taggar på fasaden mot torget', place_id: 1, org: 'Securitas Helsingborg', status: 'submitted', location_source: 'place' }])
    expect(said).toEqual([])
    await context.close()
  })

  it('shows what is wrong instead of saving a report without a place', async () => {
    const context = await newContext(browser, PHONE, { baseURL: server.url })
    const page = await context.newPage()
    await signIn(page, 'vakt1', 'vakt ett lösenord')
    await page.goto('/report?category=littering')
    await page.getByTestId('save').click()
    await page.getByText('Välj en plats, din position eller en punkt på kartan.').waitFor()
    expect(page.url()).toContain('/report')
    const count = readDb<{ n: number }>(server.dataDir, `SELECT count(*) AS n FROM reports WHERE category = 'littering'`)
    expect(count[0]!.n).toBe(0)
    await context.close()
  })
})
