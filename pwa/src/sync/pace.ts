/** Batch sizes from the smallest to the full one: a push of this many ops, a pull page of this many changes. */
export const STEPS = [
  { push: 1, pull: 50 },
  { push: 5, pull: 100 },
  { push: 10, pull: 250 },
  { push: 25, pull: 500 },
  { push: 50, pull: 500 },
] as const

/**
 * How much one sync request carries on this link. A request that timed out steps down at once (50 → 25 → 10
 * → 5 → 1): on a link that passes little, a small batch still gets through where a big one never does. Two
 * answered requests in a row step back up, so a link that recovers is soon used in full again.
 */
export function createPace(options: { growAfter?: number } = {}) {
  const growAfter = options.growAfter ?? 2
  let level = STEPS.length - 1
  let answered = 0
  return {
    get push(): number { return STEPS[level]!.push },
    get pull(): number { return STEPS[level]!.pull },
    /** True while requests are smaller than the full size. */
    get reduced(): boolean { return level < STEPS.length - 1 },
    timedOut() { level = Math.max(0, level - 1); answered = 0 },
    answered() {
      if (++answered >= growAfter && level < STEPS.length - 1) { level++; answered = 0 }
    },
  }
}
export type Pace = ReturnType<typeof createPace>
