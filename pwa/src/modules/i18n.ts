import { createI18n } from 'vue-i18n'

export const LOCALES = ['sv', 'en'] as const
export type Locale = (typeof LOCALES)[number]
const STORAGE_KEY = 'lagesbild.locale'

// Each feature keeps its own message file (locales/<locale>/<feature>.json); they merge into one tree.
// One namespace per feature file; values are strings or nested groups of them.
type Messages = { [key: string]: string | Messages }
type MessageModule = { default: Messages }

// The phone's screens carry their Swedish messages in the app's entry (Swedish first); their English loads
// before the app mounts when it is the chosen language (precached all the same), and the desk's (review,
// summary, admin …) load with their pages, so the capture route carries no messages it never shows.
// import.meta.glob takes only literal patterns, hence the repetition.
const captureSv = import.meta.glob<MessageModule>('../locales/sv/{app,nav,auth,home,report,mine,sync,pwa,phone,loop}.json', { eager: true })
const captureEn = import.meta.glob<MessageModule>('../locales/en/{app,nav,auth,home,report,mine,sync,pwa,phone,loop}.json')
const deskFiles = import.meta.glob<MessageModule>([
  '../locales/*/*.json', '!../locales/*/app.json', '!../locales/*/nav.json', '!../locales/*/auth.json', '!../locales/*/home.json',
  '!../locales/*/report.json', '!../locales/*/mine.json', '!../locales/*/sync.json', '!../locales/*/pwa.json', '!../locales/*/phone.json',
  '!../locales/*/loop.json',
  '!../locales/*/device.json', // with the phone's lazily loaded screens (components/phone/device-messages.ts)
])

function namespaceOf(path: string): { locale: string; namespace: string } | null {
  const match = /locales\/(\w+)\/(\w[\w-]*)\.json$/.exec(path)
  return match ? { locale: match[1]!, namespace: match[2]! } : null
}

function swedishCaptureMessages(): Messages {
  const merged: Messages = {}
  for (const [path, mod] of Object.entries(captureSv)) {
    const at = namespaceOf(path)
    if (at) merged[at.namespace] = mod.default
  }
  return merged
}

let englishLoaded: Promise<void> | null = null

/** The phone screens' messages in a language other than Swedish (once). */
function loadCaptureMessages(locale: Locale): Promise<void> {
  if (locale === 'sv') return Promise.resolve()
  englishLoaded ??= Promise.all(Object.entries(captureEn).map(async ([path, load]) => {
    const at = namespaceOf(path)
    if (at) i18n.global.mergeLocaleMessage('en', { [at.namespace]: (await load()).default })
  })).then(() => undefined, err => { englishLoaded = null; throw err })
  return englishLoaded
}

let deskLoaded: Promise<void> | null = null

/** Loads the desk screens' messages in both languages (once; they are precached for offline use). */
export function loadDeskMessages(): Promise<void> {
  deskLoaded ??= Promise.all(Object.entries(deskFiles).map(async ([path, load]) => {
    const at = namespaceOf(path)
    if (!at || !(LOCALES as readonly string[]).includes(at.locale)) return
    i18n.global.mergeLocaleMessage(at.locale as Locale, { [at.namespace]: (await load()).default })
  })).then(() => undefined, err => { deskLoaded = null; throw err })
  return deskLoaded
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
  messages: { sv: swedishCaptureMessages(), en: {} },
})

/** Resolves when the chosen language's phone messages are there: the app mounts after it. */
export function localeReady(): Promise<void> {
  return loadCaptureMessages(i18n.global.locale.value)
}

export async function setLocale(locale: Locale): Promise<void> {
  await loadCaptureMessages(locale)
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}
