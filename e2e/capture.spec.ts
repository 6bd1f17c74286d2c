import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext } from 'playwright-core'
import { PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { adminSession, apiCall } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { fileReport, openMyReports, reportStates, signIn } from './pages/capture.ts'

let server: RunningServer
let browser: Browser
let admin: BrowserContext

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()])
  admin = await browser.newContext()
  await adminSession(admin.request, server.url, server.firstAdmin)
  const org = await apiCall<{ id: number }>(admin.request, server.url, 'POST', '/admin/organisations', { name: 'Securitas Helsingborg', kind: 'security' })
  await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: 'vakt1', displayName: 'Vakt Ett', organisationId: org.id, roles: ['reporter'], password: 'vakt ett lösenord' })
})
afterAll(async () => { await browser?.close(); await server?.stop() })

describe('a reporter on a phone', () => {
  it('files a report that lands in SQLite and shows under "my reports"', async () => {
    const context = await newContext(browser, PHONE, { baseURL: server.url })
    await context.grantPermissions(['geolocation'])
    await context.setGeolocation({ latitude: 56.0460, longitude: 12.6938, accuracy: 12 }) // by Stortorget
    const page = await context.newPage()
    const said = watchConsole(page)

    await signIn(page, 'vakt1', 'vakt ett lösenord')
    await page.getByRole('heading', { name: 'Vad har hänt?' }).waitFor()
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
