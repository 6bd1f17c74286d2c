import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { adminSession, apiCall } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { fileReport, openMyReports, reportStates, signIn, syncNow } from './pages/capture.ts'
import { detailHeading, openDesk, pickDuplicate, queueItem, reject, status, waitingCount } from './pages/review.ts'

const PASSWORD = 'ett långt lösenord för test'
const STORTORGET = { latitude: 56.0460, longitude: 12.6938, accuracy: 12 }

let server: RunningServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()])
  const admin = await browser.newContext()
  contexts.push(admin)
  await adminSession(admin.request, server.url, server.firstAdmin)
  const call = <T>(path: string, body: unknown) => apiCall<T>(admin.request, server.url, 'POST', path, body)
  const [kommunen] = await apiCall<Array<{ id: number }>>(admin.request, server.url, 'GET', '/admin/organisations')
  const guards = await call<{ id: number }>('/admin/organisations', { name: 'Securitas Helsingborg', kind: 'security' })
  const police = await call<{ id: number }>('/admin/organisations', { name: 'Polisen Helsingborg', kind: 'police' })
  await call('/admin/users', { username: 'vakt1', organisationId: guards.id, roles: ['reporter'], password: PASSWORD })
  await call('/admin/users', { username: 'polis1', organisationId: police.id, roles: ['reporter'], password: PASSWORD })
  await call('/admin/users', { username: 'granskare', organisationId: kommunen!.id, roles: ['reviewer'], password: PASSWORD })
})
afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await server?.stop()
})

async function phone(username: string): Promise<Page> {
  const context = await newContext(browser, PHONE, { baseURL: server.url })
  contexts.push(context)
  await context.grantPermissions(['geolocation'])
  await context.setGeolocation(STORTORGET)
  const page = await context.newPage()
  await signIn(page, username, PASSWORD)
  return page
}

const notes = (page: Page) => page.getByTestId('my-reports').locator('li').getByTestId('review-note').allTextContents()

describe('the review desk', () => {
  it('merges one event from two organisations, approves by keyboard, rejects with a reason; phones learn each outcome', async () => {
    // Two reporters from two organisations report the same fight; the guard also reports two other things.
    const guard = await phone('vakt1')
    const cop = await phone('polis1')
    await fileReport(guard, { category: 'Hot och våld', place: 'Stortorget', description: 'Två personer slogs vid fontänen' })
    await fileReport(cop, { category: 'Hot och våld', place: 'Stortorget', description: 'Misshandel på Stortorget, en omhändertagen' })
    await fileReport(guard, { category: 'Klotter', place: 'Stortorget', description: 'Nya taggar på busskuren' })
    await fileReport(guard, { category: 'Nedskräpning', place: 'Stortorget', description: 'Test, skulle inte skickas' })
    await openMyReports(guard)
    await openMyReports(cop)
    await expect.poll(() => reportStates(guard), { timeout: 15_000 }).toEqual(['Skickad', 'Skickad', 'Skickad'])
    await expect.poll(() => reportStates(cop), { timeout: 15_000 }).toEqual(['Skickad'])

    const desk = await newContext(browser, DESKTOP, { baseURL: server.url })
    contexts.push(desk)
    const page = await desk.newPage()
    const said = watchConsole(page)
    await signIn(page, 'granskare', PASSWORD)
    await openDesk(page)
    await expect.poll(() => waitingCount(page).textContent()).toBe('4 väntar på granskning')
    await expectAccessible(page, 'review queue')
    await page.screenshot({ path: '/tmp/review-queue-1280.png' })

    // The guard's report of the fight suggests the police report as the same event: merge them.
    await queueItem(page, 'Securitas Helsingborg').filter({ hasText: 'Hot och våld' }).click()
    await expect.poll(() => detailHeading(page).textContent()).toBe('Hot och våld')
    await page.getByRole('heading', { name: 'Möjliga dubbletter' }).waitFor()
    await pickDuplicate(page, 'Polisen Helsingborg')
    await expectAccessible(page, 'review detail pane')
    await page.screenshot({ path: '/tmp/review-detail-1280.png' })
    await page.keyboard.press('m')
    await page.keyboard.type('Samma händelse som Polisens rapport')
    await page.getByRole('button', { name: 'Slå ihop 1 med den här' }).click()
    await expect.poll(() => status(page).textContent()).toContain('sammanslagna')
    await expect.poll(() => waitingCount(page).textContent()).toBe('2 väntar på granskning')

    // From a fresh page, with the keyboard alone: j opens the oldest waiting report, a approves it.
    await openDesk(page)
    await page.locator('body').focus()
    await page.keyboard.press('j')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Klotter')
    await page.keyboard.press('a')
    await expect.poll(() => status(page).textContent()).toContain('godkänd')

    // The next report is shown; a rejection needs a reason.
    await expect.poll(() => detailHeading(page).textContent()).toBe('Nedskräpning')
    await page.getByRole('button', { name: 'Avvisa', exact: true }).click()
    await page.getByRole('button', { name: 'Avvisa rapporten' }).click()
    await page.getByText('Skriv ett skäl.').waitFor()
    await page.getByRole('button', { name: 'Avbryt' }).click()
    await reject(page, 'Testrapport, inte en verklig händelse')
    await expect.poll(() => status(page).textContent()).toContain('avvisad')
    await page.getByText('Inget väntar på granskning.').waitFor()
    await expectAccessible(page, 'empty review queue')
    expect(said).toEqual([])

    // One event counted for the fight, its two sources kept; the graffiti counted; the test rejected.
    const rows = readDb<{ description: string; status: string; linked: number; note: string | null }>(server.dataDir,
      'SELECT description, status, duplicate_of IS NOT NULL AS linked, review_note AS note FROM reports ORDER BY received_at')
    expect(rows).toEqual([
      { description: 'Två personer slogs vid fontänen', status: 'approved', linked: 0, note: 'Samma händelse som Polisens rapport' },
      { description: 'Misshandel på Stortorget, en omhändertagen', status: 'approved', linked: 1, note: 'Samma händelse som Polisens rapport' },
      { description: 'Nya taggar på busskuren', status: 'approved', linked: 0, note: null },
      { description: 'Test, skulle inte skickas', status: 'rejected', linked: 0, note: 'Testrapport, inte en verklig händelse' },
    ])
    expect(readDb<{ n: number }>(server.dataDir, `SELECT count(*) AS n FROM reports WHERE status = 'approved' AND duplicate_of IS NULL`)[0]!.n).toBe(2)

    // Each phone shows the outcome and the note after its next sync.
    await syncNow(guard)
    await expect.poll(() => reportStates(guard), { timeout: 15_000 }).toEqual(['Avvisad', 'Godkänd', 'Godkänd'])
    expect(await notes(guard)).toEqual([
      expect.stringContaining('Testrapport, inte en verklig händelse'),
      expect.stringContaining('Samma händelse som Polisens rapport'),
    ])
    await syncNow(cop)
    await expect.poll(() => reportStates(cop), { timeout: 15_000 }).toEqual(['Godkänd'])
    expect(await notes(cop)).toEqual([expect.stringContaining('Samma händelse som Polisens rapport')])
  })
})
