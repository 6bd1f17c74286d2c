// `npm start`: build the PWA and the server when their sources are newer than their builds, then run the built
// server with plain node (which migrates the database and, on first start, prints the admin's one-time password).
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const built = join(root, 'pwa/dist/index.html')

/** The newest modification time of a file, or of any file under a folder (builds and dependencies left out). */
function newest(path) {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs
  let t = 0
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    t = Math.max(t, newest(join(path, entry.name)))
  }
  return t
}

function buildWhenStale(what, output, sources, workspace) {
  const changed = Math.max(...sources.map(s => newest(join(root, s))))
  if (existsSync(output) && statSync(output).mtimeMs >= changed) return
  console.log(`Building the ${what} …`)
  const r = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

buildWhenStale('app', built, ['pwa', 'public', 'packages'], 'pwa')
const serverEntry = join(root, 'sync-server/dist/server.js')
buildWhenStale('server', serverEntry, ['sync-server/src', 'sync-server/build.ts', 'packages'], 'sync-server')
// The node options the build chose (sync-server/build.ts: SERVER_NODE_ARGS).
const nodeArgs = JSON.parse(readFileSync(join(root, 'sync-server/dist/node-args.json'), 'utf8'))
const server = spawn(process.execPath, [...nodeArgs, serverEntry], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig))
server.on('exit', code => process.exit(code ?? 0))
