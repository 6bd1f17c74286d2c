// `npm run routes`: builds the app on a throw-away database, reads /api/openapi.json and writes docs/routes.md.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createApp } from '../app.ts'
import { configFromEnv } from '../config.ts'
import { prepare } from '../server.ts'
import { ROUTES_MD, renderRoutesTable, type OpenApiDocument } from './routes-table.ts'

const dir = mkdtempSync(join(tmpdir(), 'lagesbild-routes-'))
try {
  const { deps, db } = await prepare({ ...configFromEnv({}), dataDir: dir, staticDir: null, tileUrl: '' })
  const res = await createApp(deps).request('http://localhost/api/openapi.json')
  const doc = (await res.json()) as OpenApiDocument
  db.close()
  writeFileSync(ROUTES_MD, renderRoutesTable(doc))
  console.log(`wrote ${fileURLToPath(ROUTES_MD)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
