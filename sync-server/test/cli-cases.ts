// Test helper: runs many admin CLI invocations in one process, so the CLI tests pay Node's and tsx's start-up
// once instead of per case. `node --import tsx sync-server/test/cli-cases.ts CASES.json` where CASES.json is
// [{dataDir, args}]; prints [{code, stdout, stderr}] as JSON. Each case runs the CLI's own main() with its
// DATA_DIR, exactly as sync-server/src/cli/admin.ts does; stdin is not available to the cases.
import { readFileSync } from 'node:fs'
import { format } from 'node:util'
import { main } from '../src/cli/main.ts'

interface Case { dataDir: string; args: string[] }

const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Case[]
const results: Array<{ code: number; stdout: string; stderr: string }> = []
const write = process.stdout.write.bind(process.stdout)

for (const c of cases) {
  let stdout = '', stderr = ''
  console.log = (...parts: unknown[]) => { stdout += format(...parts) + '\n' }
  console.error = (...parts: unknown[]) => { stderr += format(...parts) + '\n' }
  process.env.DATA_DIR = c.dataDir
  const code = await main(c.args).catch((err: unknown) => { stderr += String(err); return 70 })
  results.push({ code, stdout, stderr })
}
write(JSON.stringify(results))
