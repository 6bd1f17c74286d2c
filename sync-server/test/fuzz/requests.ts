// Requests generated from /api/openapi.json for the fuzz suite: for every operation, values that fit its
// schemas (so the handlers are reached, not only the validators) and every kind of bad input the issue lists —
// wrong types, missing and extra fields, huge and negative numbers, long and odd Unicode, deep nesting, wrong
// content types, truncated bodies, odd path parameters and query strings. Built with fast-check, so a seed
// replays a run exactly.
import fc from 'fast-check'

export type Schema = {
  $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]
  additionalProperties?: boolean | Schema; items?: Schema; prefixItems?: Schema[]; minItems?: number; maxItems?: number
  enum?: unknown[]; const?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]
  minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number
  minLength?: number; maxLength?: number; pattern?: string; format?: string; default?: unknown
}
export interface Parameter { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema }
export interface Operation {
  method: string; path: string; access: unknown; parameters: Parameter[]; body: Schema | null
}
export interface OpenApi {
  paths: Record<string, Record<string, { 'x-access'?: unknown; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>
  components?: { schemas?: Record<string, Schema> }
}

/** Every operation of the document, with its parameters and JSON body schema. */
export function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, op]) => ({
      method: method.toUpperCase(), path, access: op['x-access'],
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.['application/json']?.schema ?? null,
    })))
}

/** Ids and codes that exist in the fuzzed database, so path parameters and fields sometimes hit real rows. */
export interface Known { strings: string[]; integers: number[] }

export interface FuzzRequest {
  method: string
  /** Path with parameters filled in and the query string, already encoded. */
  url: string
  /** The body as sent (bytes may be invalid UTF-8 or truncated JSON), or none. */
  body?: string | Uint8Array
  contentType?: string | null
  /** What kind of input this was, for the summary and a failure's message. */
  kind: string
}

// Odd values of every type: the edges of numbers, long and odd Unicode, deep nesting.
const hugeNumbers = [1e308, -1e308, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 31, -(2 ** 31) - 1, -1, 0, -0, 0.5, 1e-300, 1.7976931348623157e308, 123456789012345680000]
const oddStrings = [
  '', ' ', '\u0000', 'null', 'undefined', 'true', '0', '-1', '1e309', 'NaN', 'Infinity', '__proto__', 'constructor',
  '\ud800', '\udfff', '\ud83d\ude00'.repeat(300), 'e\u0301'.repeat(500), '\u202eRTL\u202c', '\u200b\u200d\ufeff', 'ǅǈǋ',
  "'; DROP TABLE reports; --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '%', '${x}', '{{7*7}}',
  'ü'.repeat(3000), 'x'.repeat(70_000), 'Ö\r\nSet-Cookie: x=1', '2026-02-30', '2026-W54', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00+25:00',
]
export const oddString = fc.oneof(fc.constantFrom(...oddStrings), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
const oddNumber = fc.oneof(fc.constantFrom(...hugeNumbers), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())
function nested(depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v]
  return v
}
const deep = fc.constantFrom(nested(50), nested(300), nested(1000))
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString, oddNumber, fc.constantFrom(null, true, false, [], {}, [null], { '': null }), deep,
  fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true }),
)

/** Values that fit a schema: as a validator would accept them (mostly), so the request gets past validation. */
export function fromSchema(schema: Schema | undefined, doc: OpenApi, known: Known, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 8) return fc.constant(null)
  if (schema.$ref) return fromSchema(doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')], doc, known, depth + 1)
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return fc.oneof(...alternatives.map(s => fromSchema(s, doc, known, depth + 1)))
  if (schema.allOf) return fromSchema(Object.assign({}, ...schema.allOf), doc, known, depth + 1)
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['string']
  return fc.oneof(...types.map(type => ofType(type, schema, doc, known, depth)))
}

function ofType(type: string, schema: Schema, doc: OpenApi, known: Known, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null': return fc.constant(null)
    case 'boolean': return fc.boolean()
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000)
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min, 0) + 1000)
      const fits = known.integers.filter(n => n >= min && n <= max)
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }), ...(fits.length ? [fc.constantFrom(...fits)] : []))
    }
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1000
      const max = schema.maximum ?? schema.exclusiveMaximum ?? 1000
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
    }
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map(s => fromSchema(s, doc, known, depth + 1)))
      const minLength = schema.minItems ?? 0
      return fc.array(fromSchema(schema.items, doc, known, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) })
    }
    case 'object': {
      const props = schema.properties ?? {}
      const required = schema.required ?? []
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, doc, known, depth + 1)])), { requiredKeys: required.filter(k => k in props) })
    }
    default: return stringFor(schema, known)
  }
}

