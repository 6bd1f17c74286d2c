import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import { monthsBefore } from './visits.ts'

/**
 * Installation settings (migration 004): key/value text. Other areas may read them; the writer audits each change.
 * A key nobody has set reads as its default.
 */
export const SETTING_DEFAULTS = { 'retention.months': '12' } as const satisfies Record<string, string>
export type SettingKey = keyof typeof SETTING_DEFAULTS

export function getSetting(db: Db, key: SettingKey): string {
  return (cached(db, 'SELECT value FROM settings WHERE key = ?', { pluck: true }).get(key) as string | undefined) ?? SETTING_DEFAULTS[key]
}

/** Writes a setting and returns the value it had. */
export function setSetting(db: Db, key: SettingKey, value: string, by: number | null, now: number): string {
  const before = getSetting(db, key)
  db.prepare(`INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
              ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
    .run(key, value, now, by)
  return before
}

/** How many months free text, people and exact positions are kept (DESIGN: retention, default 12). */
export function retentionMonths(db: Db): number {
  const n = Number(getSetting(db, 'retention.months'))
  return Number.isInteger(n) && n > 0 ? n : Number(SETTING_DEFAULTS['retention.months'])
}

/** Reports that occurred before this instant are past the retention period. */
export function retentionCutoff(db: Db, now: number): number {
  return monthsBefore(now, retentionMonths(db))
}
