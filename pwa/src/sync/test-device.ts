import Dexie from 'dexie'
import type { ReportDraft } from '@lagesbild/domain'
import { database } from '@/db/database'
import { logVisit, markAction } from '@/db/loop'
import { amendReport, saveDraft, saveNewReport, withdrawReport } from '@/db/reports'
import type { ActionStatus, LocalReport, LoopItem, OutboxEntry, SyncMeta } from '@/db/types'
import { syncOnce, type SyncOutcome, type SyncTransport } from './engine'
import type { Pace } from './pace'

export type ReportFields = Omit<ReportDraft, 'id' | 'createdAt'>

/** One simulated phone: the app's own store functions and sync engine on an IndexedDB of its own. */
export interface TestDevice {
  create(ownerId: number, fields: ReportFields): Promise<LocalReport>
  amend(ownerId: number, id: string, fields: ReportFields): Promise<void>
  withdraw(ownerId: number, id: string): Promise<void>
  /** The form's draft, as the report screen saves it while the user types (`reportId` when amending). */
  draft(ownerId: number, reportId: string | null, fields: Partial<ReportDraft>): Promise<void>
  /** The loop: a visit logged and an action marked, as the week's hot-spots on the home screen do. */
  visit(ownerId: number, week: string, hotSpot: number, at: string): Promise<LoopItem>
  mark(ownerId: number, week: string, hotSpot: number, status: ActionStatus, comment: string): Promise<void>
  sync(ownerId: number, transport: SyncTransport, pace?: Pace): Promise<SyncOutcome>
  view(ownerId: number): Promise<{ reports: LocalReport[]; outbox: OutboxEntry[]; loop: LoopItem[]; meta: SyncMeta | null }>
}

/**
 * Only for the protocol property test (sync-server/src/services/protocol.property.test.ts), the lie-fi test
 * (sync-server/src/routes/sync.lie-fi.test.ts) and the retention test (sync-server/src/routes/sync.retention.test.ts), which load
 * this module once per simulated device with a fresh module registry, so each device's `database()`
 * singleton opens its own IndexedDB (a fake-indexeddb factory). Never imported by the app.
 */
export function createTestDevice(idb: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }): TestDevice {
  Dexie.dependencies.indexedDB = idb.indexedDB
  Dexie.dependencies.IDBKeyRange = idb.IDBKeyRange
  const db = database()
  return {
    create: saveNewReport,
    amend: amendReport,
    withdraw: withdrawReport,
    draft: saveDraft,
    visit: logVisit,
    mark: markAction,
    sync: (ownerId, transport, pace) => syncOnce(db, transport, ownerId, pace),
    view: async ownerId => ({
      reports: await db.reports.where('ownerId').equals(ownerId).toArray(),
      outbox: await db.outbox.where('ownerId').equals(ownerId).toArray(),
      loop: await db.loop.where('ownerId').equals(ownerId).toArray(),
      meta: (await db.meta.get(ownerId)) ?? null,
    }),
  }
}
