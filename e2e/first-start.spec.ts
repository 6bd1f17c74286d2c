import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { DESKTOP, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { startServer, type RunningServer } from './support/server.ts'

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
    await page.waitForURL(/\/admin$/)
    expect(said).toEqual([])
    await context.close()
  })
})
