import type { Page } from 'playwright-core'
import { enrolTotpInPage, enterTotp } from './second-factor.ts'

/**
 * The reporter's side of the app, as a person on a phone uses it (Swedish UI). Desk users also pass the
 * second step: a code from their (test) authenticator, or enrolment at their first sign-in.
 */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Användarnamn').fill(username)
  await page.getByLabel('Lösenord').fill(password)
  await page.getByRole('button', { name: 'Logga in' }).click()
  const base = new URL(page.url()).origin
  const leftLogin = page.waitForURL(url => !url.pathname.startsWith('/login')).then(() => 'left' as const, () => 'closed' as const)
  const askedForCode = page.getByRole('heading', { level: 2, name: 'Tvåstegsverifiering' }).waitFor().then(() => 'code' as const, () => 'closed' as const)
  if ((await Promise.race([leftLogin, askedForCode])) === 'code') {
    await enterTotp(page, base, username)
    await leftLogin
  }
  if (new URL(page.url()).pathname === '/second-factor') await enrolTotpInPage(page, base, username)
}

export interface ReportInput { category: string; place?: string; description?: string; people?: number; policeNotified?: boolean }

/** Home → category tile → place → description → Save. Returns when the app is back home with the saved notice. */
export async function fileReport(page: Page, input: ReportInput): Promise<void> {
  if (new URL(page.url()).pathname !== '/') await page.getByRole('link', { name: 'Rapportera' }).click()
  await page.getByRole('button', { name: input.category, exact: false }).first().click()
  await page.getByRole('heading', { name: 'Ny rapport' }).waitFor()
  if (input.place) await page.getByRole('radio', { name: new RegExp(`^${input.place}`) }).check()
  if (input.description) await page.getByLabel('Vad hände?').fill(input.description)
  if (input.people !== undefined) await page.getByLabel('Antal inblandade').fill(String(input.people))
  if (input.policeNotified) await page.getByLabel('Polisen är underrättad').check()
  await page.getByTestId('save').click()
  await page.getByTestId('flash').waitFor()
}

export async function unsentCount(page: Page): Promise<string> {
  return (await page.getByTestId('unsent-count').textContent())?.trim() ?? ''
}

export async function openMyReports(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Mina rapporter' }).first().click()
  await page.getByRole('heading', { name: 'Mina rapporter' }).waitFor()
}

/** The state badge of each report in "My reports", newest first. */
export async function reportStates(page: Page): Promise<string[]> {
  return page.getByTestId('my-reports').locator('li').getByTestId('state').allTextContents()
}

export async function syncNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Synka nu/ }).click()
}
