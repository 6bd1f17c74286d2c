// Bench-only: preloaded into the server process by the load bench (`node --import tsx --import
// ./bench/event-loop-probe.ts sync-server/src/index.ts`), so the server's own event-loop delay is measured
// without a line in the server for it. A perf_hooks histogram (10 ms resolution, the same as prom-client's
// lag gauge uses) is written as JSON to $EVENT_LOOP_PROBE every 250 ms; SIGUSR2 starts it afresh.
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env.EVENT_LOOP_PROBE
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  const ms = (ns: number) => Math.round(ns / 1e4) / 100
  const write = () => writeFileSync(file, JSON.stringify({
    samples: h.count, p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), meanMs: ms(h.mean),
  }))
  setInterval(write, 250).unref()
  process.on('SIGUSR2', () => h.reset())
}
