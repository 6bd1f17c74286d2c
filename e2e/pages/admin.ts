import type { Page } from 'playwright-core'
import type { OrgKind, Role } from '@lagesbild/domain'

/** The admin's side of the app (Swedish UI), as an admin uses it on a desktop. */
const TABS = { users: 'Användare', organisations: 'Organisationer', priorities: 'Veckans prioriteringar', categories: 'Kategorier', places: 'Platser', retention: 'Gallring', audit: 'Logg' } as const
const ROLE_LABELS: Record<Role, string> = { reporter: 'Rapportör', reviewer: 'Granskare', analyst: 'Analytiker', admin: 'Administratör' }

export async function openAdminTab(page: Page, tab: keyof typeof TABS): Promise<void> {
  if (new URL(page.url()).pathname !== '/admin') await page.goto(`/admin?tab=${tab}`)
  else await page.getByRole('navigation', { name: 'Delar av administrationen' }).getByRole('link', { name: TABS[tab], exact: true }).click()
  await page.getByRole('heading', { level: 2, name: TABS[tab] }).waitFor()
}

export async function createOrganisation(page: Page, name: string, kind: OrgKind): Promise<void> {
  await openAdminTab(page, 'organisations')
  await page.getByLabel('Namn', { exact: true }).fill(name)
  await page.getByLabel('Typ', { exact: true }).selectOption(kind)
  await page.getByRole('button', { name: 'Lägg till organisation' }).click()
  await page.getByRole('status').getByText(`${name} har lagts till.`).waitFor()
}

/** Adds a user and returns the one-time password the page shows once. */
export async function createUser(page: Page, user: { username: string; organisation: string; roles: Role[] }): Promise<string> {
  await openAdminTab(page, 'users')
  await page.getByLabel('Användarnamn', { exact: true }).fill(user.username)
  await page.getByLabel('Organisation', { exact: true }).selectOption({ label: user.organisation })
  for (const role of user.roles) await page.getByRole('checkbox', { name: ROLE_LABELS[role], exact: true }).check()
  await page.getByRole('button', { name: 'Lägg till användare' }).click()
  await page.getByRole('heading', { name: `Engångslösenord för ${user.username}` }).waitFor()
  return (await page.getByTestId('one-time-password').textContent())!.trim()
}

export interface PrioritiesInput { week: 'this' | 'next'; focus: string[]; hotSpots: Array<{ place?: string; organisation?: string; action: string }>; notes?: string }

/** Records a week's priorities, replacing what the form held. */
export async function setPriorities(page: Page, input: PrioritiesInput): Promise<void> {
  await openAdminTab(page, 'priorities')
  const radio = page.getByRole('radio', { name: input.week === 'this' ? /^Denna vecka/ : /^Nästa vecka/ })
  await radio.check()
  // The form reloads for the chosen week; its save button names the week once it has.
  const week = /\d{4}-W\d{2}/.exec((await radio.locator('xpath=..').textContent()) ?? '')![0]
  const save = page.getByRole('button', { name: `Spara prioriteringar för ${week}` })
  await save.waitFor()
  const form = page.locator('form').filter({ has: save })
  for (const box of await form.getByRole('group', { name: 'Fokuskategorier' }).getByRole('checkbox').all()) await box.uncheck()
  for (const label of input.focus) await form.getByRole('checkbox', { name: label, exact: true }).check()
  while (await form.getByRole('button', { name: /^Ta bort hot-spot/ }).count()) await form.getByRole('button', { name: /^Ta bort hot-spot/ }).first().click()
  for (const [i, spot] of input.hotSpots.entries()) {
    await form.getByRole('button', { name: 'Lägg till hot-spot' }).click()
    const row = form.getByRole('group', { name: `Hot-spot ${i + 1}` })
    if (spot.place) await row.getByLabel('Plats', { exact: true }).selectOption({ label: spot.place })
    if (spot.organisation) await row.getByLabel('Ansvarig organisation', { exact: true }).selectOption({ label: spot.organisation })
    await row.getByLabel('Åtgärd', { exact: true }).fill(spot.action)
  }
  await form.getByLabel('Anteckningar').fill(input.notes ?? '')
  await save.click()
  await page.getByRole('status').getByText(`Prioriteringarna för ${week} är sparade.`).waitFor()
}
