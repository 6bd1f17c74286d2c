import type { APIRequestContext } from 'playwright-core'
import { knowsTotp, nextTotp, rememberTotp } from './totp.ts'

/**
 * Signs a user in through the API, as another person (an admin, a reviewer) would. Desk users pass their
 * second factor: a user seen before sends a fresh TOTP code; a user signing in for the first time enrols
 * TOTP through the API (the secret is kept for later sign-ins), unless a one-time password must be changed
 * first (see adminSession). Returns the recovery codes when it enrolled.
 */
export async function apiSignIn(request: APIRequestContext, baseURL: string, username: string, password: string): Promise<{ recoveryCodes: string[] | null }> {
  const totp = knowsTotp(baseURL, username) ? await nextTotp(baseURL, username) : undefined
  const r = await request.post(`${baseURL}/api/auth/login`, { data: { username, password, ...(totp ? { totp } : {}) }, headers: { origin: baseURL } })
  if (!r.ok()) throw new Error(`sign-in of ${username}: ${r.status()} ${await r.text()}`)
  const me = (await r.json()) as { mustChangePassword: boolean; mustEnrolSecondFactor: boolean }
  if (me.mustEnrolSecondFactor && !me.mustChangePassword) return { recoveryCodes: await apiEnrolTotp(request, baseURL, username) }
  return { recoveryCodes: null }
}

/** TOTP enrolment for the signed-in user of this request context; returns the ten recovery codes. */
export async function apiEnrolTotp(request: APIRequestContext, baseURL: string, username: string): Promise<string[]> {
  const { secret } = await apiCall<{ secret: string }>(request, baseURL, 'POST', '/auth/totp/enrol', {})
  rememberTotp(baseURL, username, secret)
  const { recoveryCodes } = await apiCall<{ recoveryCodes: string[] }>(request, baseURL, 'POST', '/auth/totp/confirm', { code: await nextTotp(baseURL, username) })
  return recoveryCodes
}

export async function apiCall<T>(request: APIRequestContext, baseURL: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const r = await request.fetch(`${baseURL}/api${path}`, { method, headers: { origin: baseURL, 'content-type': 'application/json' }, ...(body !== undefined ? { data: body } : {}) })
  if (!r.ok()) throw new Error(`${method} ${path}: ${r.status()} ${await r.text()}`)
  return (await r.json()) as T
}

/**
 * Signs the first admin in, replaces the one-time password and enrols TOTP, and leaves the request context
 * acting as that admin with a full session.
 */
export async function adminSession(request: APIRequestContext, baseURL: string, first: { username: string; password: string }, newPassword = 'admin passphrase for tests'): Promise<void> {
  await apiSignIn(request, baseURL, first.username, first.password)
  await apiCall(request, baseURL, 'POST', '/auth/password', { currentPassword: first.password, newPassword })
  await apiEnrolTotp(request, baseURL, first.username)
}
