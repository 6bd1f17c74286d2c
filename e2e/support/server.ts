import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { freePort } from './port.ts'
import { setServerClockOffset } from './totp.ts'

export interface RunningServer { url: string; port: number; dataDir: string; firstAdmin: { username: string; password: string }; stop(options?: { keepData?: boolean }): Promise<void> }


/**
 * Starts the real server (built PWA + API) on a free port with a fresh data folder, like `npm start`;
 * `again` restarts one that was stopped with `keepData`, on the same port and database.
 */
export async function startServer(env: Record<string, string> = {}, again?: { port: number; dataDir: string }): Promise<RunningServer> {
  const dataDir = again?.dataDir ?? mkdtempSync(join(tmpdir(), 'lagesbild-e2e-'))
  const port = again?.port ?? await freePort()
  // TOTP codes follow the server's clock, shifted in tests that jump ahead.
  setServerClockOffset(port, Number(env.TEST_CLOCK_OFFSET_DAYS ?? 0) * 86_400_000)
  const child: ChildProcess = spawn(process.execPath, inject('serverArgs'), {
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
      if (output.includes('is running at') && (m || again)) { clearTimeout(timer); resolve({ username: m?.[1] ?? '', password: m?.[2] ?? '' }) }
    })
    child.on('exit', code => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    firstAdmin,
    async stop(options = {}) {
      if (child.exitCode === null) await new Promise<void>(resolve => { child.once('exit', () => resolve()); child.kill('SIGTERM') })
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
