/** A seeded PRNG (mulberry32): the same seed gives the same demo data and the same benchmark database. */
export interface Rng {
  (): number
  int(n: number): number
  pick<T>(items: readonly T[]): T
  /** An index into `cumulative` (a running sum of weights) chosen in proportion to the weights. */
  weighted(cumulative: Float64Array): number
  poisson(lambda: number): number
  hex(bytes: number): string
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }) as Rng
  next.int = n => Math.floor(next() * n)
  next.pick = items => items[next.int(items.length)]!
  next.weighted = cumulative => {
    const target = next() * cumulative[cumulative.length - 1]!
    let lo = 0, hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! > target) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  next.poisson = lambda => {
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(next)))
    const limit = Math.exp(-lambda)
    let k = 0, p = next()
    while (p > limit) { k++; p *= next() }
    return k
  }
  next.hex = bytes => {
    let s = ''
    for (let i = 0; i < bytes; i++) s += next.int(256).toString(16).padStart(2, '0')
    return s
  }
  return next
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
}

export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length)
  let sum = 0
  weights.forEach((w, i) => { sum += w; out[i] = sum })
  return out
}
