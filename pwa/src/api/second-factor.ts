import type { Me, SecondFactorStatus } from '@lagesbild/domain'
import { api } from '@/api/client'

/** The second-factor calls of DESIGN "Second factor"; the WebAuthn browser library loads only when used. */
export const secondFactorStatus = () => api<SecondFactorStatus>('/auth/second-factor')
export const startTotp = () => api<{ secret: string; otpauthUrl: string }>('/auth/totp/enrol', { body: {} })
export const confirmTotp = (code: string) => api<{ recoveryCodes: string[] }>('/auth/totp/confirm', { body: { code } })

/** Registers a passkey for the signed-in user; returns recovery codes when these are the user's first. */
export async function registerPasskey(): Promise<{ recoveryCodes: string[] | null }> {
  const { startRegistration } = await import('@simplewebauthn/browser')
  const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>('/auth/passkey/register/options', { body: {} })
  const response = await startRegistration({ optionsJSON })
  return api<{ recoveryCodes: string[] | null }>('/auth/passkey/register', { body: { response } })
}

/** The passkey as the second step of a sign-in: the password again, then the authenticator. */
export async function signInWithPasskey(username: string, password: string): Promise<Me> {
  const { startAuthentication } = await import('@simplewebauthn/browser')
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('/auth/passkey/options', { body: { username, password } })
  const response = await startAuthentication({ optionsJSON })
  return api<Me>('/auth/passkey/login', { body: { response } })
}
