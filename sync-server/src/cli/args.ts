import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { z } from 'zod'

/** Bad or missing arguments: the CLI prints the message and the usage hint and exits with 2. */
export class UsageError extends Error {}

/** A well-formed command the database refuses (a missing organisation, a taken username): exit 1. */
export class RefusedError extends Error {}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/** Parses a command's options strictly: unknown options and stray arguments are usage errors. */
export function options<T extends OptionsConfig>(command: string, args: string[], config: T) {
  try {
    return parseArgs({ args, options: config, strict: true, allowPositionals: false }).values
  } catch (err) {
    throw new UsageError(`${command}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** The value of a required option, or a usage error naming it. */
export function required<T>(command: string, name: string, value: T | undefined): T {
  if (value === undefined) throw new UsageError(`${command} needs --${name}`)
  return value
}

/** Validates an argument with the domain's schema; the first issue becomes the usage message. */
export function valid<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw new UsageError(`${what}: ${result.error.issues[0]?.message ?? 'invalid'}`)
}
