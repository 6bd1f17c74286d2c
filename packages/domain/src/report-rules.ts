/*
 * Report rules without zod, so the capture screens can use them without loading the schema library
 * (it would break the capture route's JavaScript budget). The schemas re-export them.
 */
export const DESCRIPTION_MAX = 2000
// Device clocks drift; an event a few minutes "in the future" is a clock, not a lie.
export const FUTURE_SKEW_MS = 5 * 60_000

export function isInFuture(occurredAt: string, now = Date.now()): boolean {
  return Date.parse(occurredAt) > now + FUTURE_SKEW_MS
}

/** The protocol version this code speaks; the server also accepts the one before it. */
export const SCHEMA_VERSION = 2
export const ACCEPTED_SCHEMA_VERSIONS = [SCHEMA_VERSION - 1, SCHEMA_VERSION] as const
export const MAX_OPS_PER_PUSH = 500

/** Fields a reporter may change by amending; the rest belong to the server or to reviewers. */
export const AMENDABLE_FIELDS = ['category', 'occurredAt', 'location', 'placeId', 'description', 'peopleInvolved', 'policeNotified'] as const
export type AmendableField = (typeof AMENDABLE_FIELDS)[number]
