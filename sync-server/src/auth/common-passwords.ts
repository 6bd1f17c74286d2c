import { dictionary } from '@zxcvbn-ts/language-common'
import { ApiError } from '../http-error.ts'

// The 49,000 most common passwords of @zxcvbn-ts/language-common, shipped with the server (never the PWA).
let list: Set<string> | null = null

const normal = (password: string) => password.normalize('NFKC').toLowerCase()

export function isCommonPassword(password: string): boolean {
  list ??= new Set((dictionary['passwords-common'] as string[]).map(normal))
  return list.has(normal(password))
}

export const COMMON_PASSWORD_MESSAGE = 'this password is among the most common ones and easy to guess; choose another (a phrase of several words works well)'

/** Throws 400 `common_password` naming the field; the CLI turns it into its own message. */
export function refuseCommonPassword(password: string, field: string): void {
  if (isCommonPassword(password)) throw new ApiError(400, 'common_password', `${field}: ${COMMON_PASSWORD_MESSAGE}`, field)
}
