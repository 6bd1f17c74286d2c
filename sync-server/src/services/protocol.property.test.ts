import fc from 'fast-check'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AMENDABLE_FIELDS, DEFAULT_CATEGORIES, SyncOp, type AmendableField, type OpResult, type PullResponse, type ReportDraft, type ReportStatus } from '@lagesbild/domain'
import { createSession } from '../auth/session-store.ts'
import { ProtocolModel, canon, fieldsOf, said, type Fields } from '../../test/protocol-model.ts'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { review } from '../../test/sync-ops.ts'
import { getReportRow, toReport } from './reports.ts'

/*
 * The sync protocol under lost requests, lost replies, repeats, reordering and two or three phones of one
 * user: simulated phones run the PWA's own store and sync engine (pwa/src/sync/test-device.ts on
 * fake-indexeddb) against the real app on a real SQLite file. Every push the server sees is replayed on
 * an in-memory model of the protocol (test/protocol-model.ts) and must get the same answers; at the end
 * every report is on the server exactly once at the model's version, every phone agrees with the server,
 * and no one's last edit of a field is lost without a trace.
 *
 * One server serves all runs, each run with a reporter of its own (a server per run costs more than a whole run:
 * migrations and the first admin's password hash). PROTOCOL_RUNS and PROTOCOL_SEED change the runs;
 * PROTOCOL_DEVICE points at another build of the device side, to try an engine change against this test.
 */

// The device side seen through the calls this test makes. It is typed by the PWA's tsconfig (DOM lib), so it is
// loaded by path below and checked against these shapes by use.
type Editable = Omit<ReportDraft, 'id' | 'createdAt'>
interface DeviceReport extends ReportDraft { status: string; version: number; pendingAmendment: boolean }
interface DeviceOp { opId: string; kind: string; reportId: string; state: 'pending' | 'rejected'; afterOp?: string; report?: ReportDraft }
interface Transport { push(body: { schemaVersion: number; ops: SyncOp[] }): Promise<{ results: OpResult[] }>; pull(cursor: number, limit: number): Promise<PullResponse> }
interface Device {
  create(ownerId: number, fields: Editable): Promise<DeviceReport>
  amend(ownerId: number, id: string, fields: Editable): Promise<void>
  withdraw(ownerId: number, id: string): Promise<void>
  sync(ownerId: number, transport: Transport): Promise<{ ok: boolean; pushed: number; rejected?: number; pulled?: number; message?: string }>
  view(ownerId: number): Promise<{ reports: DeviceReport[]; outbox: DeviceOp[] }>
}

const DEVICE_MODULE = process.env.PROTOCOL_DEVICE ?? fileURLToPath(new URL('../../../pwa/src/sync/test-device.ts', import.meta.url))
const MAX_DEVICES = 3
const RUNS = Number(process.env.PROTOCOL_RUNS ?? 2000)
const SEED = Number(process.env.PROTOCOL_SEED ?? 20261125)
/** Pages this small make every first pull page through the cursor. */
const PAGE = 2

async function loadDevice(): Promise<Device> {
  vi.resetModules() // a module registry of its own, so this phone's database() singleton is its own IndexedDB
  const mod = (await import(/* @vite-ignore */ DEVICE_MODULE)) as { createTestDevice(idb: { indexedDB: unknown; IDBKeyRange: unknown }): Device }
  return mod.createTestDevice({ indexedDB: new IDBFactory(), IDBKeyRange })
}

// ---- what a run is made of ----

const PUSH_FAULTS = ['ok', 'ok', 'lostRequest', 'lostReply', 'serverError', 'delayed', 'duplicated'] as const
const PULL_FAULTS = ['ok', 'ok', 'lostRequest', 'lostReply'] as const
type PushFault = (typeof PUSH_FAULTS)[number]
type PullFault = (typeof PULL_FAULTS)[number]
const EDITED = ['description', 'category', 'peopleInvolved', 'location', 'placeId'] as const satisfies readonly AmendableField[]
const CATEGORIES = DEFAULT_CATEGORIES.map(c => c.code)
const PLACES = [1, 2, 3, 4, 5, 6, 7, 8]

