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

export interface CallOptions { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; query?: Record<string, string | number | undefined>; signal?: AbortSignal }

/** JSON to and from /api with the session cookie; every failure becomes an ApiCallError. */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST')
  const url = new URL('/api' + path, location.origin)
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
  let res: Response
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: method === 'GET' ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(method === 'GET' ? {} : { body: JSON.stringify(options.body ?? {}) }),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (err) {
    throw new ApiCallError(0, 'network', err instanceof Error ? err.message : 'network error')
  }
  const text = await res.text()
  let data: unknown = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string } & Record<string, unknown> } | null)?.error
    throw new ApiCallError(res.status, e?.code ?? 'error', e?.message ?? res.statusText, e?.field, e)
  }
  return data as T
}
