import { resolve } from 'node:path'

export interface Config {
  port: number
  dataDir: string
  /** The municipality's zone: day, weekday, hour and ISO week of an incident are computed in it. */
  timeZone: string
  /** Map tile URL template for the PWA; empty means no tiles (vector layers only). */
  tileUrl: string
  /** Directory of the built PWA that the server serves; null serves the API only. */
  staticDir: string | null
  /** The municipality's extent [minLon, minLat, maxLon, maxLat] that imported and drawn areas must lie in; null: the places' extent + 15 km. */
  municipalityBbox: [number, number, number, number] | null
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be an integer 0–65535, got "${value}"`)
  return n
}

function bboxFrom(value: string | undefined): [number, number, number, number] | null {
  if (value === undefined || value === '') return null
  const n = value.split(',').map(Number)
  if (n.length !== 4 || n.some(x => !Number.isFinite(x)) || n[0]! >= n[2]! || n[1]! >= n[3]! || n[0]! < -180 || n[2]! > 180 || n[1]! < -90 || n[3]! > 90) {
    throw new Error(`MUNICIPALITY_BBOX must be minLon,minLat,maxLon,maxLat in WGS 84 degrees, got "${value}"`)
  }
  return n as [number, number, number, number]
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFrom(env.PORT, 8787, 'PORT'),
    dataDir: resolve(env.DATA_DIR ?? './data'),
    timeZone: env.TIME_ZONE ?? 'Europe/Stockholm',
    tileUrl: env.TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    staticDir: env.STATIC_DIR === '' ? null : resolve(env.STATIC_DIR ?? 'pwa/dist'),
    municipalityBbox: bboxFrom(env.MUNICIPALITY_BBOX),
  }
}
