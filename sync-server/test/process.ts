import { spawn, type ChildProcess } from 'node:child_process'
import { inject } from 'vitest'
import type { Role } from '@lagesbild/domain'
import { configFromEnv } from '../src/config.ts'
import { prepare } from '../src/server.ts'
import { createOrganisation, createUser } from '../src/services/accounts.ts'
import { PASSWORD } from './support.ts'
// One way to find a free port, shared with the browser tests and benches.
import { freePort } from '../../e2e/support/port.ts'

export { freePort }

/** Creates users in a data folder before a server process opens it (as `npm run admin -- user add` would). */
export async function seedUsers(dataDir: string, users: Array<{ username: string; roles: Role[] }>): Promise<void> {
  const { db } = await prepare({ ...configFromEnv({}), dataDir })
  try {
    const org = createOrganisation(db, { name: 'Vaktbolaget', kind: 'security' })
    for (const u of users) await createUser(db, { username: u.username, organisationId: org.id, roles: u.roles, password: PASSWORD })
  } finally {
    db.close()
  }
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string
  /** Resolves when the output matches, rejects when the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  signIn(username: string): Promise<string>
}

/** Runs the real server (its production build, as `npm start` runs it; API only) on a free loopback port. */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, inject('serverArgs'), {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, STATIC_DIR: '', TILE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const listeners = new Set<() => void>()
  const onData = (d: Buffer) => { out += String(d); for (const l of listeners) l() }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<number | null>(resolve => child.on('exit', code => { for (const l of listeners) l(); resolve(code) }))
  const waitFor = (pattern: RegExp) => new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(out)
      if (m) { listeners.delete(check); resolve(m) } else if (child.exitCode !== null) { listeners.delete(check); reject(new Error(`the server exited (${child.exitCode}) before ${pattern}:\n${out}`)) }
    }
    listeners.add(check)
    check()
  })
  const server: ServerProcess = {
    url, child, exited, waitFor, output: () => out,
    async signIn(username) {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { origin: url, 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
      if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`)
      return res.headers.get('set-cookie')!.split(';')[0]!
    },
  }
  await waitFor(/is running at/)
  return server
}
