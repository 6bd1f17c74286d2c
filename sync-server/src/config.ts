import { resolve } from 'node:path'
import { parseIpList, type IpList } from './services/ip-list.ts'

export interface Config {
  port: number
  /** The address to listen on (BIND_ADDRESS); undefined: every interface. Behind a proxy on the same machine, 127.0.0.1. */
  host: string | undefined
  dataDir: string
  /** The municipality's zone: day, weekday, hour and ISO week of an incident are computed in it. */
  timeZone: string
  /** Map tile URL template for the PWA; empty means no tiles (vector layers only). */
  tileUrl: string
  /** Directory of the built PWA that the server serves; null serves the API only. */
  staticDir: string | null
  /** The municipality's extent [minLon, minLat, maxLon, maxLat] that imported and drawn areas must lie in; null: the places' extent + 15 km. */
  municipalityBbox: [number, number, number, number] | null
  /**
   * The origin people's browsers use (`https://lagesbild.example.se`): the only source of the same-origin
   * check, of the cookie's `__Host-`/Secure choice and of absolute URLs. Never derived from the Host header.
   */
  publicOrigin: string
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); empty: the socket's address decides. */
  trustedProxies: IpList
  /** Addresses that may read /api/metrics without an admin session. */
  metricsAllow: IpList
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string
  /** Readiness fails when the data folder's disk has less free space than this. */
  minFreeDiskBytes: number
  /** Browser tests only: the server's clock runs this far ahead of the real one (a meeting a week later). */
  clockOffsetMs: number
}

/** A setting that cannot work; start-up prints the message and stops. */
export class ConfigError extends Error {}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

function intFrom(value: string | undefined, fallback: number, name: string, max = 65535): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`${name} must be an integer 0–${max}, got "${value}"`)
  return n
}

function bboxFrom(value: string | undefined): [number, number, number, number] | null {
  if (value === undefined || value === '') return null
  const n = value.split(',').map(Number)
  if (n.length !== 4 || n.some(x => !Number.isFinite(x)) || n[0]! >= n[2]! || n[1]! >= n[3]! || n[0]! < -180 || n[2]! > 180 || n[1]! < -90 || n[3]! > 90) {
    throw new ConfigError(`MUNICIPALITY_BBOX must be minLon,minLat,maxLon,maxLat in WGS 84 degrees, got "${value}"`)
  }
  return n as [number, number, number, number]
}

export function isLoopbackOrigin(origin: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(origin).hostname)
}

/**
 * Checks PUBLIC_ORIGIN: an origin only (scheme, host, optional port), https unless the host is this machine
 * (plain http elsewhere would send the session cookie in clear text and lose the `__Host-` prefix).
 */
export function parsePublicOrigin(value: string): string {
  let url: URL
  try { url = new URL(value) } catch { throw new ConfigError(`PUBLIC_ORIGIN must be an origin such as https://lagesbild.example.se, got "${value}"`) }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`PUBLIC_ORIGIN must start with https://, got "${value}"`)
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ConfigError(`PUBLIC_ORIGIN must be only scheme, host and port (no path, query or user), got "${value}"`)
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new ConfigError(`PUBLIC_ORIGIN must use https:// for a host other than localhost ("${value}"): over plain http the session cookie would travel unencrypted and could not be __Host-/Secure. Terminate TLS in the reverse proxy and set PUBLIC_ORIGIN=https://${url.host}`)
  }
  return url.origin
}

function ipListFrom(value: string | undefined, name: string): IpList {
  try { return parseIpList(value, name) } catch (err) { throw new ConfigError((err as Error).message) }
}

function daysFrom(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 0
  const n = Number(value)
  if (!Number.isFinite(n) || Math.abs(n) > 366) throw new ConfigError(`${name} must be a number of days within a year, got "${value}"`)
  return n * 86_400_000
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom(env.PORT, 8787, 'PORT')
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LOG_LEVELS.has(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}, got "${logLevel}"`)
  return {
    port,
    host: env.BIND_ADDRESS || undefined,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    timeZone: env.TIME_ZONE ?? 'Europe/Stockholm',
    tileUrl: env.TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    staticDir: env.STATIC_DIR === '' ? null : resolve(env.STATIC_DIR ?? 'pwa/dist'),
    municipalityBbox: bboxFrom(env.MUNICIPALITY_BBOX),
    publicOrigin: parsePublicOrigin(env.PUBLIC_ORIGIN || `http://localhost:${port}`),
    trustedProxies: ipListFrom(env.TRUSTED_PROXIES, 'TRUSTED_PROXIES'),
    metricsAllow: ipListFrom(env.METRICS_ALLOW, 'METRICS_ALLOW'),
    logLevel,
    minFreeDiskBytes: intFrom(env.MIN_FREE_DISK_MB, 100, 'MIN_FREE_DISK_MB', 10_000_000) * 1024 * 1024,
    clockOffsetMs: daysFrom(env.TEST_CLOCK_OFFSET_DAYS, 'TEST_CLOCK_OFFSET_DAYS'),
  }
}

/**
 * The origins whose unsafe requests are same-origin. Only PUBLIC_ORIGIN, except that a loopback http
 * origin (development, tests) also admits the other loopback names on the same port, as they are one machine.
 */
export function allowedOrigins(config: Pick<Config, 'publicOrigin'>): ReadonlySet<string> {
  const url = new URL(config.publicOrigin)
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return new Set([url.origin])
  const port = url.port ? `:${url.port}` : ''
  return new Set([...LOOPBACK_HOSTS].map(h => `http://${h}${port}`))
}
