import type { OpResult, PullResponse } from '@lagesbild/domain'
import { api } from '@/api/client'
import type { SyncTransport } from './engine'

/** The real transport: the app's API client (ApiCallError carries `status`, 0 when offline). */
export const httpTransport: SyncTransport = {
  push: body => api<{ results: OpResult[] }>('/sync/push', { body }),
  pull: (cursor, limit) => api<PullResponse>('/sync/pull', { query: { cursor, limit } }),
}
