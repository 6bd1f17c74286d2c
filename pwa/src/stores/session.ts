import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Me, Role } from '@lagesbild/domain'
import { api, ApiCallError } from '@/api/client'
import { forgetOtherUsers, forgetUser } from '@/db/reports'

const CACHE_KEY = 'lagesbild.me'

/**
 * Who is signed in. The last known user is kept in localStorage so the app opens signed-in without
 * coverage; the server remains the judge of the session whenever it can be reached.
 */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(readCached())
  const checked = ref(false)
  const expired = ref(false)

  const hasRole = (...roles: Role[]) => computed(() => !!me.value && me.value.roles.some(r => roles.includes(r)))
  const isSignedIn = computed(() => me.value !== null)

  function readCached(): Me | null {
    try { return JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as Me | null } catch { return null }
  }

  function remember(user: Me | null) {
    me.value = user
    if (user) localStorage.setItem(CACHE_KEY, JSON.stringify(user))
    else localStorage.removeItem(CACHE_KEY)
  }

  /**
   * Asks the server who we are. Offline keeps the remembered user; a remembered user the server no longer
   * knows is marked expired (and kept, so the outbox waits for the same user to sign in again).
   */
  async function refresh(): Promise<void> {
    try {
      const { user } = await api<{ user: Me | null }>('/auth/session')
      if (user) {
        remember(user)
        expired.value = false
      } else {
        expired.value = me.value !== null
      }
    } catch (err) {
      if (!(err instanceof ApiCallError)) throw err
    } finally {
      checked.value = true
    }
  }

  /** Desk roles send their second factor (`totp` or `recoveryCode`) once enrolled; see DESIGN "Second factor". */
  async function signIn(username: string, password: string, secondFactor: { totp?: string; recoveryCode?: string } = {}): Promise<Me> {
    const user = await api<Me>('/auth/login', { body: { username, password, ...secondFactor } })
    await forgetOtherUsers(user.id)
    remember(user)
    expired.value = false
    return user
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    remember(await api<Me>('/auth/password', { body: { currentPassword, newPassword } }))
  }

  /** Signs out and clears this user's synced data from the phone (a shared phone); unsent reports stay. */
  async function signOut(): Promise<void> {
    try { await api('/auth/logout', { body: {} }) } catch { /* offline: the cookie ends with the session anyway */ }
    const leaving = me.value
    remember(null)
    if (leaving) await forgetUser(leaving.id)
    expired.value = false
  }

  return { me, checked, expired, isSignedIn, hasRole, refresh, signIn, signOut, changePassword }
})
