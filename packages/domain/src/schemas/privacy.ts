import { z } from 'zod'
import { DESCRIPTION_MAX } from '../report-rules.ts'
import { Report } from './report.ts'

/** The text that replaces each redacted fragment, everywhere it was stored. */
export const REDACTED = '[borttaget]'
export const REDACT_FRAGMENTS_MAX = 20

/** Undoes a merge: the duplicate (the report in the path) counts as its own event again. */
export const UnmergeBody = z.strictObject({ baseVersion: z.number().int().positive() })
export type UnmergeBody = z.infer<typeof UnmergeBody>

/** Fragments of free text to remove from a report, its history and its pending amendments. */
export const RedactBody = z.strictObject({
  fragments: z.array(z.string().trim().min(3, 'a fragment needs at least 3 characters').max(DESCRIPTION_MAX)).min(1).max(REDACT_FRAGMENTS_MAX),
})
export type RedactBody = z.infer<typeof RedactBody>
export const RedactResponse = z.object({ report: Report, replacements: z.number().int().nonnegative() })
export type RedactResponse = z.infer<typeof RedactResponse>

export const RETENTION_MONTHS_MIN = 1
export const RETENTION_MONTHS_MAX = 120
export const RetentionSettings = z.strictObject({
  months: z.number().int().min(RETENTION_MONTHS_MIN).max(RETENTION_MONTHS_MAX),
})
export type RetentionSettings = z.infer<typeof RetentionSettings>

/** What one retention run removed (or, dry, would remove), per step. */
export const RetentionStepResult = z.object({
  step: z.string(),
  /** What occurred before this instant was past its retention period. */
  cutoff: z.string(),
  rows: z.number().int().nonnegative(),
  detail: z.record(z.string(), z.number()),
})
export const RetentionRun = z.object({ dryRun: z.boolean(), steps: z.array(RetentionStepResult) })
export const RetentionRunBody = z.strictObject({ dryRun: z.boolean().default(false) })
export type RetentionRun = z.infer<typeof RetentionRun>
