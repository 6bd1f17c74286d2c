import { statSync } from 'node:fs'
import client from 'prom-client'
import type { Db } from '../db/connection.ts'
import { WAITING } from './review-queue.ts'

/**
 * Prometheus metrics for GET /api/metrics. One registry per process (as Prometheus scrapes a process);
 * the database gauges are read from the scraped app's database at scrape time.
 */
export const registry = new client.Registry()
client.collectDefaultMetrics({ register: registry })

const httpRequests = new client.Counter({
  name: 'lagesbild_http_requests_total', help: 'HTTP requests by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const, registers: [registry],
})
const httpDuration = new client.Histogram({
  name: 'lagesbild_http_request_duration_seconds', help: 'HTTP request latency by method and route pattern',
  labelNames: ['method', 'route'] as const, registers: [registry],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
})
const pushOps = new client.Counter({
  name: 'lagesbild_push_ops_total', help: 'Sync push ops by outcome (applied, duplicate, conflict, rejected)',
  labelNames: ['outcome'] as const, registers: [registry],
})
const queueLength = new client.Gauge({ name: 'lagesbild_review_queue_length', help: 'Reports waiting for review', registers: [registry] })
const dbBytes = new client.Gauge({ name: 'lagesbild_database_bytes', help: 'Size of the SQLite database file', registers: [registry] })
const walBytes = new client.Gauge({ name: 'lagesbild_wal_bytes', help: 'Size of the SQLite write-ahead log', registers: [registry] })

/** Called once per answered request by the request log. */
export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  httpRequests.inc({ method, route, status: String(status) })
  httpDuration.observe({ method, route }, seconds)
}

/** The push route counts its results here: `countPushOutcomes(results)`. */
export function countPushOutcomes(results: ReadonlyArray<{ status: string }>): void {
  for (const r of results) pushOps.inc({ outcome: r.status })
}

const sizeOf = (file: string) => { try { return statSync(file).size } catch { return 0 } }

/** The exposition text, with the database gauges read now. */
export async function metricsText(db: Db): Promise<string> {
  queueLength.set(db.prepare(`SELECT count(*) FROM reports r WHERE ${WAITING}`).pluck().get() as number)
  dbBytes.set(sizeOf(db.name))
  walBytes.set(sizeOf(`${db.name}-wal`))
  return registry.metrics()
}

export const METRICS_CONTENT_TYPE = registry.contentType
