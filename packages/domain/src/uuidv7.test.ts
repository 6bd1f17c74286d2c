import { describe, expect, it } from 'vitest'
import { uuidv7 } from './uuidv7.ts'
import { Uuid } from './schemas/common.ts'

describe('uuidv7', () => {
  it('is a valid version-7 UUID carrying its timestamp', () => {
    const id = uuidv7(Date.UTC(2026, 10, 25, 12))
    expect(Uuid.safeParse(id).success).toBe(true)
    expect(id[14]).toBe('7')
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 25, 12))
  })
  it('sorts by creation time and never repeats', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(1000)
  })
})
