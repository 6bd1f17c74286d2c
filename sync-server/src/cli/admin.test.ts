import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshot } from '../../test/support.ts'
import { verifyPassword } from '../auth/password.ts'
import { configFromEnv } from '../config.ts'
import { dbPath, openDb, type Db } from '../db/connection.ts'
import { prepare } from '../server.ts'
import { createOrganisation, createUser, disableUser } from '../services/accounts.ts'

interface Result { code: number | null; stdout: string; stderr: string }

const folders: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lagesbild-cli-'))
  folders.push(dir)
  return dir
}
afterAll(() => { for (const dir of folders) rmSync(dir, { recursive: true, force: true }) })

/** Runs the real CLI in a child process, as `npm run admin -- …` does, with DATA_DIR set. */
function cli(dataDir: string, args: string[], stdin = ''): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/cli/admin.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = '', stderr = ''
    child.stdout.on('data', d => { stdout += String(d) })
    child.stderr.on('data', d => { stderr += String(d) })
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** Runs several CLI invocations in one child process (test/cli-cases.ts), each with its own DATA_DIR. */
async function runBatch(cases: Array<{ dataDir: string; args: string[] }>): Promise<Result[]> {
  const file = join(tempDir(), 'cases.json')
  writeFileSync(file, JSON.stringify(cases))
  const r = await new Promise<Result>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/test/cli-cases.ts', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = '', stderr = ''
    child.stdout.on('data', d => { stdout += String(d) })
    child.stderr.on('data', d => { stderr += String(d) })
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
  if (r.code !== 0) throw new Error(`the batch of CLI cases failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as Result[]
}

function withDb<T>(dataDir: string, read: (db: Db) => T): T {
  const db = openDb(dbPath(dataDir))
  try { return read(db) } finally { db.close() }
}

const printedPassword = (out: string, username: string) => new RegExp(`^  ${username} / (\\S+)$`, 'm').exec(out)?.[1]
const passwordHash = (db: Db, username: string) => db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string
const lastAudit = (db: Db) => db.prepare('SELECT actor_id, action, target, detail FROM audit_events ORDER BY id DESC LIMIT 1').get() as
  { actor_id: number | null; action: string; target: string; detail: string }

// The blocks run side by side (each case is mostly a child process); the happy path's steps run in order.
describe.concurrent('npm run admin', () => {
  describe.sequential('the happy paths, one after another on one database', () => {
    const dataDir = tempDir()
    const backupFile = join(tempDir(), 'backup.db')

    it('org add on a fresh folder creates the database, prints the first admin and adds the organisation', async () => {
      const r = await cli(dataDir, ['org', 'add', '--name', 'Polisen Helsingborg', '--kind', 'police'])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('Added the organisation "Polisen Helsingborg" (police)')
      const adminPassword = printedPassword(r.stdout, 'admin')!
      withDb(dataDir, db => {
        expect(db.prepare(`SELECT kind FROM organisations WHERE name = 'Polisen Helsingborg'`).pluck().get()).toBe('police')
        expect(lastAudit(db)).toMatchObject({ actor_id: null, action: 'organisation_created' })
        expect(JSON.parse(lastAudit(db).detail)).toMatchObject({ via: 'cli', name: 'Polisen Helsingborg', kind: 'police' })
      })
      expect(await verifyPassword(adminPassword, withDb(dataDir, db => passwordHash(db, 'admin')))).toBe(true)
    })

    it('user add prints a one-time password that must be changed', async () => {
      const r = await cli(dataDir, ['user', 'add', '--username', 'Vakt1', '--org', 'polisen helsingborg', '--role', 'reporter', '--role', 'analyst', '--display-name', 'Vakt Ett'])
      expect(r.code).toBe(0)
      expect(r.stdout).not.toContain('First start')
      const password = printedPassword(r.stdout, 'vakt1')!
      const row = withDb(dataDir, db => db.prepare(`SELECT u.display_name, u.must_change_password, o.name AS org, (SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY role)) AS roles
                                                    FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE username = 'vakt1'`).get())
      expect(row).toEqual({ display_name: 'Vakt Ett', must_change_password: 1, org: 'Polisen Helsingborg', roles: 'analyst,reporter' })
      expect(await verifyPassword(password, withDb(dataDir, db => passwordHash(db, 'vakt1')))).toBe(true)
      withDb(dataDir, db => expect(lastAudit(db)).toMatchObject({ actor_id: null, action: 'user_created', target: 'vakt1' }))
    })

    it('user add --password-stdin takes the first line of stdin as the password', async () => {
      const r = await cli(dataDir, ['user', 'add', '--username', 'anna', '--org', 'Kommunen', '--role', 'reviewer', '--password-stdin'], 'en lång lösenfras\nnot this line\n')
      expect(r.code).toBe(0)
      expect(r.stdout).not.toMatch(/anna \//)
      const hash = withDb(dataDir, db => passwordHash(db, 'anna'))
      expect(await verifyPassword('en lång lösenfras', hash)).toBe(true)
      expect(withDb(dataDir, db => db.prepare(`SELECT must_change_password FROM users WHERE username = 'anna'`).pluck().get())).toBe(0)
    })

    it('user reset-password prints a new one-time password: the old one stops working, it must be changed, audited', async () => {
      const r = await cli(dataDir, ['user', 'reset-password', '--username', 'anna'])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const password = printedPassword(r.stdout, 'anna')!
      const hash = withDb(dataDir, db => passwordHash(db, 'anna'))
      expect(await verifyPassword(password, hash)).toBe(true)
      expect(await verifyPassword('en lång lösenfras', hash)).toBe(false)
      withDb(dataDir, db => {
        expect(db.prepare(`SELECT must_change_password FROM users WHERE username = 'anna'`).pluck().get()).toBe(1)
        expect(lastAudit(db)).toEqual({ actor_id: null, action: 'password_reset', target: 'anna', detail: JSON.stringify({ via: 'cli' }) })
      })
    })

    it('user disable stops the user and audits it', async () => {
      const r = await cli(dataDir, ['user', 'disable', '--username', 'vakt1'])
      expect(r.code).toBe(0)
      withDb(dataDir, db => {
        expect(db.prepare(`SELECT active FROM users WHERE username = 'vakt1'`).pluck().get()).toBe(0)
        expect(lastAudit(db)).toMatchObject({ actor_id: null, action: 'user_disabled', target: 'vakt1' })
      })
    })

    it('backup writes one self-contained file that holds the data and its own audit event', async () => {
      const r = await cli(dataDir, ['backup', '--to', backupFile])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`to ${backupFile}`)
      expect(existsSync(`${backupFile}-wal`)).toBe(false)
      const copy = new Database(backupFile, { readonly: true })
      expect(copy.prepare(`SELECT active FROM users WHERE username = 'vakt1'`).pluck().get()).toBe(0)
      expect(copy.prepare('SELECT action FROM audit_events ORDER BY id DESC LIMIT 1').pluck().get()).toBe('backup_created')
      copy.close()
    })

    it('restore replaces the database, keeps the previous one beside it and says so', async () => {
      expect((await cli(dataDir, ['org', 'add', '--name', 'Efter säkerhetskopian', '--kind', 'other'])).code).toBe(0)
      const r = await cli(dataDir, ['restore', '--from', backupFile])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const kept = /kept as (\S+\.db)\./.exec(r.stdout)?.[1]
      expect(kept && existsSync(kept)).toBe(true)
      const names = (db: Db) => db.prepare('SELECT name FROM organisations').pluck().all()
      withDb(dataDir, db => {
        expect(names(db)).not.toContain('Efter säkerhetskopian')
        expect(lastAudit(db)).toMatchObject({ actor_id: null, action: 'database_restored', target: backupFile })
      })
      const previous = new Database(kept!, { readonly: true })
      expect(names(previous)).toContain('Efter säkerhetskopian')
      previous.close()
      expect(readdirSync(dataDir).filter(f => f.startsWith('restore-'))).toEqual([])
    })
  })

  describe('demo', () => {
    it('fills a fresh database with demo reports and accounts', async () => {
      const dir = tempDir()
      const r = await cli(dir, ['demo', '--reports', '40', '--seed', '7'])
      expect(r.code).toBe(0)
      expect(printedPassword(r.stdout, 'admin')).toBeDefined()
      expect(r.stdout).toMatch(/Demo data: \d+ reports/)
      withDb(dir, db => {
        expect(db.prepare('SELECT count(*) FROM reports').pluck().get()).toBeGreaterThanOrEqual(40)
        expect(db.prepare(`SELECT count(*) FROM users WHERE username = 'granskare'`).pluck().get()).toBe(1)
      })
    })
  })

  describe('help', () => {
    it('prints the commands and exits 0', async () => {
      const r = await cli(tempDir(), ['help'])
      expect(r.code).toBe(0)
      for (const command of ['org add', 'user add', 'user disable', 'user reset-password', 'backup', 'restore']) expect(r.stdout).toContain(command)
    })
  })

  describe('bad input: a message on stderr, a non-zero exit and an unchanged database', () => {
    let seed: string
    let seedSnapshot: Record<string, unknown[]>
    // Cases without stdin run together in one child process (see test/cli-cases.ts); the others each in their own.
    let batch: Promise<Map<string, { dir: string; result: Result }>>
    beforeAll(async () => {
      seed = tempDir()
      const { db } = await prepare({ ...configFromEnv({}), dataDir: seed, staticDir: null })
      const org = createOrganisation(db, { name: 'Polisen', kind: 'police' })
      await createUser(db, { username: 'vakt1', organisationId: org.id, roles: ['reporter'], password: 'correct horse battery' })
      await createUser(db, { username: 'vakt2', organisationId: org.id, roles: ['reporter'], password: 'correct horse battery' })
      disableUser(db, 'vakt2')
      seedSnapshot = snapshot(db)
      db.close()
      const batched = cases.filter(c => c.stdin === undefined && !c.ownProcess).map(c => {
        const dir = tempDir()
        cpSync(seed, dir, { recursive: true })
        return { name: c.name, dir, args: c.args(dir) }
      })
      batch = runBatch(batched.map(({ dir, args }) => ({ dataDir: dir, args })))
        .then(results => new Map(batched.map((c, i) => [c.name, { dir: c.dir, result: results[i]! }])))
    })

    const backupOf = (dir: string) => {
      const file = join(dir, 'other.db')
      cpSync(dbPath(dir), file)
      return file
    }
    const cases: Array<{ name: string; args: (dir: string) => string[]; stdin?: string; ownProcess?: true; code: number; says: RegExp }> = [
      { name: 'no command', args: () => [], code: 2, says: /name a command.*\n.*help/, ownProcess: true },
      { name: 'demo data into a database that holds data', args: () => ['demo', '--reports', '10'], code: 1, says: /already holds data/ },
      { name: 'a demo size that is not a number', args: () => ['demo', '--reports', 'many'], code: 2, says: /--reports: a whole number/ },
      { name: 'an unknown command', args: () => ['org', 'remove', '--name', 'Polisen'], code: 2, says: /unknown command "org remove"/ },
      { name: 'a missing option', args: () => ['org', 'add', '--name', 'Securitas'], code: 2, says: /org add needs --kind/ },
      { name: 'an option without its value', args: () => ['org', 'add', '--kind', 'security', '--name'], code: 2, says: /--name/ },
      { name: 'an unknown option', args: () => ['org', 'add', '--name', 'Securitas', '--kind', 'security', '--colour', 'blue'], code: 2, says: /Unknown option '--colour'/ },
      { name: 'a stray argument', args: () => ['user', 'disable', 'vakt1'], code: 2, says: /Unexpected argument 'vakt1'/ },
      { name: 'an unknown kind', args: () => ['org', 'add', '--name', 'Armén', '--kind', 'army'], code: 2, says: /unknown kind "army"; use one of: municipal, police/, ownProcess: true },
      { name: 'a too short organisation name', args: () => ['org', 'add', '--name', 'X', '--kind', 'other'], code: 2, says: /--name:/ },
      { name: 'an existing organisation', args: () => ['org', 'add', '--name', 'POLISEN', '--kind', 'police'], code: 1, says: /"Polisen" already exists/ },
      { name: 'an unknown role', args: () => ['user', 'add', '--username', 'ny', '--org', 'Polisen', '--role', 'reporter', '--role', 'king'], code: 2, says: /unknown role "king"; use one of: reporter, reviewer, analyst, admin/ },
      { name: 'no role', args: () => ['user', 'add', '--username', 'ny', '--org', 'Polisen'], code: 2, says: /user add needs --role/ },
      { name: 'a bad username', args: () => ['user', 'add', '--username', 'a b', '--org', 'Polisen', '--role', 'reporter'], code: 2, says: /--username: use 2–40 letters/ },
      { name: 'a missing organisation', args: () => ['user', 'add', '--username', 'ny', '--org', 'Väktarna', '--role', 'reporter'], code: 1, says: /no organisation named "Väktarna"; add it first/ },
      { name: 'a duplicate username', args: () => ['user', 'add', '--username', 'VAKT1', '--org', 'Polisen', '--role', 'reporter'], code: 1, says: /the username "vakt1" is taken/, ownProcess: true },
      { name: 'a too short password on stdin', args: () => ['user', 'add', '--username', 'ny', '--org', 'Polisen', '--role', 'reporter', '--password-stdin'], stdin: 'kort\n', code: 2, says: /the password on stdin: at least 12 characters/ },
      { name: 'a common password on stdin', args: () => ['user', 'add', '--username', 'ny', '--org', 'Polisen', '--role', 'reporter', '--password-stdin'], stdin: 'QWERTY123456\n', code: 2, says: /the password on stdin: this password is among the most common ones/ },
      { name: 'no password on stdin', args: () => ['user', 'add', '--username', 'ny', '--org', 'Polisen', '--role', 'reporter', '--password-stdin'], code: 2, says: /the password on stdin/ },
      { name: 'disabling a missing user', args: () => ['user', 'disable', '--username', 'ingen'], code: 1, says: /no user named "ingen"/ },
      { name: 'a new password without --username', args: () => ['user', 'reset-password'], code: 2, says: /user reset-password needs --username/ },
      { name: 'a new password for a missing user', args: () => ['user', 'reset-password', '--username', 'ingen'], code: 1, says: /no user named "ingen"/ },
      { name: 'a new password for a disabled user', args: () => ['user', 'reset-password', '--username', 'vakt2'], code: 1, says: /vakt2 is disabled .*add a new account/ },
      { name: 'disabling the only admin', args: () => ['user', 'disable', '--username', 'admin'], code: 1, says: /only active admin/ },
      { name: 'a backup over an existing file', args: dir => ['backup', '--to', backupOf(dir)], code: 1, says: /exists; .*--force/ },
      { name: 'a backup into a missing folder', args: dir => ['backup', '--to', join(dir, 'no', 'such.db')], code: 1, says: /does not exist/ },
      { name: 'restoring a missing file', args: dir => ['restore', '--from', join(dir, 'none.db')], code: 1, says: /none\.db does not exist/ },
      {
        name: 'restoring a file that is not a database',
        args: dir => { writeFileSync(join(dir, 'notes.db'), 'not a database at all'.repeat(100)); return ['restore', '--from', join(dir, 'notes.db')] },
        code: 1, says: /notes\.db is not an intact SQLite database/,
      },
      {
        name: 'restoring another SQLite database',
        args: dir => { const other = new Database(join(dir, 'other.db')); other.exec('CREATE TABLE t (x)'); other.close(); return ['restore', '--from', join(dir, 'other.db')] },
        code: 1, says: /other\.db is not a Lägesbild database/,
      },
      {
        name: 'restoring a database newer than the code',
        args: dir => { const file = backupOf(dir); const db = new Database(file); db.pragma('user_version = 999'); db.close(); return ['restore', '--from', file] },
        code: 1, says: /schema version 999, newer than this code/,
      },
    ]

    async function outcome(c: (typeof cases)[number]): Promise<{ dir: string; r: Result }> {
      const batched = (await batch).get(c.name)
      if (batched) return { dir: batched.dir, r: batched.result }
      const dir = tempDir()
      cpSync(seed, dir, { recursive: true })
      return { dir, r: await cli(dir, c.args(dir), c.stdin) }
    }

    for (const c of cases) {
      it(`${c.name} → exit ${c.code}`, async () => {
        const { dir, r } = await outcome(c)
        expect(r.stderr).toMatch(c.says)
        expect(r.stderr).toMatch(/^error: /)
        expect(r.code).toBe(c.code)
        expect(r.stdout).toBe('')
        expect(withDb(dir, snapshot)).toEqual(seedSnapshot)
      })
    }

    it('restoring while the database is open elsewhere (the server running) → exit 1', async () => {
      const dir = tempDir()
      cpSync(seed, dir, { recursive: true })
      const file = backupOf(dir)
      const server = openDb(dbPath(dir))
      server.prepare('SELECT count(*) FROM users').get()
      const r = await cli(dir, ['restore', '--from', file])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/in use \(is the server running\?\)/)
      expect(snapshot(server)).toEqual(seedSnapshot)
      server.close()
    })

    it('bad arguments on a fresh folder create no database', async () => {
      const dir = tempDir()
      const r = await cli(dir, ['user', 'add', '--username', 'ny', '--org', 'Kommunen', '--role', 'king'])
      expect(r.code).toBe(2)
      expect(existsSync(dbPath(dir))).toBe(false)
    })
  })
})