const plausible = ['2026-11-02', '2026-11-08', '2026-W48', '2026-W01', 'drugs', 'graffiti', 'approve', 'submitted', '1', '3', '20', '23', '500',
  '12.685,56.038,12.700,56.050', 'EPSG:3006', 'EPSG:4326', 'queue', 'all']

function stringFor(schema: Schema, known: Known): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0
  const maxLength = Math.min(schema.maxLength ?? 40, 200)
  const options: fc.Arbitrary<string>[] = []
  if (schema.format === 'date-time') options.push(fc.date({ min: new Date('2025-01-01'), max: new Date(), noInvalidDate: true }).map(d => d.toISOString()))
  else if (schema.format === 'date') options.push(fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map(d => d.toISOString().slice(0, 10)))
  else if (schema.format === 'uuid') options.push(fc.uuid())
  if (schema.pattern) {
    try { options.push(fc.stringMatching(new RegExp(schema.pattern)).filter(s => s.length >= minLength && s.length <= maxLength)) } catch { /* a pattern fast-check cannot generate from */ }
  }
  const fits = known.strings.filter(s => s.length >= minLength && s.length <= maxLength)
  if (fits.length) options.push(fc.constantFrom(...fits))
  options.push(fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }))
  if (!schema.pattern && !schema.format) options.push(fc.constantFrom(...plausible))
  return fc.oneof(...options)
}

type Json = unknown
/** Every path inside a value (object keys and array indices), for replacing or removing one spot. */
function pathsOf(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (value && typeof value === 'object' && out.length < 200) {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k]
      out.push(p)
      pathsOf(v, p, out)
    }
  }
  return out
}
function clone(value: Json): Json { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)) }
function setAt(root: Json, path: Array<string | number>, value: Json | typeof REMOVE): Json {
  if (!path.length) return value === REMOVE ? undefined : value
  const copy = clone(root) as Record<string | number, Json>
  let node = copy
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>
  const last = path[path.length - 1]!
  if (value === REMOVE) { if (Array.isArray(node)) node.splice(Number(last), 1); else delete node[last] } else node[last] = value
  return copy
}
const REMOVE = Symbol('remove')

/** A body for an operation: fitting its schema, or broken in one of the listed ways. */
function bodyFor(schema: Schema, doc: OpenApi, known: Known): fc.Arbitrary<{ body: Json; kind: string }> {
  const valid = fromSchema(schema, doc, known)
  return fc.oneof(
    { weight: 3, arbitrary: valid.map(body => ({ body, kind: 'fitting' })) },
    { weight: 3, arbitrary: fc.tuple(valid, fc.nat(), oddValue).map(([b, i, v]) => { const ps = pathsOf(b); return { body: ps.length ? setAt(b, ps[i % ps.length]!, v) : v, kind: 'wrong value' } }) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat()).map(([b, i]) => { const ps = pathsOf(b); return { body: ps.length ? setAt(b, ps[i % ps.length]!, REMOVE) : b, kind: 'missing field' } }) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat(), fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'id', 'role', 'roles', 'status')), oddValue).map(([b, i, key, v]) => {
      const objects = [[], ...pathsOf(b)].filter(p => { let n: Json = b; for (const k of p) n = (n as Record<string, Json>)[k]; return n && typeof n === 'object' && !Array.isArray(n) })
      const at = objects[i % Math.max(1, objects.length)] ?? []
      let target: Json = b
      for (const k of at) target = (target as Record<string, Json>)[k]
      return { body: target && typeof target === 'object' ? setAt(b, [...at, key], v) : b, kind: 'extra field' }
    }) },
    { weight: 1, arbitrary: oddValue.map(body => ({ body, kind: 'odd body' })) },
  )
}

/** Percent-encoding of the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser sends it; encodeURIComponent throws). */
function pct(text: string): string {
  let out = ''
  for (const b of Buffer.from(text, 'utf8')) out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0')
  return out
}

