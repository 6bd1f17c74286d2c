import { polygonProblem, type NewPlace, type Place, type PlaceGeometry, type PlacePatch } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError, notFound } from '../http-error.ts'
import { centreOf, listPlaces } from './places.ts'
import { nextSeq } from './seq.ts'

// Places are never deleted (reports point at them): an admin retires one instead. Each change takes the
// next sequence value as the row's seq, so devices pull the new reference data.

export function placeById(db: Db, id: number): Place | undefined {
  return listPlaces(db).find(p => p.id === id)
}

/** An area must not cross itself: "inside" would mean nothing (the GeoJSON import also checks the municipality's bounds). */
function checkArea(geometry: PlaceGeometry): void {
  const problem = geometry.type === 'Polygon' ? polygonProblem(geometry.coordinates) : null
  if (problem) throw new ApiError(400, 'invalid_request', `geometry: ${problem}`, 'geometry')
}

export function createPlace(db: Db, input: NewPlace): Place {
  checkArea(input.geometry)
  const { lat, lon } = centreOf(input.geometry)
  return db.transaction(() => {
    const id = Number(db.prepare('INSERT INTO places (name, kind, geometry, lat, lon, active, seq) VALUES (?, ?, ?, ?, ?, 1, ?)')
      .run(input.name, input.kind, JSON.stringify(input.geometry), lat, lon, nextSeq(db)).lastInsertRowid)
    return placeById(db, id)!
  })()
}

/** Renames, moves, re-kinds, retires or reactivates a place; returns it before and after. */
export function updatePlace(db: Db, id: number, patch: PlacePatch): { before: Place; after: Place } {
  return db.transaction(() => {
    const before = placeById(db, id)
    if (!before) throw notFound(`the place ${id}`)
    const geometry = patch.geometry ?? before.geometry
    if (patch.geometry) checkArea(patch.geometry)
    const { lat, lon } = centreOf(geometry)
    const after: Place = { ...before, ...patch, geometry, lat, lon }
    db.prepare('UPDATE places SET name = ?, kind = ?, geometry = ?, lat = ?, lon = ?, active = ?, seq = ? WHERE id = ?')
      .run(after.name, after.kind, JSON.stringify(geometry), lat, lon, after.active ? 1 : 0, nextSeq(db), id)
    return { before, after }
  })()
}
