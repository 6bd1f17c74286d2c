import type { Db } from '../../db/connection.ts'

/** What one step removed (or, dry, would remove): `rows` is its main count, `detail` the counts per kind. */
export interface RetentionStepResult { cutoff: number; rows: number; detail: Record<string, number> }

/**
 * One kind of data with a retention period. A step computes its own cutoff from `now` and the settings, so each
 * kind may keep its own period (reports 12 months by default; visits 6). A dry run only counts.
 */
export interface RetentionStep {
  name: string
  run(db: Db, ctx: { now: number; dryRun: boolean }): RetentionStepResult
}

/** `value` with every property named in `fields`, at any depth, passed through `map(field, value)`. */
export function mapFields(value: unknown, fields: readonly string[], map: (field: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map(v => mapFields(v, fields, map))
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => {
    if (!fields.includes(k)) return [k, mapFields(v, fields, map)]
    // A change {from, to} of the field, or the field's value itself.
    if (v && typeof v === 'object' && ('from' in v || 'to' in v)) {
      return [k, Object.fromEntries(Object.entries(v).map(([kk, vv]) => [kk, kk === 'from' || kk === 'to' ? map(k, vv) : vv]))]
    }
    return [k, map(k, v)]
  }))
}
