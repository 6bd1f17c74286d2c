import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SCHEMA_VERSION, type OpResult, type ReportDraft } from '@lagesbild/domain'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { freePort, seedUsers, startServerProcess } from '../test/process.ts'
import { createOp, newDraft } from '../test/sync-ops.ts'

const folders: string[] = []
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'lagesbild-life-')); folders.push(d); return d }
afterAll(() => { for (const d of folders) rmSync(d, { recursive: true, force: true }) })

describe('start-up', () => {
  it('refuses a non-localhost PUBLIC_ORIGIN over plain http and says why', async () => {
    const { spawnSync } = await import('node:child_process')
    const r = spawnSync(process.execPath, inject('serverArgs'), {
      env: { ...process.env, PORT: String(await freePort()), DATA_DIR: tempDir(), STATIC_DIR: '', PUBLIC_ORIGIN: 'http://lagesbild.example.se' }, encoding: 'utf8',
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('Lägesbild cannot start: PUBLIC_ORIGIN must use https://')
    expect(r.stderr).not.toMatch(/\bat .*\.[jt]s:\d+/)
  })
})

describe('SIGTERM', () => {
  it('finishes the requests in flight, keeps every acknowledged op whole, checkpoints and exits 0', async () => {
    const dataDir = tempDir()
    await seedUsers(dataDir, [1, 2, 3, 4].map(i => ({ username: `vakt${i}`, roles: ['reporter'] })))
    const server = await startServerProcess(dataDir, { LOG_LEVEL: 'debug' })
    const cookies = await Promise.all([1, 2, 3, 4].map(i => server.signIn(`vakt${i}`)))

    const acked = new Map<string, ReportDraft>()
    let stop = false
    // Four phones pushing batches until the server stops answering.
    const worker = async (cookie: string) => {
      while (!stop) {
        const drafts = Array.from({ length: 20 }, () => newDraft({ description: `rapport ${Math.random()}`, peopleInvolved: 2, policeNotified: true }))
        const ops = drafts.map(createOp)
        let results: OpResult[]
        try {
          const res = await fetch(`${server.url}/api/sync/push`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json', cookie }, body: JSON.stringify({ schemaVersion: SCHEMA_VERSION, ops }) })
          if (res.status !== 200) return
          results = ((await res.json()) as { results: OpResult[] }).results
        } catch {
          return // connection refused or closed: the server is going away
        }
        results.forEach((r, i) => { if (r.status === 'applied') acked.set(ops[i]!.reportId, drafts[i]!) })
      }
    }
    const workers = cookies.map(worker)

    // One more push is held half-sent: its headers are in (the server logged it), its body not yet.
    const cookie = cookies[0]!
    const held = newDraft({ description: 'sent across the SIGTERM', peopleInvolved: 2, policeNotified: true })
    const body = JSON.stringify({ schemaVersion: SCHEMA_VERSION, ops: [createOp(held)] })
    const port = Number(new URL(server.url).port)
    const heldAnswer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/sync/push', headers: { origin: server.url, 'content-type': 'application/json', cookie, 'content-length': Buffer.byteLength(body), 'x-request-id': 'held-push' } }, res => {
        let text = ''
        res.on('data', d => { text += String(d) })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      req.write(body.slice(0, 10))
      void server.waitFor(/"reqId":"held-push"[^\n]*"request received"/).then(() => {
        // Let the other phones get some pushes through first, then stop the server mid-stream.
        const started = acked.size
        const kick = setInterval(() => {
          if (acked.size >= started + 40) {
            clearInterval(kick)
            server.child.kill('SIGTERM')
            void server.waitFor(/"stopping: no new connections/).then(() => req.end(body.slice(10)))
          }
        }, 20)
      })
    })

    const answer = await heldAnswer
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.text).results[0].status).toBe('applied')
    acked.set(held.id, held)
    expect(await server.exited).toBe(0)
    stop = true
    await Promise.all(workers)
    expect(server.output()).toContain('database checkpointed and closed')
    expect(acked.size).toBeGreaterThan(40)

    const file = join(dataDir, 'lagesbild.db')
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true)
    const db = new Database(file, { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      // Nothing half-written: no op left pending, every applied op has its report.
      expect(db.prepare(`SELECT count(*) FROM sync_ops WHERE status NOT IN ('applied', 'duplicate', 'conflict', 'rejected')`).pluck().get()).toBe(0)
      expect(db.prepare(`SELECT count(*) FROM sync_ops o LEFT JOIN reports r ON r.id = o.report_id WHERE o.status = 'applied' AND r.id IS NULL`).pluck().get()).toBe(0)
      const row = db.prepare('SELECT category, occurred_at, description, people_involved, police_notified, status, version FROM reports WHERE id = ?')
      for (const [id, draft] of acked) {
        const r = row.get(id) as { category: string; occurred_at: number; description: string; people_involved: number; police_notified: number; status: string; version: number } | undefined
        expect(r, id).toBeDefined()
        expect(r).toMatchObject({ category: draft.category, description: draft.description, people_involved: 2, status: 'submitted', version: 1 })
      }
    } finally {
      db.close()
    }
  }, 120_000)
})
