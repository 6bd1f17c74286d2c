import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Three projects so `npm test` can run them as separate, named steps:
// unit (pure code, no I/O), server (Hono app against real SQLite files), e2e (built PWA in real Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '@': fileURLToPath(new URL('./pwa/src', import.meta.url)) } },
        test: {
          name: 'unit',
          include: ['packages/**/*.test.ts', 'pwa/src/**/*.test.ts', 'pwa/build/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // The protocol property test drives the PWA's own sync engine against the server.
        resolve: { alias: { '@': fileURLToPath(new URL('./pwa/src', import.meta.url)) } },
        test: {
          name: 'server',
          include: ['sync-server/**/*.test.ts'],
          environment: 'node',
          // The tests that run the server as a process run its production build.
          globalSetup: ['sync-server/test/global-setup.ts'],
          testTimeout: 30_000,
          // Fixture set-up builds thousands of reports; on a busy 2-core machine that can pass 10 s.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.spec.ts'],
          environment: 'node',
          globalSetup: ['e2e/support/global-setup.ts', 'sync-server/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
