import { onBeforeUnmount, onMounted } from 'vue'

// Inputs where a letter is text, not a command. Checkboxes and buttons are not typing.
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'number', 'password', 'tel', 'url', 'date', 'datetime-local', 'time', 'month', 'week'])

/** Whether a key press on this element is someone typing (so a shortcut must not fire). */
export function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type)
}

/** Single-letter shortcuts on the whole page, off while typing in a field or with a modifier key held. */
export function useReviewShortcuts(handlers: Record<string, () => void>): void {
  function onKey(event: KeyboardEvent) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing || isTyping(event.target)) return
    const handler = handlers[event.key]
    if (!handler) return
    event.preventDefault()
    handler()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
