import type { Locator, Page } from 'playwright-core'

/** The reviewer's desk (Swedish UI): queue, detail pane and actions. */
export async function openDesk(page: Page): Promise<void> {
  await page.goto('/review')
  await page.getByRole('heading', { name: 'Kö' }).waitFor()
}

export const queueItem = (page: Page, text: string): Locator =>
  page.getByRole('list', { name: 'Rapporter i kön' }).getByRole('button').filter({ hasText: text })

export const waitingCount = (page: Page): Locator => page.getByText(/\d+ väntar på granskning/)

export const detailHeading = (page: Page): Locator => page.locator('#detail-heading')

export const status = (page: Page): Locator => page.getByTestId('review-status')

/** Ticks a possible duplicate (by the other organisation's name) for a merge. */
export async function pickDuplicate(page: Page, org: string): Promise<void> {
  await page.getByRole('checkbox', { name: new RegExp(`^Samma händelse: ${org}`) }).check()
}

export async function reject(page: Page, reason: string): Promise<void> {
  await page.getByRole('button', { name: 'Avvisa', exact: true }).click()
  await page.getByLabel('Skäl till avvisningen').fill(reason)
  await page.getByRole('button', { name: 'Avvisa rapporten' }).click()
}
