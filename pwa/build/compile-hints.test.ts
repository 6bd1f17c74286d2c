import { describe, expect, it } from 'vitest'
import { build } from 'vite'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COMPILE_HINT, compileHints, startupChunks } from './compile-hints.ts'

describe('the startup chunks of a build', () => {
  it('are the entries and what they import statically, not what they load on demand', () => {
    const chunks = new Map([
      ['index.js', { isEntry: true, imports: ['vue.js', 'dexie.js'] }],
      ['vue.js', { isEntry: false, imports: [] }],
      ['dexie.js', { isEntry: false, imports: ['vue.js'] }],
      ['SummaryPage.js', { isEntry: false, imports: ['vue.js', 'echarts.js'] }],
      ['echarts.js', { isEntry: false, imports: [] }],
    ])
    expect([...startupChunks(chunks)].sort()).toEqual(['dexie.js', 'index.js', 'vue.js'])
  })
})

describe('the compile-hints plugin', () => {
  it('puts the hint on the first line of the startup chunks only, ahead of the preload map Vite adds', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lagesbild-hints-'))
    try {
      writeFileSync(join(root, 'index.html'), '<script type="module" src="/main.js"></script>')
      // Two lazily loaded chunks share a third: the entry then carries Vite's preload map (__vite__mapDeps).
      writeFileSync(join(root, 'main.js'), "import { shared } from './shared.js'\nshared()\ndocument.onclick = () => Promise.all([import('./later.js'), import('./later2.js')])\n")
      writeFileSync(join(root, 'shared.js'), 'export function shared() { return 1 }\n')
      writeFileSync(join(root, 'common.js'), 'export function common() { return 2 }\n')
      writeFileSync(join(root, 'later.js'), "import { common } from './common.js'\nexport function later() { return common() + 1 }\n")
      writeFileSync(join(root, 'later2.js'), "import { common } from './common.js'\nexport function later2() { return common() + 2 }\n")
      await build({ root, configFile: false, logLevel: 'silent', plugins: [compileHints()], build: { outDir: join(root, 'dist'), minify: false } })
      const assets = join(root, 'dist/assets')
      const files = readdirSync(assets).filter(f => f.endsWith('.js'))
      const hinted = files.filter(f => readFileSync(join(assets, f), 'utf8').startsWith(COMPILE_HINT))
      const entry = files.find(f => f.startsWith('index'))!
      expect(readFileSync(join(assets, entry), 'utf8')).toContain('__vite__mapDeps')
      expect(hinted).toEqual([entry])
      expect(files.filter(f => /^(later|later2|common)-/.test(f))).toHaveLength(3)
      for (const f of files) expect([-1, 0]).toContain(readFileSync(join(assets, f), 'utf8').indexOf(COMPILE_HINT))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
