import { AMENDABLE_FIELDS, type AmendableField, type OpResult, type ReportStatus, type SyncOp } from '@lagesbild/domain'

/**
 * The sync protocol of DESIGN.md as a plain in-memory model, written apart from the server so the property
 * test can tell whether the server did the right thing: it keeps every version's fields outright (the server
 * rebuilds old versions from revisions), compares values by canonical JSON, and remembers every op's answer.
 */

export type Fields = Partial<Record<AmendableField, unknown>>

/** JSON with sorted object keys: equal values give equal strings whatever order their keys came in. */
export function canon(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v)
}

const same = (a: unknown, b: unknown) => canon(a) === canon(b)

export function fieldsOf(report: object): Fields {
  const fields: Fields = {}
  for (const f of AMENDABLE_FIELDS) {
    const v = (report as Record<string, unknown>)[f]
    if (v !== undefined && v !== null) fields[f] = v
  }
  return fields
}

function changed(from: Fields, to: Fields): AmendableField[] {
  return AMENDABLE_FIELDS.filter(f => !same(from[f], to[f]))
}

/** What a caller can rely on in an op's answer: its status, its version and the kind of reason. */
export interface Said { status: OpResult['status']; version: number | null; note: 'pending' | 'overruled' | 'other' | null }

export function said(r: Pick<OpResult, 'status' | 'version' | 'reason'>): Said {
  const note = !r.reason ? null : r.reason === 'pending_review' ? 'pending' : r.reason.startsWith('overruled:') ? 'overruled' : 'other'
  return { status: r.status, version: r.version ?? null, note }
}

export interface ModelReport {
  ownerId: number
  /** The fields of version n at index n - 1. */
  versions: Fields[]
  status: ReportStatus
  /** Reporters' values that lost to the server's, and amendments waiting for a reviewer: never silently dropped. */
  overruled: Array<{ field: AmendableField; value: string }>
  pending: Array<{ field: AmendableField; value: string }>
}

export class ProtocolModel {
  readonly reports = new Map<string, ModelReport>()
  private readonly answers = new Map<string, Said>()

  push(ownerId: number, ops: SyncOp[]): Said[] {
    return ops.map(op => {
      const stored = this.answers.get(op.opId)
      if (stored) return stored.status === 'applied' ? { ...stored, status: 'duplicate' } : stored
      const answer = this.apply(ownerId, op)
      this.answers.set(op.opId, answer)
      return answer
    })
  }

  /** A reviewer's decision and edits, as services/reports.ts updateReport() makes them. */
  review(id: string, decision: { status?: ReportStatus; fields?: Fields }): void {
    const r = this.reports.get(id)!
    r.versions.push({ ...r.versions.at(-1)!, ...decision.fields })
    if (decision.status) r.status = decision.status
  }

  private apply(ownerId: number, op: SyncOp): Said {
    const r = this.reports.get(op.reportId)
    const answer = (status: Said['status'], version: number | null, note: Said['note'] = null): Said => ({ status, version, note })
    if (op.kind === 'create') {
      const fields = fieldsOf(op.report!)
      if (!r) {
        this.reports.set(op.reportId, { ownerId, versions: [fields], status: 'submitted', overruled: [], pending: [] })
        return answer('applied', 1)
      }
      const mine = r.ownerId === ownerId
      return mine && r.versions.length === 1 && changed(r.versions[0]!, fields).length === 0
        ? answer('duplicate', 1)
        : answer('conflict', mine ? r.versions.length : null, 'other')
    }
    if (!r || r.ownerId !== ownerId) return answer('rejected', null, 'other')
    const version = r.versions.length
    const current = r.versions.at(-1)!
    if (op.kind === 'withdraw') {
      if (r.status === 'withdrawn') return answer('duplicate', version)
      if (r.status === 'approved' || r.status === 'rejected') return answer('conflict', version, 'other')
      r.versions.push(current)
      r.status = 'withdrawn'
      return answer('applied', version + 1)
    }
    if (r.status === 'withdrawn') return answer('rejected', null, 'other')
    const base = r.versions[op.baseVersion! - 1]
    if (!base) return answer('rejected', null, 'other')
    const amended = fieldsOf(op.report!)
    const reporterChanged = changed(base, amended)
    if (r.status === 'approved' || r.status === 'rejected') {
      const wanted = reporterChanged.filter(f => !same(current[f], amended[f]))
      if (wanted.length === 0) return answer('duplicate', version)
      for (const f of wanted) r.pending.push({ field: f, value: canon(amended[f]) })
      return answer('applied', version, 'pending')
    }
    const merged = { ...current }
    const overruled: AmendableField[] = []
    for (const f of reporterChanged) {
      const serverChanged = !same(base[f], current[f])
      if (serverChanged && !same(current[f], amended[f])) overruled.push(f)
      else if (amended[f] === undefined) delete merged[f]
      else merged[f] = amended[f]
    }
    if (changed(current, merged).length === 0 && overruled.length === 0) return answer('duplicate', version)
    for (const f of overruled) r.overruled.push({ field: f, value: canon(amended[f]) })
    r.versions.push(merged)
    if (r.status === 'needs_info') r.status = 'submitted'
    return answer('applied', version + 1, overruled.length ? 'overruled' : null)
  }
}
