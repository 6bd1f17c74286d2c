import type { Locator, Page } from 'playwright-core'

/** The summary page (Swedish UI) as an analyst uses it. */
const digits = (s: string | null) => Number((s ?? '').replace(/\D/g, ''))

export async function openSummary(page: Page, query = ''): Promise<void> {
  await page.goto(`/summary${query}`)
  await page.getByRole('heading', { level: 1, name: 'Sammanställning' }).waitFor()
  await page.getByTestId('figure-total').waitFor()
}

export async function shownTotal(page: Page): Promise<number> {
  return digits(await page.getByTestId('figure-total').textContent())
}

export async function chooseInFilter(page: Page, filter: 'Kategorier' | 'Organisationer', option: string): Promise<void> {
  const details = page.locator('details.multi').filter({ hasText: filter })
  if (!(await details.evaluate(d => (d as HTMLDetailsElement).open))) await details.locator('summary').click()
  await details.getByRole('checkbox', { name: option, exact: true }).check()
  await details.locator('summary').click()
}

/** A chart's data table (always in the page for screen readers) as label → count. */
export async function chartTable(page: Page, caption: string): Promise<Record<string, number>> {
  const rows = await page.getByRole('table', { name: caption }).locator('tbody tr').all()
  const out: Record<string, number> = {}
  for (const row of rows) out[(await row.locator('th').textContent())!.trim()] = digits(await row.locator('td').first().textContent())
  return out
}

export function summaryMap(page: Page): Locator {
  return page.getByTestId('summary-map')
}

/** Draws a box on the map between two points given as fractions of its width and height. */
export async function drawBox(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.getByRole('button', { name: 'Rita rektangel' }).click()
  await summaryMap(page).scrollIntoViewIfNeeded()
  const box = (await summaryMap(page).boundingBox())!
  const at = ([fx, fy]: [number, number]) => [box.x + box.width * fx, box.y + box.height * fy] as const
  await page.mouse.click(...at(from))
  await page.mouse.move(...at(to), { steps: 8 })
  await page.mouse.click(...at(to))
}

export async function exportHref(page: Page, id: 'csv' | 'wgs84' | 'sweref'): Promise<string> {
  return (await page.locator(`a[data-export="${id}"]`).getAttribute('href'))!
}
