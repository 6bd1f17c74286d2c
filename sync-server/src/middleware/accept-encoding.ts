/**
 * The best of `offered` (in order of preference) that an Accept-Encoding header allows: the highest q-value
 * wins, a tie goes to the earlier offer, `q=0` refuses, `*` stands for every encoding not named. No header,
 * or nothing acceptable, means identity (null).
 */
export function chooseEncoding<E extends string>(header: string | undefined, offered: readonly E[]): E | null {
  if (!header) return null
  const q = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const qParam = params.map(p => p.trim()).find(p => p.startsWith('q='))
    const value = qParam ? Number(qParam.slice(2)) : 1
    q.set(name.trim(), Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0)
  }
  let best: E | null = null
  let bestQ = 0
  for (const encoding of offered) {
    const v = q.get(encoding) ?? q.get('*') ?? 0
    if (v > bestQ) { best = encoding; bestQ = v }
  }
  return best
}
