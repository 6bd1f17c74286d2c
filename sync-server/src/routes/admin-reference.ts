import { z } from 'zod'
import { Category, CategoryCode, CategoryOrder, CategoryPatch, Id, NewCategory, NewPlace, Place, PlaceImportError, PlaceImportQuery, PlacePatch } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { currentUser } from '../middleware/access.ts'
import { audit } from '../services/audit.ts'
import { createCategory, reorderCategories, updateCategory } from '../services/categories.ts'
import { clientAddress } from '../services/client-address.ts'
import { createPlace, updatePlace } from '../services/place-admin.ts'
import { importPlaces, municipalityBounds } from '../services/place-import.ts'
import { defineRoute, errors, json, router } from './define.ts'

const ADMIN = ['admin'] as const

/** The fields that differ between two versions of a row, as `{field: {from, to}}` for the audit log. */
function changes<T extends object>(before: T, after: T, fields: ReadonlyArray<keyof T & string>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {}
  for (const f of fields) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) out[f] = { from: before[f], to: after[f] }
  }
  return out
}

/** Categories and places: what reporters pick from. Mounted by routes/admin.ts. */
export function adminReferenceRoutes(deps: Deps) {
  const app = router()
  const { db } = deps

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/categories', tags: ['admin'], summary: 'Add a category at the end of the list',
    request: { body: { content: { 'application/json': { schema: NewCategory } }, required: true } },
    responses: { 201: json(Category, 'Created'), 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409] },
  }), c => {
    const category = createCategory(db, c.req.valid('json'))
    audit(db, { actorId: currentUser(c).id, action: 'category_created', target: category.code, detail: { labelSv: category.labelSv, labelEn: category.labelEn }, ip: clientAddress(c) }, deps.now())
    return c.json(category, 201)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'put', path: '/admin/categories/order', tags: ['admin'], summary: 'Reorder the categories (every code once, in the new order)',
    request: { body: { content: { 'application/json': { schema: CategoryOrder } }, required: true } },
    responses: { 200: json(z.array(Category), 'All categories in the new order'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const { codes } = c.req.valid('json')
    const categories = reorderCategories(db, codes)
    audit(db, { actorId: currentUser(c).id, action: 'categories_reordered', detail: { codes }, ip: clientAddress(c) }, deps.now())
    return c.json(categories, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'patch', path: '/admin/categories/{code}', tags: ['admin'], summary: 'Rename, retire or reactivate a category (retired ones keep their reports)',
    request: { params: z.object({ code: CategoryCode }), body: { content: { 'application/json': { schema: CategoryPatch } }, required: true } },
    responses: { 200: json(Category, 'Changed'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
  }), c => {
    const { before, after } = updateCategory(db, c.req.valid('param').code, c.req.valid('json'))
    const detail = { changes: changes(before, after, ['labelSv', 'labelEn', 'hintSv', 'hintEn', 'active']) }
    audit(db, { actorId: currentUser(c).id, action: 'category_updated', target: after.code, detail, ip: clientAddress(c) }, deps.now())
    return c.json(after, 200)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/places', tags: ['admin'], summary: 'Add a named place or area (GeoJSON Point or Polygon, WGS 84)',
    request: { body: { content: { 'application/json': { schema: NewPlace } }, required: true } },
    responses: { 201: json(Place, 'Created, with its centre'), 400: errors[400], 401: errors[401], 403: errors[403] },
  }), c => {
    const place = createPlace(db, c.req.valid('json'))
    audit(db, { actorId: currentUser(c).id, action: 'place_created', target: String(place.id), detail: { name: place.name, kind: place.kind }, ip: clientAddress(c) }, deps.now())
    return c.json(place, 201)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'post', path: '/admin/places/import', tags: ['admin'],
    summary: 'Import places (Points) and areas (Polygons) from a GeoJSON FeatureCollection named by properties.name, all or nothing',
    description: 'Coordinates in WGS 84 (default) or SWEREF 99 TM (crs=EPSG:3006, or the file\'s own crs member). Rings must be closed and must not '
      + 'cross themselves; every position must lie inside the municipality (MUNICIPALITY_BBOX, else the places\' extent + 15 km). When any feature '
      + 'fails nothing is imported and the answer lists each failing feature: 400 {error: {code: "invalid_features", features: [{index, name?, reason}]}}.',
    request: { query: PlaceImportQuery, body: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, required: true } },
    responses: { 201: json(z.object({ created: z.array(Place) }), 'Created, in the file\'s order'), 400: json(PlaceImportError, 'Not a FeatureCollection, or the failing features'), 401: errors[401], 403: errors[403] },
  }), c => {
    const result = importPlaces(db, c.req.valid('json'), c.req.valid('query').crs, municipalityBounds(db, deps.config.municipalityBbox))
    if ('problems' in result) {
      const n = result.problems.length
      return c.json({ error: { code: 'invalid_features', message: `${n} feature${n === 1 ? '' : 's'} cannot be imported, so none was: ${result.problems.slice(0, 3).map(p => `feature ${p.index}: ${p.reason}`).join('; ')}${n > 3 ? '; …' : ''}`, features: result.problems } }, 400)
    }
    audit(db, { actorId: currentUser(c).id, action: 'places_imported', detail: { count: result.created.length, ids: result.created.map(p => p.id) }, ip: clientAddress(c) }, deps.now())
    return c.json({ created: result.created }, 201)
  })

  app.openapi(defineRoute(ADMIN, {
    method: 'patch', path: '/admin/places/{id}', tags: ['admin'], summary: 'Rename, move, retire or reactivate a place',
    request: { params: z.object({ id: z.coerce.number().pipe(Id) }), body: { content: { 'application/json': { schema: PlacePatch } }, required: true } },
    responses: { 200: json(Place, 'Changed'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
  }), c => {
    const { before, after } = updatePlace(db, c.req.valid('param').id, c.req.valid('json'))
    const detail = { changes: changes(before, after, ['name', 'kind', 'geometry', 'active']) }
    audit(db, { actorId: currentUser(c).id, action: 'place_updated', target: String(after.id), detail, ip: clientAddress(c) }, deps.now())
    return c.json(after, 200)
  })

  return app
}
