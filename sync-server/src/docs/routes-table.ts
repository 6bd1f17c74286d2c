// The role × route table in docs/routes.md, generated from /api/openapi.json's `x-access` (the declarations
// every route makes through defineRoute), so the table cannot say something the server does not enforce.
// `npm run routes` rewrites it; routes-table.test.ts fails when the committed table is stale.
import { ROLES } from '@lagesbild/domain'

export interface OpenApiOperation { 'x-access'?: unknown; 'x-access-addresses'?: string; summary?: string; tags?: string[] }
export interface OpenApiDocument { paths: Record<string, Record<string, OpenApiOperation>> }

const METHODS = ['get', 'put', 'post', 'patch', 'delete']
export const ROUTES_MD = new URL('../../../docs/routes.md', import.meta.url)

/** Who an `x-access` value lets in: signed out, and each role. */
function admits(access: unknown, who: string | null): boolean {
  if (access === 'public') return true
  if (who === null) return false
  if (access === 'signed-in') return true
  return Array.isArray(access) && access.includes(who)
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

export function renderRoutesTable(doc: OpenApiDocument): string {
  const columns: Array<{ title: string; who: string | null }> = [{ title: 'signed out', who: null }, ...ROLES.map(r => ({ title: r, who: r as string }))]
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ method, path, op })))
  rows.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method))
  const lines = [
    '# Who may call which route',
    '',
    'Generated from `x-access` in `/api/openapi.json` by `npm run routes` (do not edit by hand; a server test fails when',
    'this file is stale). Every route declares its access through `defineRoute` in `sync-server/src/routes/`, and that',
    'declaration is both the check the server makes and this table. ✓ may call it, — is refused (401 signed out, 403',
    'signed in without the role). `signed-in` routes take any role, also while a password change is pending; the other',
    'routes also refuse a session that must first change its password. Object-level rules (a reporter sees only their',
    'own reports, nobody reviews their own) are checked inside the routes and are not shown here.',
    '',
    `| method | path | access | ${columns.map(c => c.title).join(' | ')} | what |`,
    `|---|---|---|${columns.map(() => ':-:').join('|')}|---|`,
    ...rows.map(({ method, path, op }) => {
      const access = op['x-access']
      const roles = typeof access === 'string' ? access : Array.isArray(access) ? access.join(', ') : 'UNDECLARED'
      // A route may also admit addresses from a configured list without a session (METRICS_ALLOW).
      const label = op['x-access-addresses'] ? `${roles}, or an address in ${op['x-access-addresses']}` : roles
      return `| ${method.toUpperCase()} | \`${path}\` | ${label} | ${columns.map(c => admits(access, c.who) ? '✓' : '—').join(' | ')} | ${cell(op.summary ?? '')} |`
    }),
    '',
    `${rows.length} operations.`,
    '',
  ]
  return lines.join('\n')
}
