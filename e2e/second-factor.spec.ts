import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { adminSession, apiCall } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { nextTotp, rememberTotp } from './support/totp.ts'
import { openMenu, signOutFromMenu } from './pages/phone.ts'

const PASSWORD = 'granskarens långa lösenord'
let server: RunningServer
let browser: Browser
let admin: BrowserContext
const contexts: BrowserContext[] = []

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()])
  admin = await browser.newContext()
  contexts.push(admin)
  await adminSession(admin.request, server.url, server.firstAdmin)
  const [kommunen] = await apiCall<Array<{ id: number }>>(admin.request, server.url, 'GET', '/admin/organisations')
  for (const username of ['granskare', 'nyckel']) {
    await apiCall(admin.request, server.url, 'POST', '/admin/users', { username, organisationId: kommunen!.id, roles: ['reviewer'], password: PASSWORD })
  }
})
afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await server?.stop()
})

async function passwordStep(page: Page, username: string) {
  await page.goto('/login')
  await page.getByLabel('Användarnamn').fill(username)
  await page.getByLabel('Lösenord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logga in' }).click()
}


describe('two-step verification in the browser', () => {
  it('a reviewer enrols TOTP at first sign-in, then signs in with a code, then with a recovery code', async () => {
    const context = await newContext(browser, DESKTOP, { baseURL: server.url })
    contexts.push(context)
    const page = await context.newPage()
    const said = watchConsole(page)

    await passwordStep(page, 'granskare')
    await page.waitForURL(/\/second-factor$/)
    await page.getByRole('heading', { level: 1, name: 'Tvåstegsverifiering' }).waitFor()
    await page.getByText('Ditt konto ser rapporter om andra människor.').waitFor()
    await expectAccessible(page, 'enrolment: start')
    // Nothing else opens until the second factor is set up.
    await page.goto('/review')
    await page.waitForURL(/\/second-factor$/)

    await page.getByRole('button', { name: 'Ställ in med app' }).click()
    await page.getByRole('img', { name: /^QR-kod för autentiseringsappen/ }).waitFor()
    await expectAccessible(page, 'enrolment: QR code and key')
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    rememberTotp(server.url, 'granskare', secret)
    await page.getByLabel('Kod från appen').fill('000000' === await nextTotp(server.url, 'granskare') ? '111111' : '000000')
    await page.getByRole('button', { name: 'Bekräfta' }).click()
    await page.getByText('Koden stämmer inte.', { exact: false }).waitFor()
    await page.getByLabel('Kod från appen').fill(await nextTotp(server.url, 'granskare'))
    await page.getByRole('button', { name: 'Bekräfta' }).click()
    await page.getByRole('heading', { name: 'Dina återställningskoder' }).waitFor()
    const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map(c => c.trim())
    expect(codes).toHaveLength(10)
    await expectAccessible(page, 'enrolment: recovery codes')
    await page.getByRole('button', { name: 'Jag har sparat koderna' }).click()
    await page.waitForURL(/\/review$/)
    await signOutFromMenu(page)

    // Password, then the code from the app.
    await passwordStep(page, 'granskare')
    await page.getByRole('heading', { level: 2, name: 'Tvåstegsverifiering' }).waitFor()
    await expectAccessible(page, 'sign-in: second step')
    await page.getByLabel('Sexsiffrig kod').fill(await nextTotp(server.url, 'granskare'))
    await page.getByRole('button', { name: 'Verifiera och logga in' }).click()
    await page.waitForURL(/\/review$/)
    // The way back to the page after enrolment (to add a passkey, to see the codes left): the menu.
    await openMenu(page)
    await page.getByRole('link', { name: 'Tvåstegsverifiering' }).click()
    await page.waitForURL(/\/second-factor$/)
    await page.getByRole('heading', { level: 2, name: 'Din inloggning' }).waitFor()
    await page.getByText('Återställningskoder kvar: 10').waitFor()
    await expectAccessible(page, 'the second-factor page from the menu')
    await signOutFromMenu(page)

    // Password, then a recovery code; the same code does not work twice.
    await passwordStep(page, 'granskare')
    await page.getByRole('button', { name: 'Använd en återställningskod' }).click()
    await page.getByLabel('Återställningskod').fill(codes[0]!)
    await expectAccessible(page, 'sign-in: recovery code')
    await page.getByRole('button', { name: 'Verifiera och logga in' }).click()
    await page.waitForURL(/\/review$/)
    await signOutFromMenu(page)
    await passwordStep(page, 'granskare')
    await page.getByRole('button', { name: 'Använd en återställningskod' }).click()
    await page.getByLabel('Återställningskod').fill(codes[0]!)
    await page.getByRole('button', { name: 'Verifiera och logga in' }).click()
    await page.getByText('Återställningskoden stämmer inte eller är redan använd.').waitFor()

    const logins = readDb<{ detail: string }>(server.dataDir, `SELECT a.detail FROM audit_events a JOIN users u ON u.id = a.actor_id WHERE u.username = 'granskare' AND a.action = 'login' ORDER BY a.id`)
    expect(logins.map(l => (JSON.parse(l.detail) as { secondFactor: string | null }).secondFactor)).toEqual([null, 'totp', 'recovery_code'])
    // Chromium logs each refused request: the wrong first code and the reused recovery code.
    expect(said.filter(m => !/40[01] \((Bad Request|Unauthorized)\)/.test(m))).toEqual([])
  })

  it('tells a reporter why: their organisation asked for it, or it is their own choice', async () => {
    const organisation = async (name: string) => (await apiCall<{ id: number }>(admin.request, server.url, 'POST', '/admin/organisations', { name, kind: 'security' })).id
    const asks = await organisation('Vaktbolaget Tvåsteg')
    await apiCall(admin.request, server.url, 'PATCH', `/admin/organisations/${asks}`, { requireSecondFactor: true })
    await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: 'vakt-tvasteg', organisationId: asks, roles: ['reporter'], password: PASSWORD })
    await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: 'vakt-losen', organisationId: await organisation('Vaktbolaget Lösen'), roles: ['reporter'], password: PASSWORD })
    const context = await browser.newContext({ ...PHONE, baseURL: server.url, locale: 'sv-SE' })
    contexts.push(context)
    const page = await context.newPage()

    await passwordStep(page, 'vakt-tvasteg')
    await page.waitForURL(/\/second-factor$/)
    await page.getByText('Din organisation vill skydda det du rapporterar.').waitFor()
    expect(await page.getByText('andra människor').count()).toBe(0)

    // A password-only reporter may open the page and set one up; it is theirs to choose, and then always asked for.
    const other = await browser.newContext({ ...PHONE, baseURL: server.url, locale: 'sv-SE' })
    contexts.push(other)
    const own = await other.newPage()
    await passwordStep(own, 'vakt-losen')
    await own.waitForURL(url => url.pathname === '/')
    await own.goto('/second-factor')
    await own.getByText('När det är inställt behövs det varje gång du loggar in.', { exact: false }).waitFor()
    expect(await own.getByText('andra människor').count()).toBe(0)
  })

  it('the second step fits a 360 px phone in the dark theme', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: server.url, locale: 'sv-SE', colorScheme: 'dark' })
    contexts.push(context)
    const page = await context.newPage()
    await passwordStep(page, 'granskare')
    await page.getByRole('heading', { level: 2, name: 'Tvåstegsverifiering' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await expectAccessible(page, 'second step on a phone, dark')
  })

  it('a reviewer registers a passkey and signs in with it (Chromium\'s virtual authenticator)', async () => {
    // WebAuthn needs a domain, not an IP address, as the relying party: the same server as localhost.
    const origin = server.url.replace('127.0.0.1', 'localhost')
    const context = await newContext(browser, DESKTOP, { baseURL: origin })
    contexts.push(context)
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    })

    await passwordStep(page, 'nyckel')
    await page.waitForURL(/\/second-factor$/)
    await page.getByRole('button', { name: 'Lägg till en nyckel' }).click()
    await page.getByRole('heading', { name: 'Dina återställningskoder' }).waitFor()
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
    await page.getByRole('button', { name: 'Jag har sparat koderna' }).click()
    await page.waitForURL(/\/review$/)
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    await signOutFromMenu(page)

    await passwordStep(page, 'nyckel')
    await page.getByRole('button', { name: 'Använd nyckel (passkey)' }).click()
    await page.waitForURL(/\/review$/)
    const rows = readDb<{ action: string; detail: string }>(server.dataDir,
      `SELECT a.action, a.detail FROM audit_events a JOIN users u ON u.id = a.actor_id WHERE u.username = 'nyckel' AND a.action IN ('login', 'second_factor_enrolled') ORDER BY a.id`)
    expect(rows.map(r => [r.action, (JSON.parse(r.detail) as { secondFactor?: string; method?: string })])).toEqual([
      ['login', { secondFactor: null, mustEnrolSecondFactor: true }],
      ['second_factor_enrolled', { method: 'passkey' }],
      ['login', { secondFactor: 'passkey', mustEnrolSecondFactor: false }],
    ])
    expect(readDb<{ n: number }>(server.dataDir, `SELECT count(*) AS n FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.username = 'nyckel'`)[0]!.n).toBe(1)
  })
})
