import type { Locator, Page } from 'playwright-core'

/** The EST loop in the Swedish UI: the meeting page on a desk, "our actions" and visits on a phone. */
export async function openMeeting(page: Page, week = ''): Promise<void> {
  await page.goto(`/meeting${week ? `/${week}` : ''}`)
  await page.getByRole('heading', { level: 1, name: /^Möte vecka \d+/ }).waitFor()
}

export const decisionSection = (page: Page): Locator => page.locator('section.agenda-c')

export async function addFocus(page: Page, category: string): Promise<void> {
  const section = decisionSection(page)
  await section.getByLabel('Lägg till fokuskategori').selectOption({ label: category })
  await section.getByRole('button', { name: 'Lägg till', exact: true }).click()
}

/** Fills in the last chosen hot-spot: who is responsible and what they do. */
export async function describeLastSpot(page: Page, organisation: string, action: string): Promise<void> {
  const spot = decisionSection(page).getByTestId('decision-spot').last()
  await spot.getByLabel('Ansvarig organisation').selectOption({ label: organisation })
  await spot.getByLabel('Åtgärd').fill(action)
}

/** Draws a rectangle on the meeting's map between two points given as fractions of its size. */
export async function drawArea(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await decisionSection(page).getByRole('button', { name: 'Rita område på kartan' }).click()
  const map = page.getByTestId('draw-map')
  await map.scrollIntoViewIfNeeded()
  await page.waitForFunction(() => document.querySelector('[data-testid="draw-map"] canvas') !== null)
  const box = (await map.boundingBox())!
  const at = ([fx, fy]: [number, number]) => [box.x + box.width * fx, box.y + box.height * fy] as const
  await page.mouse.click(...at(from))
  await page.mouse.move(...at(to), { steps: 8 })
  await page.mouse.click(...at(to))
}

export const followUpSpot = (page: Page, index: number): Locator => page.getByTestId('follow-up').locator(`article[data-hot-spot="${index}"]`)

/** The phone's card for one of our actions, by the hot-spot's title. */
export const ourAction = (page: Page, title: string): Locator =>
  page.getByTestId('our-actions').getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) })

export async function markAction(page: Page, title: string, status: 'Utförd' | 'Ej utförd' | 'Planerad', comment: string): Promise<void> {
  const card = ourAction(page, title)
  await card.getByRole('radio', { name: status, exact: true }).check()
  await card.getByLabel('Kort kommentar (valfritt)').fill(comment)
  await card.getByRole('button', { name: 'Spara status' }).click()
  await card.getByText('Status sparad på telefonen.').waitFor()
}

export async function weAreHere(page: Page, title: string): Promise<void> {
  const button = page.getByRole('button', { name: `Vi är på plats vid ${title}` })
  await button.click()
  await page.locator('.visit').filter({ has: button }).getByText(/^Besök loggat \d/).waitFor()
}
