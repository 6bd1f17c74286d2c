import type { Plugin } from 'vite'
import { staticallyReachable } from './chunk-graph.ts'

/** V8's explicit compile hint (Chrome ≥ 136): every function in the file is compiled eagerly, off the main thread. */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n'

/** The entry chunks and every chunk they import statically: the code that runs before the first screen. */
export function startupChunks(chunks: Map<string, { isEntry: boolean; imports: string[] }>): Set<string> {
  return staticallyReachable(chunks, [...chunks].filter(([, c]) => c.isEntry).map(([file]) => file))
}

/**
 * Marks the startup chunks with V8's compile hint. The service worker's cache makes Chromium store their code cache
 * when the app is installed; with the hint that cache holds every function, so a cold start from the home screen
 * compiles nothing lazily on the main thread while Vue mounts (most functions in these chunks run on the first
 * screen anyway). Other engines read the line as a comment.
 */
export function compileHints(): Plugin {
  return {
    name: 'lagesbild:compile-hints',
    apply: 'build',
    // After Vite's own generateBundle, which puts the preload map in front of the entry's code: the hint must come first.
    enforce: 'post',
    generateBundle: { order: 'post', handler(_options, bundle) {
      const chunks = new Map<string, { isEntry: boolean; imports: string[] }>()
      for (const out of Object.values(bundle)) if (out.type === 'chunk') chunks.set(out.fileName, { isEntry: out.isEntry, imports: out.imports })
      for (const file of startupChunks(chunks)) {
        const chunk = bundle[file]
        if (chunk?.type === 'chunk' && !chunk.code.startsWith(COMPILE_HINT)) chunk.code = COMPILE_HINT + chunk.code
      }
    } },
  }
}
