// Exact intervals and tests for counts of incidents, which are small: a hot-spot sees a handful a week, so a
// normal approximation would claim far more than the numbers can show.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let sum = LANCZOS[0]!
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** The regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a): the gamma(a, 1) distribution function. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0
  const front = Math.exp(a * Math.log(x) - x - logGamma(a))
  if (x < a + 1) {
    // Series: converges quickly below the mode.
    let term = 1 / a, sum = term
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break
    }
    return Math.min(1, front * sum)
  }
  // Continued fraction for Q = 1 − P (modified Lentz), converging quickly above the mode.
  const tiny = 1e-300
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.max(0, 1 - front * h)
}

/**
 * The p-quantile of the gamma(a, 1) distribution: the x with P(a, x) = p. Newton steps from the Wilson–Hilferty
 * guess, kept inside a bisection bracket so a poor step can never leave it; ends when the bracket is tight.
 */
export function gammaQuantile(p: number, a: number): number {
  if (!(a > 0)) throw new RangeError('the shape must be positive')
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be within 0–1')
  if (p === 0) return 0
  if (p === 1) return Infinity
  let lo = 0, hi = Math.max(1, a)
  while (gammaP(a, hi) < p) { lo = hi; hi *= 2 }
  // Wilson–Hilferty: (x/a)^(1/3) is nearly normal with mean 1 − 1/(9a) and variance 1/(9a).
  const z = normalQuantile(p)
  let x = a * (1 - 1 / (9 * a) + z * Math.sqrt(1 / (9 * a))) ** 3
  if (!(x > lo && x < hi)) x = (lo + hi) / 2
  const logNorm = logGamma(a)
  for (let i = 0; i < 200; i++) {
    const f = gammaP(a, x) - p
    if (f === 0) return x
    if (f < 0) lo = x
    else hi = x
    const density = Math.exp((a - 1) * Math.log(x) - x - logNorm)
    let next = density > 0 ? x - f / density : NaN
    if (!(next > lo && next < hi)) next = (lo + hi) / 2
    // Relative tolerances: a lower quantile of a small shape can be 1e-20.
    if (Math.abs(next - x) <= 1e-14 * x || hi - lo <= 1e-14 * hi) return next
    x = next
  }
  return x
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9): a starting point only. */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5, r = q * q
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
}

/**
 * The exact (Garwood) confidence interval for the mean of a Poisson count k: the chi-square quantiles
 * χ²(α/2; 2k)/2 and χ²(1 − α/2; 2k + 2)/2, which are gamma quantiles of shape k and k + 1.
 */
export function poissonInterval(k: number, confidence = 0.95): [number, number] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError('a count is a whole number ≥ 0')
  const alpha = 1 - confidence
  return [k === 0 ? 0 : gammaQuantile(alpha / 2, k), gammaQuantile(1 - alpha / 2, k + 1)]
}

function logBinomialPmf(i: number, n: number, p: number): number {
  if (p <= 0) return i === 0 ? 0 : -Infinity
  if (p >= 1) return i === n ? 0 : -Infinity
  return logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log(1 - p)
}

/**
 * The exact two-sided binomial test of k successes in n trials against success probability p: the probability
 * of every outcome no more likely than k. Comparing two Poisson counts reduces to this: given their sum n, the
 * count of the first is binomial with p = its expected share.
 */
export function binomialTestTwoSided(k: number, n: number, p: number): number {
  if (n === 0) return 1
  const observed = logBinomialPmf(k, n, p)
  let sum = 0
  for (let i = 0; i <= n; i++) {
    const l = logBinomialPmf(i, n, p)
    if (l <= observed + 1e-7) sum += Math.exp(l)
  }
  return Math.min(1, sum)
}

/** P(X ≥ k) for X binomial(n, p): the one-sided test of "more than expected". */
export function binomialUpperTail(k: number, n: number, p: number): number {
  let sum = 0
  for (let i = k; i <= n; i++) sum += Math.exp(logBinomialPmf(i, n, p))
  return Math.min(1, sum)
}
