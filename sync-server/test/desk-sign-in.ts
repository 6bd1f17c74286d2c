import type { TotpCodes } from './totp-codes.ts'

/** POSTs JSON to the API (app.request in-process, or fetch to a real server) and returns the Response. */
export type Send = (path: string, body: unknown, cookie?: string) => Promise<Response>

/** `send` for a server at `baseUrl` (e.g. http://127.0.0.1:8787) over real HTTP, same-origin as the PWA. */
export const sendTo = (baseUrl: string): Send => (path, body, cookie) => fetch(baseUrl + path, {
  method: 'POST', body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', origin: baseUrl, ...(cookie ? { cookie } : {}) },
})

/**
 * Signs any user in and returns the session cookie, passing the second factor the way a person does: a
 * fresh TOTP code when `codes` knows the user's secret, otherwise TOTP enrolment through the API when the
 * server asks for it (the secret is then added to `codes` for the next sign-in). For load tests, benches
 * and fuzzers; there is no way around the second factor in the server.
 */
export async function deskSignIn(send: Send, codes: TotpCodes, username: string, password: string): Promise<string> {
  const login = await send('/api/auth/login', { username, password, ...(codes.has(username) ? { totp: codes.next(username) } : {}) })
  if (login.status !== 200) throw new Error(`sign-in of ${username}: ${login.status} ${await login.text()}`)
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const me = (await login.json()) as { mustEnrolSecondFactor: boolean; mustChangePassword: boolean }
  if (me.mustChangePassword) throw new Error(`${username} has a one-time password; change it first`)
  if (me.mustEnrolSecondFactor) {
    const enrol = await send('/api/auth/totp/enrol', {}, cookie)
    if (enrol.status !== 200) throw new Error(`TOTP enrolment of ${username}: ${enrol.status} ${await enrol.text()}`)
    codes.add(username, ((await enrol.json()) as { secret: string }).secret)
    const confirm = await send('/api/auth/totp/confirm', { code: codes.next(username) }, cookie)
    if (confirm.status !== 200) throw new Error(`TOTP confirmation of ${username}: ${confirm.status} ${await confirm.text()}`)
  }
  return cookie
}
