import { installPrompt, justInstalled } from '@/modules/install'

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
