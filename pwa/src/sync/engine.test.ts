import { describe, expect, it } from 'vitest'
import type { OutboxEntry } from '@/db/types'
import { nextBatch } from './engine'

const op = (opId: string, reportId: string, createdAt: number, extra: Partial<OutboxEntry> = {}): OutboxEntry =>
  ({ opId, ownerId: 1, kind: 'create', reportId, createdAt, state: 'pending', attempts: 0, ...extra })

describe('nextBatch', () => {
  it('sends ops in the order they were made, at most one per report', () => {
    const batch = nextBatch([op('c', 'r2', 3), op('a', 'r1', 1), op('b', 'r1', 2, { kind: 'amend', afterOp: 'a' })])
    expect(batch.map(o => o.opId)).toEqual(['a', 'c'])
  })
  it('holds an op whose predecessor is still queued, even a rejected one', () => {
    const batch = nextBatch([op('a', 'r1', 1, { state: 'rejected' }), op('b', 'r1', 2, { kind: 'amend', afterOp: 'a' }), op('c', 'r2', 3)])
    expect(batch.map(o => o.opId)).toEqual(['c'])
  })
  it('sends an op whose predecessor has settled', () => {
    expect(nextBatch([op('b', 'r1', 2, { kind: 'amend', afterOp: 'gone', baseVersion: 1 })]).map(o => o.opId)).toEqual(['b'])
  })
  it('caps the batch size', () => {
    const many = Array.from({ length: 120 }, (_, i) => op(`o${i}`, `r${i}`, i))
    expect(nextBatch(many, 50)).toHaveLength(50)
    expect(nextBatch(many, 50)[0]!.opId).toBe('o0')
  })
})
