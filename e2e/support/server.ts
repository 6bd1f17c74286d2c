import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { freePort } from './port.ts'

export interface RunningServer { url: string; dataDir: string; firstAdmin: { username: string; password: string }; stop(): Promise<void> }


/** Starts the real server (built PWA + API) on a free port with a fresh data folder, like `npm start`. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lagesbild-e2e-'))
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/index.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, STATIC_DIR: inject('staticDir'), TILE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr!.on('data', d => { output += String(d) })
  const firstAdmin = await new Promise<{ username: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000)
    child.stdout!.on('data', d => {
      output += String(d)
      const m = /^\s+(\S+) \/ (\S+)\s*$/m.exec(output)
      if (output.includes('is running at') && m) { clearTimeout(timer); resolve({ username: m[1]!, password: m[2]! }) }
    })
    child.on('exit', code => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    firstAdmin,
    async stop() {
      await new Promise<void>(resolve => { child.once('exit', () => resolve()); child.kill('SIGTERM') })
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