function encodeQuery(pairs: Array<[string, string]>): string {
  return pairs.length ? '?' + pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&') : ''
}

const oddPathValue = fc.oneof(
  fc.constantFrom('0', '-1', '1.5', '1e999', '99999999999999999999999', 'NaN', '%00', '..', '.', '%2F', '%2e%2e', 'null', '__proto__', ' ', '%E0%A4%A', 'x'.repeat(5000), '😀', '%F0%9F%98%80', '0x10', '+1', '00000001'),
  fc.string({ maxLength: 30 }).map(pct),
)
const rawQueries = ['?', '?&&&', '?=', '?a', '?%', '?%zz=1', '?cursor=%E0%A4%A', '?cursor[]=1', '?limit=1&limit=2&limit=3', '?' + 'x=1&'.repeat(2000), '?week=2026-W48#frag', '?\u00e9=\u00e9']

/** A request for one operation. `contentTypes` adds the wrong ones; `truncate` cuts the JSON text short. */
export function requestFor(op: Operation, doc: OpenApi, known: Known): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter(p => p.in === 'path')
  const queryParams = op.parameters.filter(p => p.in === 'query')
  const paramValue = (p: Parameter) => fromSchema(p.schema, doc, known).map(v => Array.isArray(v) ? v.map(String) : [String(v)])

  const path = fc.tuple(...pathParams.map(p => fc.oneof(
    { weight: 4, arbitrary: paramValue(p).map(v => pct(v[0] ?? '')) },
    { weight: 2, arbitrary: oddPathValue },
  ))).map(values => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]!), op.path))

  // Most parameters absent in any one request, so a request with a few fitting ones gets past validation.
  const fittingQuery = fc.tuple(...queryParams.map(p => fc.oneof({ weight: p.required ? 0 : 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: paramValue(p) })))
    .map(values => queryParams.flatMap((p, i) => (values[i] ?? []).map((v): [string, string] => [p.name, v])))
  const query = fc.oneof(
    { weight: 4, arbitrary: fittingQuery.map(encodeQuery) },
    { weight: 3, arbitrary: fc.tuple(fittingQuery, fc.nat(), fc.oneof(oddString, oddNumber.map(String))).map(([pairs, i, v]) => {
      const names = queryParams.map(p => p.name)
      const name = names.length ? names[i % names.length]! : 'x'
      return encodeQuery([...pairs, [name, v]])
    }) },
    { weight: 1, arbitrary: fc.tuple(fittingQuery, fc.string({ maxLength: 10 }), oddString).map(([pairs, k, v]) => encodeQuery([...pairs, [k, v]])) },
    { weight: 1, arbitrary: fc.constantFrom(...rawQueries) },
  )

  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method)) {
    return fc.tuple(path, query).map(([p, q]) => ({ method: op.method, url: p + q, kind: 'query' }))
  }
  const bodies = bodyFor(op.body ?? { type: 'object', properties: {} }, doc, known)
  const bytes = fc.oneof(
    { weight: 8, arbitrary: bodies.map(b => ({ body: JSON.stringify(b.body) ?? '', kind: b.kind, contentType: 'application/json' as string | null })) },
    { weight: 1, arbitrary: fc.tuple(bodies, fc.nat()).map(([b, n]) => { const text = JSON.stringify(b.body) ?? ''; return { body: text.slice(0, n % Math.max(1, text.length)), kind: 'truncated JSON', contentType: 'application/json' } }) },
    { weight: 1, arbitrary: fc.tuple(bodies, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json; charset=utf-16', 'application/xml', '', null)).map(([b, contentType]) => ({ body: JSON.stringify(b.body) ?? '', kind: 'wrong content type', contentType })) },
    { weight: 1, arbitrary: fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom('', '{', '[', '"', 'nul', '{"a":1}}', '\ufeff{}', '{"a":1,"a":2}', '{"__proto__":{"isAdmin":true}}', 'x'.repeat(2 * 1024 * 1024 + 10)),
    ).map(body => ({ body, kind: 'not JSON', contentType: 'application/json' })) },
  )
  return fc.tuple(path, query, bytes).map(([p, q, b]) => ({ method: op.method, url: p + q, body: b.body, contentType: b.contentType, kind: b.kind }))
}
