import sv from '@/locales/sv/device.json'
import en from '@/locales/en/device.json'
import { i18n } from '@/modules/i18n'

// The install offer, the storage notices and "about this phone" load after the home screen; their messages
// come with them rather than with the capture route's first bytes (both languages, for a switch offline).
i18n.global.mergeLocaleMessage('sv', { device: sv })
i18n.global.mergeLocaleMessage('en', { device: en })
