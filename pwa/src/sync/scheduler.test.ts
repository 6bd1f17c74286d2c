import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createScheduler } from './scheduler'
import type { SyncOutcome } from './engine'

const ok: SyncOutcome = { ok: true, pushed: 0, rejected: 0, pulled: 0 }
const offline: SyncOutcome = { ok: false, failure: 'network', message: 'offline', pushed: 0 }
const expired: SyncOutcome = { ok: false, failure: 'unauthenticated', message: '401', pushed: 0 }

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('sync scheduler', () => {
  it('coalesces requests made during a run into one more run', async () => {
    let release!: () => void
    const run = vi.fn(() => new Promise<SyncOutcome>(r => { release = () => r(ok) }))
    const s = createScheduler({ run, onOutcome: () => {} })
    void s.request()
    void s.request(); void s.request()
    release()
    await vi.advanceTimersByTimeAsync(0)
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(2)
    s.stop()
  })

  it('backs off exponentially while offline and syncs on the interval when healthy', async () => {
    const outcomes = [offline, offline, offline, ok]
    const run = vi.fn(async () => outcomes.shift() ?? ok)
    const s = createScheduler({ run, onOutcome: () => {}, retryMs: 1000, intervalMs: 60_000, random: () => 1 })
    await s.request()
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1) // retries after 1 s, 2 s, 4 s
    expect(run).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(run).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(3999)
    expect(run).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(1)
    expect(run).toHaveBeenCalledTimes(4)
    await vi.advanceTimersByTimeAsync(59_000)
    expect(run).toHaveBeenCalledTimes(4)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(run).toHaveBeenCalledTimes(5)
    s.stop()
  })

  it('stops on an expired session until resumed', async () => {
    const run = vi.fn(async (): Promise<SyncOutcome> => expired)
    const s = createScheduler({ run, onOutcome: () => {} })
    await s.request()
    await vi.advanceTimersByTimeAsync(3_600_000)
    await s.request()
    expect(run).toHaveBeenCalledTimes(1)
    run.mockResolvedValue(ok)
    s.resume()
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(2)
    s.stop()
  })
})
