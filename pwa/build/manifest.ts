import type { ManifestOptions } from 'vite-plugin-pwa'
import defaults from '../../packages/domain/src/data/est-categories.json' with { type: 'json' }

/**
 * The categories a long press on the icon offers, besides "Ny rapport". The manifest is made at build
 * time, before any city has reported anything, so it cannot follow a city's real figures (and it is the
 * same for every user). These are the three most frequent in what municipalities publish for their EST
 * work, which the demo data's model also follows (sync-server/src/services/demo/model.ts: gathering and
 * littering 14, vandalism 13, graffiti 12, the rest ≤ 10).
 */
export const SHORTCUT_CATEGORIES = ['gathering', 'littering', 'vandalism'] as const

function label(code: string): string {
  const found = defaults.categories.find(c => c.code === code)
  if (!found) throw new Error(`no default category ${code}`)
  return found.sv
}

const shortcutIcon = [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }]

export const manifest: Partial<ManifestOptions> = {
  id: '/',
  name: 'Lägesbild – händelserapportering för EST',
  short_name: 'Lägesbild',
  description: 'Rapportera händelser i offentlig miljö, även utan täckning.',
  lang: 'sv',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  orientation: 'any',
  background_color: '#ffffff',
  theme_color: '#0b3d5c',
  categories: ['productivity', 'utilities', 'government'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  shortcuts: [
    { name: 'Ny rapport', short_name: 'Ny rapport', description: 'Rapportera en händelse', url: '/report', icons: shortcutIcon },
    ...SHORTCUT_CATEGORIES.map(code => ({ name: `Ny rapport: ${label(code)}`, short_name: label(code), url: `/report?category=${code}`, icons: shortcutIcon })),
  ],
  // Made by scripts/make-screenshots.mjs from the running app; not precached (only the install sheet shows them).
  screenshots: [
    { src: '/screenshots/home-narrow.png', sizes: '720x1480', type: 'image/png', form_factor: 'narrow', label: 'Startsidan: välj vad som har hänt' },
    { src: '/screenshots/report-narrow.png', sizes: '720x1480', type: 'image/png', form_factor: 'narrow', label: 'En ny rapport: platsen väljs från telefonens position' },
    { src: '/screenshots/home-wide.png', sizes: '1280x800', type: 'image/png', form_factor: 'wide', label: 'Startsidan på en större skärm' },
  ],
}
