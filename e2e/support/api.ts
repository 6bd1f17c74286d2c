import type { APIRequestContext } from 'playwright-core'

/** Direct API calls for test set-up, as another person (an admin, a reviewer) would make them. */
export async function apiSignIn(request: APIRequestContext, baseURL: string, username: string, password: string): Promise<void> {
  const r = await request.post(`${baseURL}/api/auth/login`, { data: { username, password }, headers: { origin: baseURL } })
  if (!r.ok()) throw new Error(`sign-in of ${username}: ${r.status()} ${await r.text()}`)
}

export async function apiCall<T>(request: APIRequestContext, baseURL: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const r = await request.fetch(`${baseURL}/api${path}`, { method, headers: { origin: baseURL, 'content-type': 'application/json' }, ...(body !== undefined ? { data: body } : {}) })
  if (!r.ok()) throw new Error(`${method} ${path}: ${r.status()} ${await r.text()}`)
  return (await r.json()) as T
}

/** Signs the first admin in, replaces the one-time password, and returns a request context acting as that admin. */
export async function adminSession(request: APIRequestContext, baseURL: string, first: { username: string; password: string }, newPassword = 'admin passphrase for tests'): Promise<void> {
  await apiSignIn(request, baseURL, first.username, first.password)
  await apiCall(request, baseURL, 'POST', '/auth/password', { currentPassword: first.password, newPassword })
}
