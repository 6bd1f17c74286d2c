import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import VueI18n from '@intlify/unplugin-vue-i18n/vite'
import { appVersion } from './build/app-version.ts'
import { BACKGROUND_SYNC_SCRIPT, backgroundSync } from './build/background-sync.ts'
import { compileHints } from './build/compile-hints.ts'
import { precompress } from './build/precompress.ts'
import { manifest } from './build/manifest.ts'
import { reporterPrecache } from './build/reporter-precache.ts'

const apiTarget = process.env.API_URL ?? 'http://localhost:8787'
const precache = reporterPrecache()

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: fileURLToPath(new URL('../public', import.meta.url)),
  plugins: [
    vue(),
    precache.plugin,
    compileHints(),
    // Messages are compiled at build time, so the runtime needs no eval and the CSP can forbid it.
    VueI18n({ include: [fileURLToPath(new URL('./src/locales/**', import.meta.url))], runtimeOnly: true, compositionOnly: true, fullInstall: false, dropMessageCompiler: true, strictMessage: false }),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest,
      workbox: {
        importScripts: [BACKGROUND_SYNC_SCRIPT],
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // A reporter's phone precaches what it needs offline; desk-only chunks are left out (build/reporter-precache.ts)…
        globIgnores: ['screenshots/**'],
        manifestTransforms: [precache.transform],
        navigateFallback: '/index.html',
        // The API is never cached: reports travel through the outbox, and reads must be fresh or fail.
        navigateFallbackDenylist: [/^\/api\//],
        // …and cached on first use: hashed file names never change content, so the cache is always right.
        runtimeCaching: [{
          urlPattern: /\/assets\/[^/]+\.(?:js|css)$/,
          handler: 'CacheFirst',
          options: { cacheName: 'desk-assets', expiration: { maxEntries: 80, purgeOnQuotaError: true } },
        }],
        cleanupOutdatedCaches: true,
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
    backgroundSync(),
    precompress(),
  ],
  // Every component uses <script setup>: without the Options API, Vue is smaller on the capture route.
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false', __APP_VERSION__: JSON.stringify(appVersion()) },
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
})
