// `npm start`: build the PWA when its sources are newer than the build, then run the server
// (which migrates the database and, on first start, prints the admin's one-time password).
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const built = join(root, 'pwa/dist/index.html')

function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const sources = Math.max(newest(join(root, 'pwa')), newest(join(root, 'public')), newest(join(root, 'packages')))
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Building the app …')
  const r = spawnSync('npm', ['run', 'build', '-w', 'pwa'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-server/src/index.ts')], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig))
server.on('exit', code => process.exit(code ?? 0))
