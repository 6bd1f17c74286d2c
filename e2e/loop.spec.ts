import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { isoWeekMonday, localParts } from '@lagesbild/domain/local-time'
import { uuidv7 } from '@lagesbild/domain/uuidv7'
import type { Organisation, Place, WeeklyPriority } from '@lagesbild/domain'
import { DESKTOP, PHONE, expectAccessible, launch, newContext, watchConsole } from './support/browser.ts'
import { adminSession, apiCall, apiSignIn } from './support/api.ts'
import { readDb } from './support/database.ts'
import { startServer, type RunningServer } from './support/server.ts'
import { signIn, syncNow, unsentCount } from './pages/capture.ts'
import { addFocus, decisionSection, describeLastSpot, drawArea, followUpSpot, markAction, openMeeting, ourAction, weAreHere } from './pages/loop.ts'

const DAY = 86_400_000
const ZONE = 'Europe/Stockholm'
const VAKT = { username: 'vakt', password: 'vaktens långa lösenord' }
const GRANSKARE = { username: 'granskare', password: 'granskarens långa lösenord' }
const KNUTPUNKTEN = { latitude: 56.0433, longitude: 12.6937 }

let server: RunningServer
let browser: Browser
let places: Place[]
const weekOf = (ms: number) => localParts(ms, ZONE).isoWeek
const realNow = Date.now()
const thisWeek = weekOf(realNow)
const nextWeek = weekOf(realNow + 7 * DAY)
const lastWeek = weekOf(realNow - 7 * DAY)

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launch()])
  const admin = await browser.newContext()
  await adminSession(admin.request, server.url, server.firstAdmin)
  const securitas = await apiCall<Organisation>(admin.request, server.url, 'POST', '/admin/organisations', { name: 'Securitas Helsingborg', kind: 'security' })
  const kommun = (await apiCall<Organisation[]>(admin.request, server.url, 'GET', '/admin/organisations')).find(o => o.kind === 'municipal')!
  await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: VAKT.username, organisationId: securitas.id, roles: ['reporter'], password: VAKT.password })
  await apiCall(admin.request, server.url, 'POST', '/admin/users', { username: GRANSKARE.username, organisationId: kommun.id, roles: ['reviewer'], password: GRANSKARE.password })
  places = (await apiCall<{ places: Place[] }>(admin.request, server.url, 'GET', '/reference')).places
  await admin.close()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const placeId = (name: string) => places.find(p => p.name === name)!.id

/** Last week's approved incidents at a place: what puts it on the meeting's hot-spot list. */
async function lastWeekAt(place: string, n: number): Promise<void> {
  const reporter = await browser.newContext()
  const reviewer = await browser.newContext()
  await apiSignIn(reporter.request, server.url, VAKT.username, VAKT.password)
  await apiSignIn(reviewer.request, server.url, GRANSKARE.username, GRANSKARE.password)
  const wednesday = Date.parse(`${isoWeekMonday(lastWeek)}T11:00:00Z`) + 2 * DAY
  const p = places.find(x => x.name === place)!
  const ops = Array.from({ length: n }, (_, i) => {
    const id = uuidv7()
    const report = { id, category: 'graffiti', occurredAt: new Date(wednesday + i * 3_600_000).toISOString(), location: { lat: p.lat, lon: p.lon, source: 'place' }, placeId: p.id, description: '', createdAt: new Date().toISOString() }
    return { opId: uuidv7(), kind: 'create', reportId: id, report }
  })
  await apiCall(reporter.request, server.url, 'POST', '/sync/push', { schemaVersion: 2, ops })
  for (const op of ops) await apiCall(reviewer.request, server.url, 'POST', `/reports/${op.reportId}/review`, { decision: 'approve', baseVersion: 1 })
  await reporter.close()
  await reviewer.close()
}

async function desk(): Promise<{ context: BrowserContext; page: Page; said: string[] }> {
  const context = await newContext(browser, DESKTOP, { baseURL: server.url })
  const page = await context.newPage()
  const said = watchConsole(page)
  await signIn(page, GRANSKARE.username, GRANSKARE.password)
  return { context, page, said }
}

const serverReports = () => readDb<{ id: string; status: string; place_id: number | null }>(server.dataDir,
  `SELECT r.id, r.status, r.place_id FROM reports r JOIN users u ON u.id = r.reporter_id WHERE u.username = ? AND r.category = 'vandalism'`, VAKT.username)

