import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { DESKTOP, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { nextTotp, rememberTotp } from './support/totp.ts'

let server: RunningServer
let browser: Browser
beforeAll(async () => { [server, browser] = await Promise.all([startServer(), launch()]) })
afterAll(async () => { await browser?.close(); await server?.stop() })

describe('first start', () => {
  it('the printed admin password signs in and must be replaced', async () => {
    const context = await newContext(browser, DESKTOP, { baseURL: server.url })
    const page = await context.newPage()
    const said = watchConsole(page)
    await page.goto('/')
    await page.getByRole('heading', { name: 'Logga in' }).waitFor()
    await expectAccessible(page, 'sign-in')
    await page.getByLabel('Användarnamn').fill(server.firstAdmin.username)
    await page.getByLabel('Lösenord').fill(server.firstAdmin.password)
    await page.getByRole('button', { name: 'Logga in' }).click()
    await page.getByRole('heading', { name: 'Byt lösenord' }).waitFor()
    await expectAccessible(page, 'change password')
    await page.getByLabel('Nuvarande lösenord').fill(server.firstAdmin.password)
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('ett långt nytt lösenord')
    await page.getByLabel('Upprepa nytt lösenord').fill('ett långt nytt lösenord')
    await page.getByRole('button', { name: 'Spara lösenord' }).click()
    // An admin is a desk role: the second factor is set up before anything else.
    await page.waitForURL(/\/second-factor$/)
    await expectAccessible(page, 'second factor: start')
    await page.getByRole('button', { name: 'Ställ in med app' }).click()
    await page.getByTestId('totp-secret').waitFor()
    await expectAccessible(page, 'second factor: scan the code')
    await page.getByRole('button', { name: 'Bekräfta' }).click()
    await page.getByText('Skriv de sex siffrorna som appen visar.').waitFor()
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '')
    rememberTotp(server.url, server.firstAdmin.username, secret)
    await page.getByLabel('Kod från appen').fill(await nextTotp(server.url, server.firstAdmin.username))
    await page.getByRole('button', { name: 'Bekräfta' }).click()
    await page.getByRole('heading', { name: 'Dina återställningskoder' }).waitFor()
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
    await expectAccessible(page, 'second factor: recovery codes')
    await page.getByRole('button', { name: 'Jag har sparat koderna' }).click()
    await page.waitForURL(/\/admin$/)
    expect(said).toEqual([])
    await context.close()
  })
})
