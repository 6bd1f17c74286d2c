import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import svSync from '@/locales/sv/sync.json'
import enSync from '@/locales/en/sync.json'
import svAuth from '@/locales/sv/auth.json'
import enAuth from '@/locales/en/auth.json'
import type { OutboxEntry } from '@/db/types'
import { countUnsent, isReportEntry, NOTHING_UNSENT, unsentPhrase, unsentTotal, type Unsent } from './unsent'

const entry = (kind: OutboxEntry['kind'], reportId: string): Pick<OutboxEntry, 'kind' | 'reportId'> => ({ kind, reportId })

// The real messages, so the plurals and the list joining are what the phone shows.
const i18n = createI18n({ legacy: false, locale: 'sv', messages: { sv: { sync: svSync, auth: svAuth }, en: { sync: enSync, auth: enAuth } } })
function phrase(u: Unsent, locale: 'sv' | 'en'): string {
  i18n.global.locale.value = locale
  return unsentPhrase(u, i18n.global.t, locale)
}

describe('countUnsent', () => {
  it('counts reports, action marks and visits apart, each thing once however many ops it has queued', () => {
    const u = countUnsent([
      entry('create', 'r1'), entry('amend', 'r1'), entry('create', 'r2'),
      entry('action', 'action:1:2026-W48:0'), entry('action', 'action:1:2026-W48:0'),
      entry('visit', 'visit:a'), entry('visit', 'visit:b'),
    ])
    expect(u).toEqual({ reports: 2, actions: 1, visits: 2 })
    expect(unsentTotal(u)).toBe(5)
  })

  it('is nothing for an empty outbox', () => {
    expect(countUnsent([])).toEqual(NOTHING_UNSENT)
    expect(unsentTotal(NOTHING_UNSENT)).toBe(0)
  })

  it('tells a report op from a loop op', () => {
    expect(['create', 'amend', 'action', 'visit'].map(k => isReportEntry({ kind: k as OutboxEntry['kind'] }))).toEqual([true, true, false, false])
  })
})

describe('unsentPhrase', () => {
  it('names only what waits, with its own plural (Swedish)', () => {
    expect(phrase({ reports: 1, actions: 0, visits: 0 }, 'sv')).toBe('1 rapport')
    expect(phrase({ reports: 0, actions: 0, visits: 1 }, 'sv')).toBe('1 besök')
    expect(phrase({ reports: 2, actions: 0, visits: 1 }, 'sv')).toBe('2 rapporter och 1 besök')
    expect(phrase({ reports: 3, actions: 2, visits: 2 }, 'sv')).toBe('3 rapporter, 2 åtgärder och 2 besök')
    expect(phrase(NOTHING_UNSENT, 'sv')).toBe('')
  })

  it('names only what waits, with its own plural (English)', () => {
    expect(phrase({ reports: 1, actions: 0, visits: 0 }, 'en')).toBe('1 report')
    expect(phrase({ reports: 2, actions: 0, visits: 1 }, 'en')).toBe('2 reports and 1 visit')
    expect(phrase({ reports: 0, actions: 1, visits: 3 }, 'en')).toBe('1 action and 3 visits')
  })

  it('reads as the status line and the sign-out warning', () => {
    i18n.global.locale.value = 'sv'
    const t = i18n.global.t
    expect(t('sync.unsent', { what: phrase({ reports: 2, actions: 0, visits: 1 }, 'sv') })).toBe('Ej skickat: 2 rapporter och 1 besök')
    expect(t('auth.confirmSignOutUnsent', { what: phrase({ reports: 0, actions: 0, visits: 1 }, 'sv') })).toMatch(/^Du har 1 besök som väntar på att skickas\./)
    i18n.global.locale.value = 'en'
    expect(t('sync.unsent', { what: phrase({ reports: 1, actions: 0, visits: 1 }, 'en') })).toBe('Not sent: 1 report and 1 visit')
  })
})
