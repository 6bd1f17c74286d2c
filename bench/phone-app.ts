// The built app served by the real server on a free port, with a reporter who has a history of reports, as the
// phone benches (cold start, Lighthouse) need it. Builds the PWA as `npm start` does, into a temp folder; the server
// runs as the other benches run it (bench/server-process.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'
import { SCHEMA_VERSION, uuidv7 } from '@lagesbild/domain'
import { configFromEnv } from '../sync-server/src/config.ts'
import { prepare } from '../sync-server/src/server.ts'
import { createOrganisation, createUser } from '../sync-server/src/services/accounts.ts'
import { startServerProcess } from './server-process.ts'

export const REPORTER = { username: 'vakt1', password: 'ett långt lösenord för mätning' }
const root = new URL('..', import.meta.url).pathname

export interface PhoneApp { url: string; cookie: string; stop(): Promise<void> }

/** `reports`: how many of the reporter's own reports the server holds (the first pull brings them all). */
export async function startPhoneApp(reports: number): Promise<PhoneApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-dist-'))
  const dataDir = mkdtempSync(join(tmpdir(), 'lagesbild-bench-data-'))
  const cleanups: Array<() => unknown> = [() => rmSync(outDir, { recursive: true, force: true }), () => rmSync(dataDir, { recursive: true, force: true })]
  const stop = async () => { for (const c of cleanups) await c() }
  try {
    await build({ configFile: join(root, 'pwa/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } })
    const { db } = await prepare({ ...configFromEnv({}), dataDir, staticDir: null, tileUrl: '' })
    const org = createOrganisation(db, { name: 'Securitas Helsingborg', kind: 'security' })
    await createUser(db, { username: REPORTER.username, organisationId: org.id, roles: ['reporter'], password: REPORTER.password })
    db.close()
    const server = await startServerProcess(dataDir, { env: { STATIC_DIR: outDir } })
    cleanups.unshift(() => server.stop())
    // localhost, not 127.0.0.1 (server.url): the session cookie is then a plain one a tool can pass in a header.
    const url = server.url
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { origin: url, 'content-type': 'application/json' }, body: JSON.stringify(REPORTER) })
    if (!login.ok) throw new Error(`sign-in: ${login.status}`)
    const cookie = login.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    const now = Date.now()
    for (let i = 0; i < reports; i += 50) {
      const ops = Array.from({ length: Math.min(50, reports - i) }, (_, j) => {
        const at = now - (i + j) * 3_600_000
        const id = uuidv7(at)
        return { opId: uuidv7(), kind: 'create', reportId: id, report: {
          id, category: ['gathering', 'littering', 'vandalism', 'graffiti'][(i + j) % 4], occurredAt: new Date(at).toISOString(), createdAt: new Date(at + 60_000).toISOString(),
          location: { lat: 56.0465, lon: 12.6945, accuracyM: 8, source: 'gps' }, placeId: 1 + ((i + j) % 20),
          description: `Rapport ${i + j}: ungdomar samlas vid entrén och det är stökigt`, peopleInvolved: (i + j) % 7,
        } }
      })
      const res = await fetch(`${url}/api/sync/push`, { method: 'POST', headers: { origin: url, cookie, 'content-type': 'application/json' }, body: JSON.stringify({ schemaVersion: SCHEMA_VERSION, ops }) })
      if (!res.ok) throw new Error(`seeding the reporter's reports: ${res.status} ${await res.text()}`)
    }
    return { url, cookie, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
