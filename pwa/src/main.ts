import { createApp } from 'vue'
import App from './App.vue'
import { i18n, localeReady } from './modules/i18n'
import { listenForInstallPrompt } from './modules/install'
import { pinia } from './modules/pinia'
import { registerServiceWorker } from './modules/pwa'
import { router } from './modules/router'
import { afterFirstPaint } from './modules/startup'
import './styles/base.css'

listenForInstallPrompt()
document.documentElement.lang = i18n.global.locale.value
void localeReady().then(() => {
  createApp(App).use(pinia).use(i18n).use(router).mount('#app')
  afterFirstPaint(registerServiceWorker)
})
