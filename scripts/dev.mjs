// `npm run dev`: the API server on PORT (default 8787) and Vite's dev server proxying /api to it.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const port = process.env.PORT ?? '8787'
// The browser talks to Vite's dev server (5173), which passes /api through: that is the public origin.
const env = { ...process.env, PORT: port, STATIC_DIR: '', PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN ?? 'http://localhost:5173' }
const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', join(root, 'sync-server/src/index.ts')], { cwd: root, env, stdio: 'inherit' }),
  spawn('npx', ['vite', '--config', 'pwa/vite.config.ts'], { cwd: root, env: { ...process.env, API_URL: `http://localhost:${port}` }, stdio: 'inherit' }),
]
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => children.forEach(c => c.kill(sig)))
