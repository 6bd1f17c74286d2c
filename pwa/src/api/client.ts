/** A failed API call: `status` 0 means the network failed (offline), anything else is the server's answer. */
export class ApiCallError extends Error {
  /** `details`: the whole `error` object of the answer, for errors that carry more (the GeoJSON import's `features`). */
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly details?: Record<string, unknown>) {
    super(message)
  }
  get isNetwork(): boolean { return this.status === 0 }
  /** Worth trying again later: no answer at all, or a server fault. */
  get isRetryable(): boolean { return this.status === 0 || this.status >= 500 }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  query?: Record<string, string | number | undefined>
  signal?: AbortSignal
  /** How long the whole call (answer and body) may take before it is aborted; API_TIMEOUT_MS by default. */
  timeoutMs?: number
}

/**
 * A call that has not been answered in full by then is given up. On a link that is up but passes nothing
 * ("lie-fi") a fetch can otherwise wait for minutes — a sign-in button spinning, or the first screen waiting
 * on the session check. Long enough for a sign-in queued behind others' password hashing or a heavy summary.
 */
export const API_TIMEOUT_MS = 20_000

/** How long a request may take: until the answer's headers arrive, and until its whole body is read. */
export interface RequestLimits { answerMs: number; totalMs: number }

export interface RequestOptions {
  /** The caller's own reason to stop (a newer request replaced this one): a `network` failure, not a timeout. */
  signal?: AbortSignal
  /** What the timeout message names (e.g. `push`). */
  what?: string
  /** fetch itself, replaceable for the sync transport's tests. */
  send?: (input: URL, init: RequestInit) => Promise<Response>
}

/**
 * The one way the app asks the API: JSON with the session cookie, never from the HTTP cache, aborted cleanly
 * when a limit passes. Every failure is an ApiCallError: status 0 with code `timeout` or `network`, or the
 * server's status with its error code, message, field and the whole error object.
 */
export async function requestJson<T>(url: URL, init: RequestInit, limits: RequestLimits, options: RequestOptions = {}): Promise<T> {
  const abort = new AbortController()
  let timedOut = false
  const at = (ms: number) => setTimeout(() => { timedOut = true; abort.abort() }, ms)
  const answerTimer = at(limits.answerMs)
  const totalTimer = at(limits.totalMs)
  const callerAborted = () => abort.abort(options.signal?.reason)
  if (options.signal?.aborted) callerAborted()
  else options.signal?.addEventListener('abort', callerAborted, { once: true })
  const failed = (err: unknown, limitMs: number) => timedOut
    ? new ApiCallError(0, 'timeout', `${options.what ? `${options.what}: ` : ''}no answer within ${Math.round(limitMs / 1000)} s`)
    : new ApiCallError(0, 'network', err instanceof Error ? err.message : 'network error')
  const send = options.send ?? ((input: URL, init: RequestInit) => fetch(input, init))
  let res: Response
  let text: string
  try {
    try {
      res = await send(url, { ...init, credentials: 'same-origin', cache: 'no-store', signal: abort.signal })
    } catch (err) {
      throw failed(err, limits.answerMs)
    }
    clearTimeout(answerTimer)
    try {
      text = await res.text()
    } catch (err) {
      throw failed(err, limits.totalMs)
    }
  } finally {
    clearTimeout(answerTimer)
    clearTimeout(totalTimer)
    options.signal?.removeEventListener('abort', callerAborted)
  }
  let data: unknown = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string } & Record<string, unknown> } | null)?.error
    throw new ApiCallError(res.status, e?.code ?? 'error', e?.message ?? res.statusText, e?.field, e)
  }
  return data as T
}

/** JSON to and from /api with the session cookie, within `timeoutMs` (API_TIMEOUT_MS by default). */
export function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST')
  const url = new URL('/api' + path, location.origin)
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
  const limitMs = options.timeoutMs ?? API_TIMEOUT_MS
  return requestJson<T>(url, {
    method,
    headers: method === 'GET' ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: JSON.stringify(options.body ?? {}) }),
  }, { answerMs: limitMs, totalMs: limitMs }, options.signal ? { signal: options.signal } : {})
}
