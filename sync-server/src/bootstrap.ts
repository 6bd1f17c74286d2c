import { DEFAULT_CATEGORIES, DEMO_PLACES } from '@lagesbild/domain'
import type { Db } from './db/connection.ts'
import { createOrganisation, createUser } from './services/accounts.ts'
import { nextSeq } from './services/seq.ts'

export const FIRST_ORG_NAME = 'Kommunen'

/** Seeds the 14 default categories into an empty category table. */
export function seedCategories(db: Db): void {
  if (db.prepare('SELECT count(*) FROM categories').pluck().get() !== 0) return
  const insert = db.prepare('INSERT INTO categories (code, label_sv, label_en, hint_sv, hint_en, sort, active, seq) VALUES (?, ?, ?, ?, ?, ?, 1, ?)')
  db.transaction(() => {
    const seq = nextSeq(db)
    for (const c of DEFAULT_CATEGORIES) insert.run(c.code, c.labelSv, c.labelEn, c.hintSv, c.hintEn, c.sort, seq)
  })()
}

/**
 * Seeds the demo places into an empty place table, so a new installation has places to pick from
 * at once; an admin replaces them with the municipality's own.
 */
export function seedPlaces(db: Db): void {
  if (db.prepare('SELECT count(*) FROM places').pluck().get() !== 0) return
  const insert = db.prepare('INSERT INTO places (id, name, kind, geometry, lat, lon, active, seq) VALUES (?, ?, ?, ?, ?, ?, 1, ?)')
  db.transaction(() => {
    const seq = nextSeq(db)
    for (const p of DEMO_PLACES) {
      insert.run(p.id, p.name, p.kind, JSON.stringify({ type: 'Point', coordinates: [p.lon, p.lat] }), p.lat, p.lon, seq)
    }
  })()
}

/** With no active admin, creates `admin` with a one-time password and returns that password to print. */
export async function ensureFirstAdmin(db: Db): Promise<string | null> {
  const admins = db.prepare(`SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' AND u.active = 1`).pluck().get()
  if (admins !== 0) return null
  const org = (db.prepare('SELECT id FROM organisations ORDER BY id LIMIT 1').get() as { id: number } | undefined)
    ?? createOrganisation(db, { name: FIRST_ORG_NAME, kind: 'municipal' })
  const taken = db.prepare(`SELECT 1 FROM users WHERE username = 'admin'`).get()
  const username = taken ? `admin-${Date.now().toString(36)}` : 'admin'
  const { oneTimePassword } = await createUser(db, { username, organisationId: org.id, roles: ['admin'] })
  return `${username} / ${oneTimePassword}`
}
