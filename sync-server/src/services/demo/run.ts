import type { Role } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { hashPassword, oneTimePassword } from '../../auth/password.ts'
import { audit } from '../audit.ts'
import { generateReports } from './generate.ts'
import { DEMO_ORGS, type OrgKey } from './model.ts'
import { writeLoop } from './loop.ts'
import { writeReports } from './write.ts'

export interface DemoOptions {
  timeZone: string
  /** the PRNG seed; the same seed and `now` give the same data */
  seed?: number
  /** reports to make, besides merged duplicates (default 6,000 in a year) */
  reports?: number
  now?: number
  /** the demo accounts' password; a random one when not given (it is printed either way) */
  password?: string
  /** the benchmark's shape: every report approved, no duplicates, no revisions */
  benchmark?: boolean
}

/** The database holds real data; demo data would mix with it. */
export class DemoRefusedError extends Error {}

const REPORTER_NAMES: Record<OrgKey, string> = { municipal: 'kommun', police: 'polis', security: 'vakt', property: 'fastighet', transport: 'trafik' }
const STAFF: ReadonlyArray<{ username: string; displayName: string; roles: Role[] }> = [
  { username: 'granskare', displayName: 'Demo: granskare', roles: ['reviewer'] },
  { username: 'analytiker', displayName: 'Demo: analytiker', roles: ['analyst'] },
  { username: 'demoadmin', displayName: 'Demo: administratör', roles: ['admin'] },
]

/** Why the database is not empty enough for demo data, or null: no reports, and no user but the first admin. */
export function demoRefusal(db: Db): string | null {
  const reports = db.prepare('SELECT count(*) FROM reports').pluck().get() as number
  const users = db.prepare(`SELECT count(*) FROM users u WHERE NOT (u.id = (SELECT min(id) FROM users)
                              AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin'))`).pluck().get() as number
  if (reports === 0 && users === 0) return null
  return `the database already holds data (${reports} reports, ${users} users besides the first admin); ` +
    'demo data goes only into a new, empty database (start with an empty DATA_DIR)'
}

/**
 * Fills an empty database with a realistic year of demo data: the organisations, demo accounts for every
 * role and the reports, in one transaction. Returns what it made, with the accounts and their password, to print.
 */
export async function runDemo(db: Db, o: DemoOptions): Promise<string> {
  const refusal = demoRefusal(db)
  if (refusal) throw new DemoRefusedError(refusal)
  const now = o.now ?? Date.now()
  const password = o.password ?? `demo-${oneTimePassword()}`
  const hash = await hashPassword(password)
  const started = performance.now()

  const { count, loop } = db.transaction(() => {
    if (demoRefusal(db)) throw new DemoRefusedError(demoRefusal(db)!) // checked again: the hash yielded the event loop
    const orgIds = {} as Record<OrgKey, number>
    for (const org of DEMO_ORGS) {
      const existing = db.prepare('SELECT id FROM organisations WHERE name = ?').pluck().get(org.name) as number | undefined
      orgIds[org.key] = existing ?? Number(db.prepare('INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)').run(org.name, org.kind, now).lastInsertRowid)
    }
    const addUser = (username: string, displayName: string, orgId: number, roles: readonly Role[]) => {
      const id = Number(db.prepare(`INSERT INTO users (username, display_name, organisation_id, password_hash, must_change_password, created_at)
                                    VALUES (?, ?, ?, ?, 0, ?)`).run(username, displayName, orgId, hash, now).lastInsertRowid)
      for (const role of roles) db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)').run(id, role)
      return id
    }
    const reporterIds = {} as Record<OrgKey, number[]>
    for (const org of DEMO_ORGS) {
      reporterIds[org.key] = [1, 2, 3].map(n => addUser(`${REPORTER_NAMES[org.key]}${n}`, `Demo: ${org.name} ${n}`, orgIds[org.key], ['reporter']))
    }
    const staffIds = STAFF.map(s => addUser(s.username, s.displayName, orgIds.municipal, s.roles))
    const count = writeReports(db, generateReports({ seed: o.seed ?? 20261125, reports: o.reports ?? 6000, now, timeZone: o.timeZone, allApproved: o.benchmark ?? false }),
      { timeZone: o.timeZone, orgIds, reporterIds, reviewerId: staffIds[0]!, revisions: !o.benchmark })
    const loop = o.benchmark ? null : writeLoop(db, { timeZone: o.timeZone, now, seed: o.seed ?? 20261125, orgIds, reporterIds, reviewerId: staffIds[0]!, adminId: staffIds[2]! })
    audit(db, { actorId: null, action: 'demo_data', target: null, detail: { reports: count, seed: o.seed ?? 20261125, ...(loop ? { loop } : {}) } }, now)
    return { count, loop }
  })()

  // Fresh statistics let the query planner pick the summary indexes; a sample keeps this quick at a million rows.
  db.pragma('analysis_limit = 2000')
  db.exec('ANALYZE')

  const statuses = db.prepare(`SELECT status, duplicate_of IS NOT NULL AS dup, count(*) AS n FROM reports GROUP BY 1, 2 ORDER BY 1, 2`).all() as Array<{ status: string; dup: number; n: number }>
  const lines = [
    `Demo data: ${count} reports in ${((performance.now() - started) / 1000).toFixed(1)} s (` +
      statuses.map(s => `${s.n} ${s.status}${s.dup ? ' (merged duplicates)' : ''}`).join(', ') + ').',
    ...(loop ? [`The EST loop: ${loop.decisions} weekly decisions (${loop.areas} hot-spot areas), ${loop.actions} actions marked, ${loop.visits} visits logged.`] : []),
    'Demo accounts (all with the same password):',
    ...STAFF.map(s => `  ${s.username.padEnd(13)} ${s.roles.join(', ')}`),
    ...DEMO_ORGS.map(org => `  ${`${REPORTER_NAMES[org.key]}1–3`.padEnd(13)} reporter at ${org.name}`),
    `Password: ${password}`,
    'Desk accounts set up their second factor (an authenticator app or a passkey) at their first sign-in.',
  ]
  return lines.join('\n')
}