type Step =
  | { t: 'create'; d: number }
  | { t: 'amend'; d: number; r: number; field: (typeof EDITED)[number] }
  | { t: 'withdraw'; d: number; r: number }
  | { t: 'sync'; d: number; push: PushFault[]; pull: PullFault }
  | { t: 'deliver'; k: number }
  | { t: 'review'; r: number; status: ReportStatus | null; field: (typeof EDITED)[number] | null }
  | { t: 'clockBack'; seconds: number }

const device = fc.nat(MAX_DEVICES - 1)
// Descriptions are what people edit most, and shared fields are where conflicts happen.
const field = fc.oneof({ weight: 3, arbitrary: fc.constant('description' as const) }, { weight: 2, arbitrary: fc.constantFrom(...EDITED) })
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('create' as const), d: device }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('amend' as const), d: device, r: fc.nat(9), field }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('withdraw' as const), d: device, r: fc.nat(9) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('sync' as const), d: device, push: fc.array(fc.constantFrom(...PUSH_FAULTS), { maxLength: 3 }), pull: fc.constantFrom(...PULL_FAULTS) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('deliver' as const), k: fc.nat(9) }) },
  // Phones' clocks get corrected, backwards too; nothing may depend on them running forward.
  { weight: 1, arbitrary: fc.record({ t: fc.constant('clockBack' as const), seconds: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 3, arbitrary: fc.record({
    t: fc.constant('review' as const), r: fc.nat(9),
    status: fc.constantFrom<ReportStatus | null>(null, 'approved', 'rejected', 'needs_info'), field: fc.option(field, { freq: 4 }),
  }) },
)
const planArb = fc.record({ devices: fc.integer({ min: 1, max: MAX_DEVICES }), steps: fc.array(stepArb, { minLength: 4, maxLength: 16, size: 'max' }) })

// ---- the world a run happens in ----

class NetworkFault extends Error {
  constructor(readonly status: number, message: string) { super(message) }
}

let s: TestServer
let devices: Device[] = []
let reviewerId = 0
let organisationId = 0
let users = 0
// The phones' clock: a second per step (and now and then set back), starting two days back so that thousands of
// runs never reach the server's own (real) clock, against which an event in the future is refused.
let clock = Date.now() - 2 * 86_400_000
const tally = new Map<string, number>()
const count = (what: string, n = 1) => tally.set(what, (tally.get(what) ?? 0) + n)

/** A reporter of their own for each run, signed in without the cost of a password hash. */
function freshReporter(): { userId: number; cookie: string } {
  const username = `vakt-${++users}`
  const userId = Number(s.db.prepare(`INSERT INTO users (username, organisation_id, password_hash, created_at) VALUES (?, ?, 'unused', ?)`)
    .run(username, organisationId, clock).lastInsertRowid)
  s.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'reporter')`).run(userId)
  return { userId, cookie: `lb_session=${createSession(s.db, userId, ['reporter'], clock)}` }
}

interface Edit { at: number; reportId: string; field: AmendableField; value: string }

async function runPlan(plan: { devices: number; steps: Step[] }): Promise<void> {
  const { userId, cookie } = freshReporter()
  const phones = devices.slice(0, plan.devices)
  const model = new ProtocolModel()
  const held: Array<() => Promise<unknown>> = []
  const created = new Set<string>()
  const edits: Edit[] = []
  let unique = 0

  async function deliverPush(body: { schemaVersion: number; ops: SyncOp[] }): Promise<{ results: OpResult[] }> {
    const res = await s.request('POST', '/api/sync/push', { cookie, body })
    expect(res.status, 'push answered').toBe(200)
    const { results } = await jsonOf<{ results: OpResult[] }>(res)
    const ops = JSON.parse(JSON.stringify(body.ops)) as SyncOp[]
    const malformed = ops.filter(op => !SyncOp.safeParse(op).success)
    if (malformed.length) expect(malformed, 'the phone sent malformed ops').toEqual([])
    const expected = model.push(userId, ops)
    if (canon(results.map(said)) !== canon(expected)) expect(results.map(said), `answers to ${JSON.stringify(ops)}`).toEqual(expected)
    for (const r of results) count(`result ${r.status}${r.reason ? ` (${said(r).note})` : ''}`)
    return { results }
  }

  function transport(pushFaults: readonly PushFault[], pullFault: PullFault): Transport {
    const faults = [...pushFaults]
    let pulls = 0
    return {
      async push(body) {
        const fault = faults.shift() ?? 'ok'
        count(`push ${fault}`)
        switch (fault) {
          case 'ok': return deliverPush(body)
          case 'lostRequest': throw new NetworkFault(0, 'the request never arrived')
          case 'serverError': throw new NetworkFault(503, 'a proxy answered 503')
          case 'lostReply': await deliverPush(body); throw new NetworkFault(0, 'the reply never arrived')
          case 'delayed': held.push(() => deliverPush(body)); throw new NetworkFault(0, 'timed out; the request is still on its way')
          case 'duplicated': await deliverPush(body); return deliverPush(body)
        }
      },
      async pull(cursor) {
        const fault = pulls++ === 0 ? pullFault : 'ok'
        if (fault === 'lostRequest') throw new NetworkFault(0, 'the request never arrived')
        const res = await s.request('GET', `/api/sync/pull?cursor=${cursor}&limit=${PAGE}`, { cookie })
        expect(res.status, 'pull answered').toBe(200)
        if (fault === 'lostReply') throw new NetworkFault(0, 'the reply never arrived')
        return jsonOf<PullResponse>(res)
      },
    }
  }

  // Every value a field takes on a report is new to it, so an edit and its undoing are never mistaken for each other.
  const used = new Map<string, Set<string>>()
  const fresh = (id: string, field: AmendableField, value: unknown) => !used.get(`${id} ${field}`)?.has(canon(value))
  const rotate = <T>(list: T[], n: number) => [...list.slice(n % list.length), ...list.slice(0, n % list.length)]

  function newValue(id: string, field: (typeof EDITED)[number]): Partial<Editable> | null {
    const n = ++unique
    switch (field) {
      case 'description': return { description: `ändring ${userId}-${n}` }
      case 'peopleInvolved': return { peopleInvolved: n }
      case 'location': return { location: { lat: 56 + n / 10_000, lon: 12.7, accuracyM: n, source: 'map' } }
      case 'category': {
        const code = rotate(CATEGORIES, n).find(c => fresh(id, 'category', c))
        return code ? { category: code } : null
      }
      case 'placeId': {
        if (fresh(id, 'placeId', null)) return { placeId: undefined }
        const place = rotate(PLACES, n).find(p => fresh(id, 'placeId', p))
        return place ? { placeId: place } : null
      }
    }
  }

  function record(at: number, reportId: string, changes: Fields) {
    for (const [field, value] of Object.entries(changes)) {
      edits.push({ at, reportId, field: field as AmendableField, value: canon(value) })
      const key = `${reportId} ${field}`
      used.set(key, (used.get(key) ?? new Set()).add(canon(value)))
    }
  }

  const editable = (r: DeviceReport): Editable => fieldsOf(r) as Editable
  const known = async (d: Device) => (await d.view(userId)).reports.filter(r => r.status !== 'withdrawn').sort((a, b) => (a.id < b.id ? -1 : 1))

  for (const [at, step] of plan.steps.entries()) {
    clock += 1000
    vi.setSystemTime(clock)
    switch (step.t) {
      case 'create': {
        const phone = phones[step.d % phones.length]!
        const fields: Editable = {
          category: CATEGORIES[at % CATEGORIES.length]!, occurredAt: new Date(clock - 600_000).toISOString(), location: { lat: 56.05, lon: 12.69, accuracyM: 10, source: 'gps' },
          description: `rapport ${userId}-${at}`, policeNotified: at % 2 === 0, ...(at % 2 === 0 ? { placeId: PLACES[at % PLACES.length]! } : {}),
        }
        const report = await phone.create(userId, fields)
        created.add(report.id)
        record(at, report.id, Object.fromEntries(AMENDABLE_FIELDS.map(f => [f, fields[f] ?? null])))
        break
      }
      case 'amend': {
        const phone = phones[step.d % phones.length]!
        const mine = await known(phone)
        const target = mine[step.r % Math.max(1, mine.length)]
        if (!target) break
        const change = newValue(target.id, step.field)
        if (!change) break
        await phone.amend(userId, target.id, { ...editable(target), ...change })
        record(at, target.id, { [step.field]: change[step.field] ?? null })
        break
      }
      case 'withdraw': {
        const phone = phones[step.d % phones.length]!
        const mine = await known(phone)
        const target = mine[step.r % Math.max(1, mine.length)]
        if (!target) break
        await phone.withdraw(userId, target.id)
        // Withdrawing a report the server never saw deletes it from the phone: it must never arrive.
        if (!(await phone.view(userId)).reports.some(r => r.id === target.id)) created.delete(target.id)
        break
      }
      case 'sync':
        await phones[step.d % phones.length]!.sync(userId, transport(step.push, step.pull))
        break
      case 'clockBack':
        clock -= step.seconds * 1000
        vi.setSystemTime(clock)
        count('clock set back')
        break
      case 'deliver': {
        const late = held.splice(step.k % Math.max(1, held.length), 1)[0]
        if (late) { count('delayed request delivered late'); await late() }
        break
      }
      case 'review': {
        const open = [...model.reports.entries()].filter(([, r]) => r.status === 'submitted' || r.status === 'needs_info').sort(([a], [b]) => (a < b ? -1 : 1))
        const picked = open[step.r % Math.max(1, open.length)]
        if (!picked) break
        const [id] = picked
        const fields = step.field ? newValue(id, step.field) ?? undefined : undefined
        if (!step.status && !fields) break
        review(s.db, id, reviewerId, { ...(step.status ? { status: step.status, note: 'granskad' } : {}), ...(fields ? { fields } : {}) }, clock)
        model.review(id, { ...(step.status ? { status: step.status } : {}), ...(fields ? { fields: { [step.field!]: fields[step.field!] } } : {}) })
        if (fields) record(at, id, { [step.field!]: fields[step.field!] ?? null })
        count(`review ${step.status ?? 'edit'}`)
        break
      }
    }
  }

  // Coverage returns: late requests land, then every phone syncs until a whole round moves nothing either way.
  for (const late of held.splice(0)) await late()
  // A round that pushes nothing, after which no phone holds an op it could still send, leaves every phone
  // having pulled the final state.
  const sendable = (outbox: DeviceOp[]) => {
    const refused = new Set(outbox.filter(o => o.state === 'rejected').map(o => o.reportId))
    return outbox.filter(o => o.state === 'pending' && !refused.has(o.reportId))
  }
  let quiet = false
  for (let round = 0; round < 40 && !quiet; round++) {
    quiet = true
    for (const phone of phones) {
      const outcome = await phone.sync(userId, transport([], 'ok'))
      expect(outcome.ok, `final sync: ${outcome.message}`).toBe(true)
      if (outcome.pushed || outcome.rejected) quiet = false
    }
    for (const phone of phones) if (quiet && sendable((await phone.view(userId)).outbox).length) quiet = false
  }
  expect(quiet, 'the phones settle').toBe(true)

  // Each report on the server exactly once, at the model's version, status and fields.
  const ids = s.db.prepare('SELECT id FROM reports WHERE reporter_id = ? ORDER BY id').pluck().all(userId) as string[]
  expect(ids).toEqual([...created].sort())
  expect([...model.reports.keys()].sort()).toEqual(ids)
  const server = new Map(ids.map(id => [id, toReport(getReportRow(s.db, id)!)]))
  for (const [id, report] of server) {
    const m = model.reports.get(id)!
    expect({ id, version: report.version, status: report.status, fields: canon(fieldsOf(report)) })
      .toEqual({ id, version: m.versions.length, status: m.status, fields: canon(m.versions.at(-1)) })
  }

  // Every phone agrees with the server, except where it keeps an op the server refused (shown to the user).
  const kept: Array<{ reportId: string; report?: ReportDraft }> = []
  for (const [n, phone] of phones.entries()) {
    const { reports, outbox } = await phone.view(userId)
    const refused = new Set(outbox.filter(o => o.state === 'rejected').map(o => o.reportId))
    expect(sendable(outbox), `phone ${n} still holds ops it could send`).toEqual([])
    kept.push(...outbox)
    expect(reports.map(r => r.id).sort(), `phone ${n} has every report`).toEqual(ids)
    for (const local of reports) {
      const truth = server.get(local.id)!
      const view = (r: { version: number; status: string; pendingAmendment: boolean }) => ({ version: r.version, status: r.status, pending: r.pendingAmendment })
      expect({ id: local.id, phone: n, ...view(local) }).toEqual({ id: local.id, phone: n, ...view(truth) })
      if (!refused.has(local.id)) expect(canon(fieldsOf(local)), `phone ${n} fields of ${local.id}`).toBe(canon(fieldsOf(truth)))
    }
  }

  // Nothing lost silently: the last edit of each field is on the server, recorded as overruled, waiting
  // for a reviewer, or kept on a phone with the server's reason.
  for (const id of ids) {
    const m = model.reports.get(id)!
    for (const field of AMENDABLE_FIELDS) {
      const last = edits.filter(e => e.reportId === id && e.field === field).at(-1)
      if (!last) continue
      const traces = [
        canon(fieldsOf(server.get(id)!)[field]) === last.value && 'server',
        m.overruled.some(o => o.field === field && o.value === last.value) && 'overruled',
        m.pending.some(p => p.field === field && p.value === last.value) && 'pending',
        kept.some(k => k.reportId === id && k.report && canon(fieldsOf(k.report)[field]) === last.value) && 'kept',
      ].filter(Boolean)
      expect(traces, `the last edit of ${field} on ${id} (step ${last.at}: ${last.value})`).not.toEqual([])
    }
  }
  count('reports', ids.length)
  count('runs')
}

describe('the sync protocol', () => {
  beforeAll(async () => {
    s = await testServer()
    // Durability is not what this test is about: without an fsync per commit thousands of runs fit in seconds.
    s.db.pragma('synchronous = NORMAL')
    organisationId = Number(s.db.prepare(`INSERT INTO organisations (name, kind, created_at) VALUES ('Vaktbolaget', 'security', 0)`).run().lastInsertRowid)
    reviewerId = Number(s.db.prepare(`INSERT INTO users (username, organisation_id, password_hash, created_at) VALUES ('granskare', ?, 'unused', 0)`).run(organisationId).lastInsertRowid)
    s.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'reviewer')`).run(reviewerId)
    for (let i = 0; i < MAX_DEVICES; i++) devices.push(await loadDevice())
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterAll(() => {
    vi.useRealTimers()
    devices = []
    s.close()
  })

  it(`ends with every report on the server exactly once, at the right version, and every phone agreeing (${RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(planArb, runPlan), { seed: SEED, numRuns: RUNS })
    console.log(Object.fromEntries([...tally].sort()))
    // The runs must have met what they are about, or passing proves little.
    for (const what of ['push lostReply', 'push lostRequest', 'push delayed', 'push duplicated', 'push serverError', 'delayed request delivered late', 'clock set back',
      'result duplicate', 'result conflict (other)', 'result rejected (other)', 'result applied (overruled)', 'result applied (pending)']) {
      expect(tally.get(what) ?? 0, what).toBeGreaterThanOrEqual(RUNS / 200)
    }
  }, 600_000)
})
