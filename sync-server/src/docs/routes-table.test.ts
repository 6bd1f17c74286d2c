import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'
import { ROUTES_MD, renderRoutesTable, type OpenApiDocument } from './routes-table.ts'

let s: TestServer
beforeAll(async () => { s = await testServer() })
afterAll(() => s.close())

describe('docs/routes.md', () => {
  it('is the table generated from the current /api/openapi.json (run `npm run routes` when this fails)', async () => {
    const doc = await jsonOf<OpenApiDocument>(await s.request('GET', '/api/openapi.json'))
    expect(readFileSync(ROUTES_MD, 'utf8')).toBe(renderRoutesTable(doc))
  })

  it('marks an operation by its x-access, signed out and per role', () => {
    const md = renderRoutesTable({ paths: {
      '/api/a': { get: { 'x-access': 'public', summary: 'A' }, post: { 'x-access': ['admin'], summary: 'B | c' } },
      '/api/b': { get: { 'x-access': 'signed-in' }, parameters: {} as never },
      '/api/c': { get: {} },
    } })
    expect(md).toContain('| GET | `/api/a` | public | ✓ | ✓ | ✓ | ✓ | ✓ | A |')
    expect(md).toContain('| POST | `/api/a` | admin | — | — | — | — | ✓ | B \\| c |')
    expect(md).toContain('| GET | `/api/b` | signed-in | — | ✓ | ✓ | ✓ | ✓ |')
    expect(md).toContain('| GET | `/api/c` | UNDECLARED | — | — | — | — | — |')
    expect(md).toContain('4 operations.')
  })
})
