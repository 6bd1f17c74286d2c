import type { Plugin } from 'vite'
import type { ManifestTransform } from 'workbox-build'
import { staticallyReachable } from './chunk-graph.ts'

/**
 * Pages a reporter uses (and may open offline without ever having opened them online). Every other page
 * under src/pages is a desk page: its chunks, and everything only they import (charts, the summary map,
 * the desk's messages), are left out of the precache and cached by the service worker on first use.
 */
export const REPORTER_PAGES = ['HomePage', 'ReportPage', 'MyReportsPage', 'LoginPage', 'ChangePasswordPage', 'AboutPhonePage']

interface ChunkInfo { imports: string[]; dynamicImports: string[]; moduleIds: string[]; css: string[] }

const pageOf = (id: string) => /\/pwa\/src\/pages\/(\w+)\.vue(?:\?|$)/.exec(id)?.[1]
const isLocale = (id: string) => /\/pwa\/src\/locales\/[^/]+\/[^/]+\.json(?:\?|$)/.test(id)
const namespaceOf = (id: string) => /\/pwa\/src\/locales\/[^/]+\/([^/?]+)\.json(?:\?|$)/.exec(id)?.[1]

/**
 * The files only the desk needs: everything reachable from a desk page (or a lazily loaded message file)
 * that the app's entry cannot reach without passing through one. Pure, so it is tested on its own.
 */
export function deskOnlyFiles(chunks: Map<string, ChunkInfo>, entries: string[]): Set<string> {
  const isDeskPage = (c: ChunkInfo) => c.moduleIds.some(id => { const p = pageOf(id); return p !== undefined && !REPORTER_PAGES.includes(p) })
  // Message files loaded on demand are the desk's (modules/i18n), except another language of a phone screen's
  // messages: the entry carries those in Swedish, so a namespace the entry holds statically is the phone's.
  const phoneNamespaces = new Set<string>()
  for (const file of staticallyReachable(chunks, entries)) {
    chunks.get(file)!.moduleIds.map(namespaceOf).forEach(ns => { if (ns) phoneNamespaces.add(ns) })
  }
  const isPhoneMessages = (id: string) => phoneNamespaces.has(namespaceOf(id) ?? '')
  const isLazyMessages = (c: ChunkInfo, lazily: boolean) =>
    lazily && c.moduleIds.length > 0 && c.moduleIds.every(isLocale) && !c.moduleIds.every(isPhoneMessages)
  const reporter = new Set<string>()
  const visit = (file: string, lazily: boolean) => {
    const c = chunks.get(file)
    if (!c || reporter.has(file) || isDeskPage(c) || isLazyMessages(c, lazily)) return
    reporter.add(file)
    c.css.forEach(css => reporter.add(css))
    c.imports.forEach(next => visit(next, false))
    c.dynamicImports.forEach(next => visit(next, true))
  }
  entries.forEach(file => visit(file, false))
  const deskOnly = new Set<string>()
  for (const [file, c] of chunks) {
    if (reporter.has(file)) continue
    deskOnly.add(file)
    c.css.filter(css => !reporter.has(css)).forEach(css => deskOnly.add(css))
  }
  return deskOnly
}

/**
 * A reporter's install holds what works offline on a phone; the desk's code comes when a desk user first
 * opens it. The plugin reads the chunk graph as it is written; the manifest transform then drops those
 * files from the service worker's precache list (generateSW runs after the bundle is written).
 */
export function reporterPrecache(): { plugin: Plugin; transform: ManifestTransform } {
  let deskOnly = new Set<string>()
  const plugin: Plugin = {
    name: 'lagesbild-reporter-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo>()
      const entries: string[] = []
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue
        if (out.isEntry) entries.push(out.fileName)
        chunks.set(out.fileName, {
          imports: out.imports, dynamicImports: out.dynamicImports, moduleIds: out.moduleIds,
          css: [...(out.viteMetadata?.importedCss ?? [])],
        })
      }
      deskOnly = deskOnlyFiles(chunks, entries)
    },
  }
  const transform: ManifestTransform = entries => ({ manifest: entries.filter(e => !deskOnly.has(e.url)), warnings: [] })
  return { plugin, transform }
}
