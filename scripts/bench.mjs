// `npm run bench`: runs every bench/*.bench.ts in turn (each checks its budgets from DESIGN.md and exits
// non-zero when one is missed), or only those whose name contains an argument: `npm run bench -- push`.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)
const files = readdirSync(join(root, 'bench')).filter(f => f.endsWith('.bench.ts')).filter(f => !only.length || only.some(o => f.includes(o))).sort()
let failed = 0
for (const f of files) {
  console.log(`\n=== ${f} ===`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'bench', f)], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) { failed++; console.log(`!!! ${f} missed a budget or failed (exit ${r.status})`) }
}
console.log(failed ? `\n${failed} of ${files.length} benchmarks missed a budget` : `\nall ${files.length} benchmarks within budget`)
process.exit(failed ? 1 : 0)
