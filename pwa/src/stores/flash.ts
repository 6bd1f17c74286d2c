import { defineStore } from 'pinia'
import { ref } from 'vue'

/** A one-line message that survives a navigation ("Saved on this phone"), read once by the next page. */
export const useFlashStore = defineStore('flash', () => {
  const message = ref('')
  function show(text: string) { message.value = text }
  function take(): string {
    const text = message.value
    message.value = ''
    return text
  }
  return { message, show, take }
})
