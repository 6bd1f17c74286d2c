import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SCHEMA_VERSION, type OpResult, type PullResponse } from '@lagesbild/domain'
import { afterAll, describe, expect, it } from 'vitest'
import { seedUsers, startServerProcess, type ServerProcess } from '../../test/process.ts'
import { createOp, newDraft } from '../../test/sync-ops.ts'

const folders: string[] = []
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'lagesbild-drill-')); folders.push(d); return d }
afterAll(() => { for (const d of folders) rmSync(d, { recursive: true, force: true }) })

/** `npm run admin -- …` in a child process, as an operator (or a systemd timer) runs it. */
function admin(dataDir: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/cli/admin.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', d => { out += String(d) })
    child.stderr.on('data', d => { out += String(d) })
    child.on('error', reject)
    child.on('close', code => resolve({ code, out }))
  })
}

async function pulledIds(server: ServerProcess, cookie: string): Promise<Set<string>> {
  const ids = new Set<string>()
  for (let cursor = 0; ;) {
    const res = await fetch(`${server.url}/api/sync/pull?cursor=${cursor}&limit=5000`, { headers: { cookie } })
    expect(res.status).toBe(200)
    const page = (await res.json()) as PullResponse
    for (const r of page.changes) ids.add(r.id)
    if (!page.hasMore) return ids
    cursor = page.nextCursor
  }
}

const USERS = ['vakt1', 'vakt2', 'vakt3']

describe('backup and restore drill', () => {
  it('backs up while reports arrive; the restored server has exactly the backup and everything acknowledged before it began', async () => {
    const live = tempDir()
    await seedUsers(live, USERS.map(username => ({ username, roles: ['reporter'] })))
    const server = await startServerProcess(live)
    const cookies = await Promise.all(USERS.map(u => server.signIn(u)))

    const acked: string[] = []
    let stop = false
    const worker = async (cookie: string) => {
      while (!stop) {
        const ops = Array.from({ length: 10 }, () => createOp(newDraft()))
        const res = await fetch(`${server.url}/api/sync/push`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json', cookie }, body: JSON.stringify({ schemaVersion: SCHEMA_VERSION, ops }) })
        expect(res.status).toBe(200)
        const { results } = (await res.json()) as { results: OpResult[] }
        results.forEach((r, i) => { expect(r.status).toBe('applied'); acked.push(ops[i]!.reportId) })
      }
    }
    const workers = cookies.map(worker)
    while (acked.length < 60) await new Promise(r => setTimeout(r, 20))

    const file = join(tempDir(), 'lagesbild-backup.db')
    const before = [...acked]
    const backup = await admin(live, ['backup', '--to', file])
    const duringBackup = acked.length - before.length
    stop = true
    await Promise.all(workers)
    expect(backup.out).toContain(`to ${file}`)
    expect(backup.code).toBe(0)
    // The phones kept pushing while the backup ran, and kept being answered.
    expect(duringBackup).toBeGreaterThan(0)

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)

    // The backup's own moment: what it holds, checked as the README says.
    const copy = new Database(file, { readonly: true })
    const inBackup = new Set(copy.prepare('SELECT id FROM reports').pluck().all() as string[])
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    copy.close()
    const check = await admin(live, ['backup', '--check', file])
    expect(check.code).toBe(0)
    expect(check.out).toMatch(/intact/)
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(live, 'not-a-backup.db'), 'this is not a database')
    expect((await admin(live, ['backup', '--check', join(live, 'not-a-backup.db')])).code).toBe(1)

    const fresh = tempDir()
    const restored = await admin(fresh, ['restore', '--from', file])
    expect(restored.code).toBe(0)
    const again = await startServerProcess(fresh)
    try {
      const ready = await fetch(`${again.url}/api/health/ready`)
      expect(ready.status).toBe(200)
      const seen = new Set<string>()
      for (const u of USERS) for (const id of await pulledIds(again, await again.signIn(u))) seen.add(id)
      expect(seen.size).toBe(inBackup.size)
      expect([...seen].sort()).toEqual([...inBackup].sort())
      for (const id of before) expect(seen.has(id), id).toBe(true)
      expect(seen.size).toBeLessThanOrEqual(acked.length)
    } finally {
      again.child.kill('SIGTERM')
      await again.exited
    }
  }, 180_000)
})
