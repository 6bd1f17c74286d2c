// Renders the app icons from public/favicon.svg (the one source of the mark) with headless Chromium:
//   node scripts/make-icons.mjs
// Run it after changing the SVG and commit the PNGs; nothing renders icons at run time.
// "any" icons keep the SVG's rounded corners on a transparent background; the maskable and Apple icons
// are full-bleed squares in the theme colour (the platform cuts its own shape), with the mark kept inside
// the central 80 % safe zone.
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

const root = new URL('../public/', import.meta.url)
const svg = readFileSync(new URL('favicon.svg', root), 'utf8')
const THEME = '#0b3d5c'

const ICONS = [
  { file: 'icons/icon-192.png', size: 192, background: null, scale: 1 },
  { file: 'icons/icon-512.png', size: 512, background: null, scale: 1 },
  { file: 'icons/icon-maskable-512.png', size: 512, background: THEME, scale: 0.9 },
  { file: 'apple-touch-icon.png', size: 180, background: THEME, scale: 1 },
]

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 })
    const side = Math.round(icon.size * icon.scale)
    const html = `<!doctype html><html><body style="margin:0;width:${icon.size}px;height:${icon.size}px;display:grid;place-items:center;background:${icon.background ?? 'transparent'}">
      <img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${side}" height="${side}" alt=""></body></html>`
    await page.setContent(html, { waitUntil: 'load' })
    await page.screenshot({ path: new URL(icon.file, root).pathname, omitBackground: icon.background === null })
    await page.close()
    console.log(`public/${icon.file} (${icon.size} px)`)
  }
} finally {
  await browser.close()
}
