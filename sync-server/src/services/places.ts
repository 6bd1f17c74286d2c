import type { Category, Place, PlaceGeometry } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'

interface PlaceRow { id: number; name: string; kind: 'place' | 'area'; geometry: string; lat: number; lon: number; active: number }
interface CategoryRow { code: string; label_sv: string; label_en: string; hint_sv: string; hint_en: string; sort: number; active: number }

export function listPlaces(db: Db, { activeOnly = false } = {}): Place[] {
  const rows = db.prepare(`SELECT id, name, kind, geometry, lat, lon, active FROM places ${activeOnly ? 'WHERE active = 1' : ''} ORDER BY name`).all() as PlaceRow[]
  return rows.map(r => ({ id: r.id, name: r.name, kind: r.kind, geometry: JSON.parse(r.geometry) as PlaceGeometry, lat: r.lat, lon: r.lon, active: r.active === 1 }))
}

export function listCategories(db: Db): Category[] {
  const rows = db.prepare('SELECT code, label_sv, label_en, hint_sv, hint_en, sort, active FROM categories ORDER BY sort, code').all() as CategoryRow[]
  return rows.map(r => ({ code: r.code, labelSv: r.label_sv, labelEn: r.label_en, hintSv: r.hint_sv, hintEn: r.hint_en, sort: r.sort, active: r.active === 1 }))
}

/** The centre of a geometry: the point itself, or the mean of a polygon's outer ring. */
export function centreOf(geometry: PlaceGeometry): { lat: number; lon: number } {
  if (geometry.type === 'Point') return { lon: geometry.coordinates[0], lat: geometry.coordinates[1] }
  const ring = geometry.coordinates[0]!.slice(0, -1)
  const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length
  return { lat, lon }
}
