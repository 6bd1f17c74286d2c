import Database from 'better-sqlite3'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { configFromEnv } from '../config.ts'
import { prepare } from '../server.ts'
import { dbPath, openDb } from './connection.ts'
import { loadMigrations, migrate } from './migrate.ts'

const folders: string[] = []
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'lagesbild-migrate-')); folders.push(d); return d }
afterAll(() => { for (const d of folders) rmSync(d, { recursive: true, force: true }) })

const backupsIn = (dir: string) => readdirSync(dir).filter(f => /^lagesbild-before-schema-\d+-.*\.db$/.test(f))

describe('upgrading a database', () => {
  const all = loadMigrations()
  const latest = all.at(-1)!.version
  const previous = all.at(-2)!.version

  it('backs up a database with a schema before migrating it, and says where', async () => {
    const dir = tempDir()
    const old = openDb(dbPath(dir))
    migrate(old, all.slice(0, -1))
    old.prepare(`INSERT INTO organisations (name, kind, active, created_at) VALUES ('Polisen', 'police', 1, 0)`).run()
    old.close()

    const said = vi.spyOn(console, 'log').mockImplementation(() => {})
    const { db } = await prepare({ ...configFromEnv({}), dataDir: dir })
    const messages = said.mock.calls.map(c => String(c[0]))
    said.mockRestore()
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latest)
      const [name, ...more] = backupsIn(dir)
      expect(more).toEqual([])
      const file = join(dir, name!)
      expect(messages).toContainEqual(`Backed up the database to ${file} before migrating it from schema ${previous} to ${latest}`)
      const copy = new Database(file, { readonly: true })
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
        expect(copy.pragma('user_version', { simple: true })).toBe(previous)
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
        expect(copy.prepare('SELECT name FROM organisations').pluck().all()).toContain('Polisen')
      } finally {
        copy.close()
      }
    } finally {
      db.close()
    }
    // Already current: nothing to back up the next time.
    const again = await prepare({ ...configFromEnv({}), dataDir: dir })
    again.db.close()
    expect(backupsIn(dir)).toHaveLength(1)
  })

  it('takes no backup of a new, empty database', async () => {
    const dir = tempDir()
    const { db } = await prepare({ ...configFromEnv({}), dataDir: dir })
    db.close()
    expect(backupsIn(dir)).toEqual([])
  })

  it('logs the backup as a JSON line when the server passes its logger', async () => {
    const dir = tempDir()
    const old = openDb(dbPath(dir))
    migrate(old, all.slice(0, -1))
    old.close()
    const lines: string[] = []
    const { createLogger } = await import('../services/logger.ts')
    const { db } = await prepare({ ...configFromEnv({}), dataDir: dir }, dbPath(dir), createLogger('info', { write: l => { lines.push(l) } }))
    db.close()
    const line = lines.map(l => JSON.parse(l) as Record<string, unknown>).find(l => l.backup)
    expect(line).toMatchObject({ from: previous, to: latest, backup: join(dir, backupsIn(dir)[0]!) })
  })
})
