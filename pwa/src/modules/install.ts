import { ref, shallowRef } from 'vue'

/** Chromium's install prompt (not in TypeScript's DOM library). */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

/** The browser's install prompt, kept for when the user taps "Install" (Android and desktop Chromium). */
export const installPrompt = shallowRef<BeforeInstallPromptEvent | null>(null)
export const justInstalled = ref(false)

/** Listens from the first moment: the event may fire before the home page is on screen. */
export function listenForInstallPrompt(): void {
  addEventListener('beforeinstallprompt', e => {
    e.preventDefault() // our own quiet offer instead of the browser's mini-infobar
    installPrompt.value = e as BeforeInstallPromptEvent
  })
  addEventListener('appinstalled', () => { installPrompt.value = null; justInstalled.value = true })
}

/** Running as the installed app (Android, desktop) or from the iOS home screen. */
export function isStandalone(): boolean {
  return matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true
}

export type InstallWay = 'prompt' | 'ios' | 'other' | 'none'

/**
 * How this browser installs a web app: its own prompt; iOS's Share sheet (every browser on iOS is WebKit,
 * iPadOS says it is a Mac with touch); another browser's menu (Firefox); or nothing to offer (installed,
 * or a Chromium that has not found the app installable yet, which fires the prompt when it does).
 */
export function installWay(): InstallWay {
  if (isStandalone() || justInstalled.value) return 'none'
  if (installPrompt.value) return 'prompt'
  const ua = navigator.userAgent
  if (/iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)) return 'ios'
  if ('BeforeInstallPromptEvent' in window) return 'none'
  return 'other'
}