describe('the EST loop: from the meeting to the patrol and back', () => {
  let phone: { context: BrowserContext; page: Page; said: string[] }
  let drawnCentre: { latitude: number; longitude: number }

  it('a reviewer decides next week at the meeting page: one hot-spot from the list, one drawn area', async () => {
    await lastWeekAt('Knutpunkten', 3)
    const { context, page, said } = await desk()
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'EST-möte' }).click()
    await page.getByRole('heading', { level: 1, name: `Möte vecka ${Number(thisWeek.slice(6))}, ${thisWeek.slice(0, 4)}` }).waitFor()
    const decision = decisionSection(page)
    await decision.getByText(`Inget beslut för vecka ${Number(nextWeek.slice(6))} ännu.`).waitFor()

    await addFocus(page, 'Klotter')
    await addFocus(page, 'Skadegörelse')
    // Priority order by keyboard: the second moves up.
    await decision.getByRole('button', { name: 'Flytta upp Skadegörelse' }).click()
    expect(await decision.getByTestId('focus-order').locator('li .name').allTextContents()).toEqual(['Skadegörelse', 'Klotter'])

    await decision.getByRole('button', { name: /^Lägg till Knutpunkten \(3 händelser/ }).click()
    await describeLastSpot(page, 'Securitas Helsingborg', 'Extra rond kvällstid vid entrén')
    await drawArea(page, [0.45, 0.45], [0.55, 0.55])
    await decision.getByTestId('decision-spot').nth(1).waitFor()
    await describeLastSpot(page, 'Securitas Helsingborg', 'Titta till cykelparkeringen')
    await decision.getByLabel('Anteckningar').fill('Fokus på kvällarna.')
    await expectAccessible(page, 'the meeting page while deciding')
    await decision.getByRole('button', { name: `Spara beslut för vecka ${Number(nextWeek.slice(6))}` }).click()
    await decision.getByText(`Beslutet för vecka ${Number(nextWeek.slice(6))} är sparat (version 1).`).waitFor()

    const saved = await apiCall<{ priority: WeeklyPriority | null }>(context.request, server.url, 'GET', `/priorities?week=${nextWeek}`)
    expect(saved.priority).toMatchObject({ focusCategories: ['vandalism', 'graffiti'], notes: 'Fokus på kvällarna.', version: 1, locked: false })
    const [fromList, drawn] = saved.priority!.hotSpots
    expect(fromList).toMatchObject({ index: 0, placeId: placeId('Knutpunkten'), action: 'Extra rond kvällstid vid entrén', actionStatus: 'planned' })
    expect(drawn).toMatchObject({ index: 1, label: 'Ritat område 1', geometry: { type: 'Polygon' } })
    const ring = drawn!.geometry!.coordinates[0]!
    drawnCentre = { longitude: (Math.min(...ring.map(c => c[0])) + Math.max(...ring.map(c => c[0]))) / 2, latitude: (Math.min(...ring.map(c => c[1])) + Math.max(...ring.map(c => c[1]))) / 2 }
    expect(said).toEqual([])
    await context.close()
  })

  it("the reporter's phone syncs once, loses the server, and next week marks the action, logs a visit and reports inside the area", async () => {
    const context = await newContext(browser, PHONE, { baseURL: server.url })
    await context.grantPermissions(['geolocation'])
    await context.setGeolocation({ ...KNUTPUNKTEN, accuracy: 15 })
    const page = await context.newPage()
    phone = { context, page, said: watchConsole(page) }
    await signIn(page, VAKT.username, VAKT.password)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await expect.poll(() => page.getByTestId('last-sync').count()).toBe(1)

    // The server goes away; on the phone it is next week, the decided one.
    await server.stop({ keepData: true })
    await page.clock.setFixedTime(new Date(realNow + 7 * DAY))
    await page.reload()
    await page.getByRole('heading', { name: 'Vad har hänt?' }).waitFor()
    await page.getByRole('heading', { name: `Veckans fokus (${nextWeek})` }).waitFor()
    await ourAction(page, 'Knutpunkten').getByText('Åtgärd: Extra rond kvällstid vid entrén').waitFor()
    await expectAccessible(page, "the phone's actions, offline")

    await markAction(page, 'Knutpunkten', 'Utförd', 'Två ronder, lugnt')
    expect(await ourAction(page, 'Knutpunkten').getByTestId('loop-state').first().textContent()).toBe('På telefonen')
    await weAreHere(page, 'Knutpunkten')
    await expect.poll(() => ourAction(page, 'Knutpunkten').locator('.visits').getByTestId('loop-state').allTextContents()).toEqual(['På telefonen'])
    // The drawn area is there too, with its own "we are on site", checked against the drawn polygon.
    await context.setGeolocation({ ...drawnCentre, accuracy: 15 })
    await weAreHere(page, 'Ritat område 1')
    await context.setGeolocation({ ...KNUTPUNKTEN, accuracy: 15 })
    // The status line names what waits: no report yet, so it must not say "rapporter".
    await expect.poll(() => unsentCount(page)).toBe('Ej skickat: 1 åtgärd och 2 besök')

    await page.getByRole('button', { name: 'Skadegörelse' }).first().click()
    await page.getByRole('heading', { name: 'Ny rapport' }).waitFor()
    // Inside the hot-spot's area: its place is chosen before anyone touches the form.
    await expect.poll(() => page.getByRole('radio', { name: /^Knutpunkten/ }).isChecked()).toBe(true)
    await page.getByTestId('in-hot-spot').getByText('Inom veckans hot-spot: Knutpunkten').waitFor()
    await page.getByLabel('Vad hände?').fill('Sprucken glasruta vid entrén')
    await page.getByTestId('save').click()
    await page.getByTestId('flash').waitFor()
    await expect.poll(() => unsentCount(page)).toBe('Ej skickat: 1 rapport, 1 åtgärd och 2 besök')
    expect(serverReports()).toEqual([])
  })

  it('back online, the action, the visit and the report each arrive once', async () => {
    const { page } = phone
    server = await startServer({ TEST_CLOCK_OFFSET_DAYS: '7' }, { port: server.port, dataDir: server.dataDir })
    await syncNow(page)
    await expect.poll(() => unsentCount(page), { timeout: 20_000 }).toBe('Allt är skickat')
    await expect.poll(() => ourAction(page, 'Knutpunkten').getByTestId('loop-state').allTextContents()).toEqual(['Skickad', 'Skickad'])
    await syncNow(page)
    await syncNow(page)

    expect(serverReports()).toEqual([{ id: expect.any(String), status: 'submitted', place_id: placeId('Knutpunkten') }])
    const visits = readDb<{ n: number }>(server.dataDir, 'SELECT count(*) AS n FROM visits')[0]!.n
    expect(visits).toBe(2)
    expect(phone.said.filter(s => !/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(s))).toEqual([])
  })

  it("the next meeting's follow-up shows the action done, the visit and the approved report", async () => {
    const reviewer = await browser.newContext()
    await apiSignIn(reviewer.request, server.url, GRANSKARE.username, GRANSKARE.password)
    const [report] = serverReports()
    await apiCall(reviewer.request, server.url, 'POST', `/reports/${report!.id}/review`, { decision: 'approve', baseVersion: 1 })
    await reviewer.close()

    const { context, page } = await desk()
    await openMeeting(page)
    await page.getByRole('heading', { level: 1, name: `Möte vecka ${Number(nextWeek.slice(6))}, ${nextWeek.slice(0, 4)}` }).waitFor()
    const spot = followUpSpot(page, 0)
    await spot.getByRole('heading', { name: '1. Knutpunkten' }).waitFor()
    expect(await spot.getByTestId('action-status').textContent()).toBe('Utförd')
    await spot.getByText('”Två ronder, lugnt”').waitFor()
    expect(await spot.getByTestId('visits').textContent()).toBe(`1 besök loggat vecka ${Number(nextWeek.slice(6))}`)
    // The focus week's column holds the one approved report inside the area; the three from two weeks
    // before are there too, and the baseline (the mean of the eight weeks before) shows them.
    const counts = await spot.getByTestId('counts').locator('td').allTextContents()
    expect(counts.at(-1)).toBe('1')
    expect(counts.at(-3)).toBe('3')
    expect(counts[0]).toBe('0,4')
    await followUpSpot(page, 1).getByRole('heading', { name: '2. Ritat område 1' }).waitFor()
    expect(await followUpSpot(page, 1).getByTestId('visits').textContent()).toBe(`1 besök loggat vecka ${Number(nextWeek.slice(6))}`)
    await expectAccessible(page, 'the meeting page with a follow-up')
    await context.close()
    await phone.context.close()
  })
})
