import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { WeeklyPriority } from '@lagesbild/domain'
import { DESKTOP, PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { createOrganisation, createUser, openAdminTab, setPriorities } from './pages/admin.ts'
import { enrolTotpInPage } from './pages/second-factor.ts'
import { apiSignIn } from './support/api.ts'

let server: RunningServer
let browser: Browser
beforeAll(async () => { [server, browser] = await Promise.all([startServer(), launch()]) })
afterAll(async () => { await browser?.close(); await server?.stop() })

const NEW_PASSWORD = 'ett långt nytt lösenord'

async function signInFirstTime(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Användarnamn').fill(server.firstAdmin.username)
  await page.getByLabel('Lösenord').fill(server.firstAdmin.password)
  await page.getByRole('button', { name: 'Logga in' }).click()
  await page.getByLabel('Nuvarande lösenord').fill(server.firstAdmin.password)
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(NEW_PASSWORD)
  await page.getByLabel('Upprepa nytt lösenord').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: 'Spara lösenord' }).click()
  await enrolTotpInPage(page, server.url, server.firstAdmin.username)
  await page.waitForURL(/\/admin$/)
}

describe('administration', () => {
  it('the first admin sets up an organisation, a reporter and next week\'s priorities', async () => {
    const context = await newContext(browser, DESKTOP, { baseURL: server.url })
    const page = await context.newPage()
    const said = watchConsole(page)
    await signInFirstTime(page)

    await createOrganisation(page, 'Securitas Helsingborg', 'security')
    await expect.poll(() => page.getByRole('row', { name: /Securitas Helsingborg/ }).textContent()).toContain('Bevakningsföretag')
    await expectAccessible(page, 'admin: organisations')

    const password = await createUser(page, { username: 'vakt1', organisation: 'Securitas Helsingborg', roles: ['reporter'] })
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    await expectAccessible(page, 'admin: users with a one-time password shown')
    // Outside the page's cookie jar, so the admin stays signed in.
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ username: 'vakt1', password }) })
    expect(await login.json()).toMatchObject({ username: 'vakt1', roles: ['reporter'], mustChangePassword: true })

    // A refused username is explained next to the username field.
    await page.getByLabel('Användarnamn', { exact: true }).fill('vakt1')
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Securitas Helsingborg' })
    await page.getByRole('checkbox', { name: 'Rapportör', exact: true }).check()
    await page.getByRole('button', { name: 'Lägg till användare' }).click()
    await expect.poll(() => page.locator('#user-username-error').textContent()).toBe('Det finns redan. Välj ett annat namn.')
    expect(await page.getByLabel('Användarnamn', { exact: true }).getAttribute('aria-invalid')).toBe('true')

    await setPriorities(page, {
      week: 'next', focus: ['Narkotika', 'Samlingsplats'], notes: 'Följs upp på nästa möte.',
      hotSpots: [{ place: 'Stortorget', organisation: 'Securitas Helsingborg', action: 'Extra rundor fre–lör 22–02' }],
    })
    await expectAccessible(page, 'admin: priorities')
    const week = /\d{4}-W\d{2}/.exec((await page.getByRole('radio', { name: /^Nästa vecka/ }).locator('xpath=..').textContent())!)![0]
    const saved = await (await page.request.get(`/api/priorities?week=${week}`)).json() as { priority: WeeklyPriority }
    const orgs = await (await page.request.get('/api/admin/organisations')).json() as Array<{ id: number; name: string }>
    expect(saved.priority).toMatchObject({
      focusCategories: ['drugs', 'gathering'], notes: 'Följs upp på nästa möte.',
      hotSpots: [{ responsibleOrgId: orgs.find(o => o.name === 'Securitas Helsingborg')!.id, action: 'Extra rundor fre–lör 22–02' }],
    })

    for (const tab of ['categories', 'places', 'retention', 'audit'] as const) {
      await openAdminTab(page, tab)
      await expectAccessible(page, `admin: ${tab}`)
    }
    await expect.poll(() => page.getByRole('row', { name: /Sparade prioriteringar/ }).count()).toBe(1)
    // The refused username above is the only failed request (Chromium logs each one).
    expect(said).toEqual([expect.stringContaining('409 (Conflict)')])
    await context.close()
  })

  it('gives a user who forgot their password a new one-time password; they sign in with it and must change it', async () => {
    const context = await newContext(browser, DESKTOP, { baseURL: server.url })
    const page = await context.newPage()
    const said = watchConsole(page)
    await apiSignIn(page.request, server.url, server.firstAdmin.username, NEW_PASSWORD)
    await openAdminTab(page, 'users')
    const row = page.getByRole('row', { name: /vakt1/ })
    await row.getByRole('button', { name: 'Nytt engångslösenord för vakt1' }).click()
    await row.getByRole('button', { name: 'Ja, ersätt lösenordet för vakt1' }).click()
    await page.getByRole('heading', { name: 'Engångslösenord för vakt1' }).waitFor()
    const password = (await page.getByTestId('one-time-password').textContent())!.trim()
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    await page.getByRole('status').getByText('vakt1 har fått ett nytt engångslösenord.', { exact: false }).waitFor()
    await expectAccessible(page, 'admin: a new one-time password shown')

    const phone = await newContext(browser, PHONE, { baseURL: server.url })
    const user = await phone.newPage()
    await user.goto('/login')
    await user.getByLabel('Användarnamn').fill('vakt1')
    await user.getByLabel('Lösenord').fill(password)
    await user.getByRole('button', { name: 'Logga in' }).click()
    await user.waitForURL(/\/password$/)
    await user.getByLabel('Nuvarande lösenord').waitFor()
    expect(said).toEqual([])
    await Promise.all([context.close(), phone.close()])
  })

  it('imports hot-spot areas from a GeoJSON file: a bad file imports nothing and names each bad feature', async () => {
    const context = await newContext(browser, DESKTOP, { baseURL: server.url })
    const page = await context.newPage()
    const said = watchConsole(page)
    await apiSignIn(page.request, server.url, server.firstAdmin.username, NEW_PASSWORD)
    await openAdminTab(page, 'places')
    const square = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat + 0.002], [lon, lat]]] })
    const file = (features: unknown[]) => ({ name: 'omraden.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) })
    const good = { type: 'Feature', properties: { name: 'Hamnområdet' }, geometry: square(12.689, 56.044) }
    const bowTie = { type: 'Feature', properties: { name: 'Fluga' }, geometry: { type: 'Polygon', coordinates: [[[12.69, 56.04], [12.70, 56.05], [12.70, 56.04], [12.69, 56.05], [12.69, 56.04]]] } }

    await page.getByLabel('GeoJSON-fil').setInputFiles(file([good, bowTie]))
    await page.getByRole('button', { name: 'Importera', exact: true }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'Ingenting importerades' })
    await alert.waitFor()
    expect(await alert.textContent()).toContain('Objekt 2 (Fluga): the polygon intersects itself')
    await expectAccessible(page, 'admin: places import refused')
    expect(await page.getByRole('row', { name: /Hamnområdet/ }).count()).toBe(0)

    await page.getByLabel('GeoJSON-fil').setInputFiles(file([good]))
    await page.getByRole('button', { name: 'Importera', exact: true }).click()
    await page.getByRole('status').getByText('1 plats eller område importerades.').waitFor()
    await page.getByRole('row', { name: /Hamnområdet/ }).waitFor()
    expect(said).toEqual([expect.stringContaining('400 (Bad Request)')])
    await context.close()
  })

  it('works on a 360 px phone', async () => {
    const context = await newContext(browser, PHONE, { baseURL: server.url })
    const page = await context.newPage()
    const said = watchConsole(page)
    await apiSignIn(page.request, server.url, server.firstAdmin.username, NEW_PASSWORD)
    await openAdminTab(page, 'users')
    await page.getByRole('row', { name: /vakt1/ }).waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await expectAccessible(page, 'admin on a phone')
    expect(said).toEqual([])
    await context.close()
  })
})
