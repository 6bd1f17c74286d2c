// Builds the server for production: one ES module (sync-server/dist/server.js) plus its SQL migrations, run with
// plain `node`. Running the TypeScript sources through tsx in production costs about 60 MB of resident memory for
// the loader's own thread and caches (105 vs 158 MB idle; 205 vs 260 MB under the Monday-morning load, BENCHMARKS.md).
// Packages from node_modules stay external (better-sqlite3 is native); the workspace's own TypeScript is bundled.
import { build } from 'esbuild'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
/** Where `npm run build` and `npm start` put the server. */
const SERVER_DIST = join(here, 'dist')
/**
 * The options `node` runs the server with, wherever it runs (npm start, systemd, tests, benchmarks). Without a
 * limit, V8 sizes its heap for the machine (gigabytes here) and lets garbage pile up: under the Monday-morning load
 * the heap grew to 149 MB (126 MB "used", nearly all garbage: 26 MB once the load stopped) and RSS passed 250 MB in
 * some runs. With a limit it collects sooner and the heap stayed at ~70 MB (RSS 174 MB), at the same latencies; the
 * live data under that load is ~40 MB, so 256 MB leaves ample room before the limit could ever be reached.
 */
const SERVER_NODE_ARGS = ['--max-old-space-size=256']
/** Written next to the bundle, for `npm start` (a plain script) to read. */
const NODE_ARGS_FILE = 'node-args.json'

/**
 * A fresh folder for a build that tests and benchmarks run and then delete. It lies inside the repository
 * (node_modules/.cache) because the bundle finds its packages the way Node does, in node_modules above it.
 */
export function temporaryBuildDir(): string {
  const cache = join(here, '../node_modules/.cache')
  mkdirSync(cache, { recursive: true })
  return mkdtempSync(join(cache, 'lagesbild-server-'))
}

/** Builds into `outDir` (emptied first) and returns the arguments to run it with: `node ...args`. */
export async function buildServer(outDir = SERVER_DIST): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  await build({
    entryPoints: { server: join(here, 'src/index.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Readable stack traces in the logs without source maps (which Node would have to hold in memory).
    keepNames: true,
    logLevel: 'warning',
    plugins: [{
      name: 'node-modules-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, args => (args.path.startsWith('@lagesbild/') ? undefined : { path: args.path, external: true }))
      },
    }],
  })
  // The migration runner reads them next to its own module (db/migrate.ts).
  cpSync(join(here, 'src/db/migrations'), join(outDir, 'migrations'), { recursive: true })
  writeFileSync(join(outDir, NODE_ARGS_FILE), JSON.stringify(SERVER_NODE_ARGS) + '\n')
  return [...SERVER_NODE_ARGS, join(outDir, 'server.js')]
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = await buildServer(process.argv[2] ?? SERVER_DIST)
  console.log(`Built the server: node ${args.join(' ')}`)
}
