import { createI18n } from 'vue-i18n'

export const LOCALES = ['sv', 'en'] as const
export type Locale = (typeof LOCALES)[number]
const STORAGE_KEY = 'lagesbild.locale'

// Each feature keeps its own message file (locales/<locale>/<feature>.json); they merge into one tree.
// One namespace per feature file; values are strings or nested groups of them.
type Messages = { [key: string]: string | Messages }
const files = import.meta.glob<{ default: Messages }>('../locales/*/*.json', { eager: true })

function messagesFor(locale: Locale): Messages {
  const merged: Messages = {}
  for (const [path, mod] of Object.entries(files)) {
    const match = /locales\/(\w+)\/(\w[\w-]*)\.json$/.exec(path)
    if (match?.[1] === locale) merged[match[2]!] = mod.default
  }
  return merged
}

/** Swedish first: a saved choice, else the browser's language if we have it, else Swedish. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY)
  if (saved === 'sv' || saved === 'en') return saved
  const browser = navigator.languages.map(l => l.slice(0, 2))
  return browser.find((l): l is Locale => (LOCALES as readonly string[]).includes(l)) ?? 'sv'
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'sv',
  messages: { sv: messagesFor('sv'), en: messagesFor('en') },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}
