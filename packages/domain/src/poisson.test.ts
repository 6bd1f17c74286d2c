import { describe, expect, it } from 'vitest'
import { binomialTestTwoSided, binomialUpperTail, gammaP, gammaQuantile, logGamma, poissonInterval } from './poisson.ts'

describe('the gamma function and its quantiles', () => {
  it('matches known values of ln Γ', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12)
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12)
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9)
  })

  it('matches known values of the regularised incomplete gamma', () => {
    // P(1, x) = 1 − e^−x; P(k, x) = 1 − Σ_{i<k} e^−x x^i / i! for whole k (the Poisson tail).
    expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14)
    const poissonTail = (k: number, x: number) => 1 - Array.from({ length: k }, (_, i) => Math.exp(-x) * x ** i / [1, 1, 2, 6, 24, 120][i]!).reduce((s, v) => s + v, 0)
    for (const [k, x] of [[3, 0.5], [3, 2.5], [5, 4], [5, 12], [6, 30]] as const) expect(gammaP(k, x)).toBeCloseTo(poissonTail(k, x), 13)
  })

  it('inverts the distribution function: P(a, Q(p, a)) = p over a wide range', () => {
    for (const a of [0.3, 1, 2.5, 10, 101, 1000]) {
      for (const p of [1e-6, 0.025, 0.3, 0.5, 0.975, 1 - 1e-6]) expect(gammaP(a, gammaQuantile(p, a))).toBeCloseTo(p, 10)
    }
  })

  it('matches published chi-square quantiles (χ²(p; ν) = 2 · gamma quantile of shape ν/2)', () => {
    // From the standard chi-square tables.
    expect(2 * gammaQuantile(0.95, 0.5)).toBeCloseTo(3.841459, 5)
    expect(2 * gammaQuantile(0.975, 1)).toBeCloseTo(7.377759, 5)
    expect(2 * gammaQuantile(0.025, 5)).toBeCloseTo(3.246973, 5)
    expect(2 * gammaQuantile(0.99, 15)).toBeCloseTo(50.892181, 4)
  })
})

describe('the exact Poisson interval (Garwood, 95 %)', () => {
  it('matches the published table', () => {
    const table: Array<[number, number, number]> = [
      // scipy.stats.chi2.ppf(0.025, 2k) / 2 and chi2.ppf(0.975, 2k + 2) / 2
      [0, 0, 3.688879], [1, 0.025318, 5.571643], [2, 0.242209, 7.224688], [5, 1.623486, 11.668332],
      [10, 4.795389, 18.390356], [20, 12.216520, 30.888378], [100, 81.363991, 121.626794],
    ]
    for (const [k, lo, hi] of table) {
      const [l, h] = poissonInterval(k)
      expect(l).toBeCloseTo(lo, 5)
      expect(h).toBeCloseTo(hi, 5)
    }
  })

  it('covers a count it is computed from and widens with confidence', () => {
    for (const k of [0, 1, 3, 8, 40]) {
      const [lo, hi] = poissonInterval(k)
      expect(lo).toBeLessThanOrEqual(k)
      expect(hi).toBeGreaterThan(k)
      const [lo99, hi99] = poissonInterval(k, 0.99)
      expect(lo99).toBeLessThanOrEqual(lo)
      expect(hi99).toBeGreaterThan(hi)
    }
  })

  it('refuses what is not a count', () => {
    expect(() => poissonInterval(-1)).toThrow(RangeError)
    expect(() => poissonInterval(1.5)).toThrow(RangeError)
  })
})

describe('the exact binomial tests', () => {
  it('matches hand-computed values', () => {
    // 0 of 10 at p = 0.5: both tails, 2 / 1024.
    expect(binomialTestTwoSided(0, 10, 0.5)).toBeCloseTo(2 / 1024, 12)
    // 5 of 10 at p = 0.5: every outcome is at most as likely, p = 1.
    expect(binomialTestTwoSided(5, 10, 0.5)).toBeCloseTo(1, 12)
    // R: binom.test(7, 20, 0.1)$p.value = 0.002386
    expect(binomialTestTwoSided(7, 20, 0.1)).toBeCloseTo(0.002386, 5)
    // P(X ≥ 3) for binomial(4, 0.5) = 5/16.
    expect(binomialUpperTail(3, 4, 0.5)).toBeCloseTo(5 / 16, 12)
    expect(binomialTestTwoSided(0, 0, 0.3)).toBe(1)
  })
})
