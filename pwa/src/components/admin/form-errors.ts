import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiCallError } from '@/api/client'

/**
 * Errors of one admin form: the server names the field it refuses (`name`, `hotSpots.0.placeId`), so the
 * message is shown next to that field when the form has it, and above the button otherwise.
 */
export function useFormErrors() {
  const { t } = useI18n()
  const fields = reactive<Record<string, string>>({})
  const general = ref('')

  function clear() {
    for (const key of Object.keys(fields)) delete fields[key]
    general.value = ''
  }

  /** A message in the user's language for a failed call; the server's own words only as a last resort. */
  function describe(err: unknown): string {
    if (!(err instanceof ApiCallError)) return t('app.unexpectedError')
    if (err.isNetwork) return t('auth.offline')
    const known: Record<string, string> = {
      exists: t('admin.errors.exists'),
      not_found: t('admin.errors.notFound'),
      own_account: t('admin.errors.ownAccount'),
      last_admin: t('admin.errors.lastAdmin'),
      account_disabled: t('admin.errors.accountDisabled'),
      forbidden: t('admin.errors.forbidden'),
      unauthenticated: t('admin.errors.signedOut'),
    }
    if (known[err.code]) return known[err.code]!
    // "field: what is wrong" from the schema: the field is shown by placement, the rest is the reason.
    const detail = err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message
    return err.status === 400 ? t('admin.errors.invalid', { detail }) : detail
  }

  /** Shows an error from the server; `known` lists the fields this form displays (longest prefix wins). */
  function show(err: unknown, known: readonly string[]) {
    clear()
    const message = describe(err)
    const field = err instanceof ApiCallError ? err.field : undefined
    const target = field === undefined ? undefined
      : [...known].sort((a, b) => b.length - a.length).find(k => field === k || field.startsWith(`${k}.`))
    if (target) fields[target] = message
    else general.value = message
  }

  function set(field: string, message: string) { fields[field] = message }

  const has = () => general.value !== '' || Object.keys(fields).length > 0

  return { fields, general, clear, show, set, has, describe }
}
