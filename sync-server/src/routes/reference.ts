import { z } from 'zod'
import { Category, Organisation, Place } from '@lagesbild/domain'
import type { Deps } from '../env.ts'
import { listOrganisations } from '../services/accounts.ts'
import { listCategories, listPlaces } from '../services/places.ts'
import { defineRoute, errors, json, router } from './define.ts'

const ClientConfig = z.object({ tileUrl: z.string(), timeZone: z.string() })

export function referenceRoutes(deps: Deps) {
  const app = router()

  app.openapi(defineRoute(['reporter', 'reviewer', 'analyst', 'admin'], {
    method: 'get', path: '/reference', tags: ['reference'], summary: 'Categories and places',
    responses: { 200: json(z.object({ categories: z.array(Category), places: z.array(Place) }), 'Reference data'), 401: errors[401] },
  }), c => c.json({ categories: listCategories(deps.db), places: listPlaces(deps.db) }, 200))

  // The meeting names a responsible organisation for each hot-spot, and the follow-up shows who it was.
  app.openapi(defineRoute(['reviewer', 'analyst', 'admin'], {
    method: 'get', path: '/organisations', tags: ['reference'], summary: 'Organisations by name (id, name, kind, active)',
    responses: { 200: json(z.array(Organisation), 'Organisations by name'), 401: errors[401], 403: errors[403] },
  }), c => c.json(listOrganisations(deps.db), 200))

  app.openapi(defineRoute('public', {
    method: 'get', path: '/config', tags: ['reference'], summary: 'Client configuration (map tiles, time zone)',
    responses: { 200: json(ClientConfig, 'Configuration the app needs before sign-in') },
  }), c => c.json({ tileUrl: deps.config.tileUrl, timeZone: deps.config.timeZone }, 200))

  return app
}
