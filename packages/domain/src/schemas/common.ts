import { z } from 'zod'

// Instants travel as ISO 8601 with an explicit offset so the event's local time is never guessed.
export const IsoInstant = z.iso.datetime({ offset: true })

export const Uuid = z.uuid()

export const Id = z.number().int().positive()

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
})
export type ErrorBody = z.infer<typeof ErrorBody>
