import type { Page } from 'playwright-core'

/** The phone's own pieces (Swedish UI): the header menu, the install offer, the storage notices. */
export async function openMenu(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Meny' })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await page.getByRole('group', { name: 'Konto och inställningar' }).waitFor()
}

/** Signs out through the menu, accepting the unsent-reports warning if it comes. */
export async function signOutFromMenu(page: Page): Promise<string | null> {
  let warned: string | null = null
  page.once('dialog', d => { warned = d.message(); void d.accept() })
  await openMenu(page)
  await page.getByRole('button', { name: 'Logga ut' }).click()
  await page.waitForURL(url => url.pathname.startsWith('/login'))
  return warned
}

/** A synthetic `beforeinstallprompt`, as Chromium fires it when the app is installable. */
export async function offerInstallPrompt(page: Page, outcome: 'accepted' | 'dismissed'): Promise<void> {
  await page.evaluate(o => {
    const e = new Event('beforeinstallprompt', { cancelable: true })
    const w = window as unknown as { __prompted: number }
    w.__prompted = 0
    Object.assign(e, { prompt: async () => { w.__prompted++ }, userChoice: Promise.resolve({ outcome: o }) })
    dispatchEvent(e)
  }, outcome)
}

export const installOffer = (page: Page) => page.getByTestId('install-offer')

/** What the phone's IndexedDB holds, read the way the app stores it. */
export async function deviceStore(page: Page): Promise<{ reports: Array<{ id: string; ownerId: number }>; outbox: Array<{ ownerId: number; reportId: string }>; reference: number[]; meta: number[] }> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('lagesbild')
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const tx = open.result.transaction(['reports', 'outbox', 'reference', 'meta'])
      const all = (name: string) => new Promise<unknown[]>(r => { const q = tx.objectStore(name).getAll(); q.onsuccess = () => r(q.result) })
      const keys = (name: string) => new Promise<number[]>(r => { const q = tx.objectStore(name).getAllKeys(); q.onsuccess = () => r(q.result as number[]) })
      void Promise.all([all('reports'), all('outbox'), keys('reference'), keys('meta')]).then(([reports, outbox, reference, meta]) => {
        open.result.close()
        resolve({ reports: reports as never, outbox: outbox as never, reference, meta })
      })
    }
  }))
}
