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
