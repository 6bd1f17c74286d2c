// `npm run dev`: the API server on PORT (default 8787) and Vite's dev server proxying /api to it.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const port = process.env.PORT ?? '8787'
const env = { ...process.env, PORT: port, STATIC_DIR: '' }
const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', join(root, 'sync-server/src/index.ts')], { cwd: root, env, stdio: 'inherit' }),
  spawn('npx', ['vite', '--config', 'pwa/vite.config.ts'], { cwd: root, env: { ...process.env, API_URL: `http://localhost:${port}` }, stdio: 'inherit' }),
]
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => children.forEach(c => c.kill(sig)))
