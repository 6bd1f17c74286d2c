// Takes the install sheet's screenshots (the manifest's `screenshots`) from the real app with headless Chromium:
//   node scripts/make-screenshots.mjs
// Builds the PWA into a temp folder, starts the server on a free port with a fresh data folder and a reporter,
// and writes public/screenshots/*.png (narrow: a 360 × 740 phone at 2×; wide: 1280 × 800). Run it after a
// visible change to the reporter's screens and commit the PNGs; they are not precached.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const root = new URL('..', import.meta.url).pathname
const out = join(root, 'public/screenshots')
const PASSWORD = 'ett långt lösenord för bilderna'
const SHOTS = [
  { file: 'home-narrow.png', path: '/', viewport: { width: 360, height: 740 }, scale: 2, mobile: true, ready: 'Vad har hänt?' },
  { file: 'report-narrow.png', path: '/report?category=graffiti', viewport: { width: 360, height: 740 }, scale: 2, mobile: true, ready: 'Ny rapport' },
  { file: 'home-wide.png', path: '/', viewport: { width: 1280, height: 800 }, scale: 1, mobile: false, ready: 'Vad har hänt?' },
]

const port = await new Promise(resolve => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) }) })
const dist = mkdtempSync(join(tmpdir(), 'lagesbild-shots-dist-'))
const data = mkdtempSync(join(tmpdir(), 'lagesbild-shots-data-'))
// Inside the repository, so the bundle finds its packages in node_modules (see sync-server/build.ts).
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true })
const serverDir = mkdtempSync(join(root, 'node_modules/.cache/lagesbild-shots-server-'))
const run = (args, input) => {
  const r = spawnSync('npm', ['run', '-s', ...args], { cwd: root, env: { ...process.env, DATA_DIR: data }, input, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`)
}
let server = null
let browser = null
try {
  const built = spawnSync('npx', ['vite', 'build', '--config', 'pwa/vite.config.ts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' })
  if (built.status !== 0) throw new Error('building the PWA failed')
  run(['admin', '--', 'org', 'add', '--name', 'Nattvakten Bevakning AB', '--kind', 'security'])
  run(['admin', '--', 'user', 'add', '--username', 'vakt', '--org', 'Nattvakten Bevakning AB', '--role', 'reporter', '--password-stdin'], PASSWORD)
  const serverBuilt = spawnSync('npx', ['tsx', 'sync-server/build.ts', serverDir], { cwd: root, stdio: 'inherit' })
  if (serverBuilt.status !== 0) throw new Error('building the server failed')
  server = spawn(process.execPath, [join(serverDir, 'server.js')], { cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: data, STATIC_DIR: dist, TILE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve, reject) => {
    let said = ''
    server.stdout.on('data', d => { said += d; if (said.includes('is running at')) resolve() })
    server.once('exit', code => reject(new Error(`the server exited with ${code}: ${said}`)))
  })
  const base = `http://127.0.0.1:${port}`
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--hide-scrollbars'] })
  mkdirSync(out, { recursive: true })
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      viewport: shot.viewport, deviceScaleFactor: shot.scale, isMobile: shot.mobile, hasTouch: shot.mobile, locale: 'sv-SE', timezoneId: 'Europe/Stockholm',
      colorScheme: 'light', permissions: ['geolocation'], geolocation: { latitude: 56.0460, longitude: 12.6938, accuracy: 12 },
    })
    const page = await context.newPage()
    const r = await page.request.post(`${base}/api/auth/login`, { data: { username: 'vakt', password: PASSWORD }, headers: { origin: base } })
    if (!r.ok()) throw new Error(`sign-in: ${r.status()}`)
    // The install sheet shows the app itself, not our notes about installing it.
    await page.addInitScript(() => localStorage.setItem('lagesbild.installDismissed', '1'))
    await page.goto(base + shot.path)
    await page.getByRole('heading', { name: shot.ready }).waitFor()
    if (shot.path === '/') await page.getByTestId('last-sync').waitFor()
    if (shot.path.startsWith('/report')) await page.getByRole('radio', { name: /^Stortorget/ }).and(page.locator(':checked')).waitFor()
    if (shot.path === '/') await page.getByRole('button', { name: 'Synka nu' }).and(page.locator(':enabled')).waitFor()
    await page.evaluate(() => document.querySelector('[data-testid="storage-hint"]')?.remove())
    await page.screenshot({ path: join(out, shot.file) })
    await context.close()
    console.log(`public/screenshots/${shot.file} (${shot.viewport.width * shot.scale} × ${shot.viewport.height * shot.scale})`)
  }
} finally {
  await browser?.close()
  if (server) await new Promise(resolve => { server.once('exit', resolve); server.kill('SIGTERM') })
  rmSync(dist, { recursive: true, force: true })
  rmSync(data, { recursive: true, force: true })
  rmSync(serverDir, { recursive: true, force: true })
}
