import { AMENDABLE_FIELDS, type AmendableField, type ReportDraft, type ReportStatus } from './schemas/report.ts'

export type ReportFields = Pick<ReportDraft, AmendableField>
export type FieldChanges = Partial<Record<AmendableField, { from: unknown; to: unknown }>>

/** JSON with object keys sorted, so `{lat, lon}` and `{lon, lat}` compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
    : v)
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

/** Which amendable fields differ between two versions of a report, with their old and new values. */
export function diffFields(before: ReportFields, after: ReportFields): FieldChanges {
  const changes: FieldChanges = {}
  for (const field of AMENDABLE_FIELDS) {
    if (!same(before[field], after[field])) changes[field] = { from: before[field] ?? null, to: after[field] ?? null }
  }
  return changes
}

/** A reporter may change a report directly until a reviewer has decided on it. */
export function isAmendableByReporter(status: ReportStatus): boolean {
  return status === 'submitted' || status === 'needs_info'
}

export interface MergeResult {
  merged: ReportFields
  /** Fields where the reporter's value lost to the reviewer's: kept as a record, never silently dropped. */
  overruled: FieldChanges
}

/**
 * Per-field merge of a reporter's amendment made on `base` against the server's `current`:
 * fields only the reporter changed take the reporter's value; fields both sides changed keep the
 * server (reviewer) value and report the reporter's value as overruled.
 */
export function mergeAmendment(base: ReportFields, current: ReportFields, amended: ReportFields): MergeResult {
  const merged = { ...current } as Record<AmendableField, unknown>
  const overruled: FieldChanges = {}
  for (const field of AMENDABLE_FIELDS) {
    const reporterChanged = !same(base[field], amended[field])
    if (!reporterChanged) continue
    const serverChanged = !same(base[field], current[field])
    if (serverChanged && !same(current[field], amended[field])) overruled[field] = { from: current[field] ?? null, to: amended[field] ?? null }
    else merged[field] = amended[field]
  }
  return { merged: merged as ReportFields, overruled }
}
