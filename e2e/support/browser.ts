import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'
import { expect } from 'vitest'

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
export const DESKTOP = { viewport: { width: 1280, height: 800 } }

export function newContext(browser: Browser, device: typeof PHONE | typeof DESKTOP, options: { baseURL: string; locale?: string }): Promise<BrowserContext> {
  return browser.newContext({ ...device, baseURL: options.baseURL, locale: options.locale ?? 'sv-SE', timezoneId: 'Europe/Stockholm', serviceWorkers: 'allow' })
}

/** axe-core on the page as it is now: WCAG 2.1 A and AA rules, no violations allowed. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const summary = result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | ')})`)
  expect(summary, `axe on ${what}`).toEqual([])
}

/** Collects console errors and page errors so a test can assert the page said nothing alarming. */
export function watchConsole(page: Page): string[] {
  const said: string[] = []
  page.on('console', m => {
    // A desk user's password step is answered 401 second_factor_required by contract (DESIGN "Second factor").
    if (m.type() === 'error' && !(m.location().url.endsWith('/api/auth/login') && m.text().includes('401'))) said.push(m.text())
  })
  page.on('pageerror', e => said.push(e.message))
  return said
}
