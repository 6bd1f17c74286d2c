import { describe, expect, it } from 'vitest'
import { createPace } from './pace'

describe('pace', () => {
  it('shrinks a push 50 → 25 → 10 → 5 → 1 after timeouts, and pull pages with it', () => {
    const pace = createPace()
    const seen = [pace.push]
    for (let i = 0; i < 5; i++) { pace.timedOut(); seen.push(pace.push) }
    expect(seen).toEqual([50, 25, 10, 5, 1, 1])
    expect(pace.pull).toBe(50)
    expect(pace.reduced).toBe(true)
  })

  it('grows back one step per two answered requests in a row, up to the full size', () => {
    const pace = createPace()
    for (let i = 0; i < 4; i++) pace.timedOut()
    const seen: number[] = []
    for (let i = 0; i < 10; i++) { pace.answered(); seen.push(pace.push) }
    expect(seen).toEqual([1, 5, 5, 10, 10, 25, 25, 50, 50, 50])
    expect(pace.reduced).toBe(false)
  })

  it('starts counting again after a timeout', () => {
    const pace = createPace()
    pace.timedOut()
    pace.answered()
    pace.timedOut()
    pace.answered()
    expect(pace.push).toBe(10)
    pace.answered()
    expect(pace.push).toBe(25)
  })
})
