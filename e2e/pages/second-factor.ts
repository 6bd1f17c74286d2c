import type { Page } from 'playwright-core'
import { nextTotp, rememberTotp } from '../support/totp.ts'

/** The enrolment screen (Swedish UI), as a person at their first sign-in uses it with an authenticator app. */
export async function enrolTotpInPage(page: Page, baseURL: string, username: string): Promise<string[]> {
  await page.getByRole('heading', { level: 1, name: 'Tvåstegsverifiering' }).waitFor()
  await page.getByRole('button', { name: 'Ställ in med app' }).click()
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '')
  rememberTotp(baseURL, username, secret)
  await page.getByLabel('Kod från appen').fill(await nextTotp(baseURL, username))
  await page.getByRole('button', { name: 'Bekräfta' }).click()
  await page.getByRole('heading', { name: 'Dina återställningskoder' }).waitFor()
  const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map(c => c.trim())
  await page.getByRole('button', { name: 'Jag har sparat koderna' }).click()
  await page.waitForURL(url => url.pathname !== '/second-factor')
  return codes
}

/** The login's second step: a fresh code from the user's authenticator. */
export async function enterTotp(page: Page, baseURL: string, username: string): Promise<void> {
  await page.getByRole('heading', { name: 'Tvåstegsverifiering' }).waitFor()
  await page.getByLabel('Sexsiffrig kod').fill(await nextTotp(baseURL, username))
  await page.getByRole('button', { name: 'Verifiera och logga in' }).click()
}
