import { describe, expect, it } from 'vitest'
import { diffFields, mergeAmendment, type ReportFields } from './merge.ts'

const base: ReportFields = {
  category: 'graffiti',
  occurredAt: '2026-11-20T21:00:00+01:00',
  location: { lat: 56.04, lon: 12.69, source: 'place' },
  placeId: 1,
  description: 'Klotter på vägg',
}

describe('mergeAmendment', () => {
  it('merges different fields from both sides', () => {
    const current = { ...base, category: 'vandalism' }
    const amended = { ...base, description: 'Klotter på vägg och dörr' }
    const { merged, overruled } = mergeAmendment(base, current, amended)
    expect(merged).toMatchObject({ category: 'vandalism', description: 'Klotter på vägg och dörr' })
    expect(overruled).toEqual({})
  })
  it('keeps the reviewer value on the same field and records the reporter value', () => {
    const current = { ...base, description: 'Klotter (granskad)' }
    const amended = { ...base, description: 'Klotter, stor tag' }
    const { merged, overruled } = mergeAmendment(base, current, amended)
    expect(merged.description).toBe('Klotter (granskad)')
    expect(overruled.description).toEqual({ from: 'Klotter (granskad)', to: 'Klotter, stor tag' })
  })
  it('lists exactly the changed fields', () => {
    expect(Object.keys(diffFields(base, { ...base, placeId: 2, policeNotified: true }))).toEqual(['placeId', 'policeNotified'])
  })
})

describe('diffFields compares values, not key order', () => {
  it('sees no change when only the order of keys differs', () => {
    const a = { ...base, location: { lat: 56.04, lon: 12.69, accuracyM: 12, source: 'gps' as const } }
    const b = { ...base, location: { source: 'gps' as const, accuracyM: 12, lon: 12.69, lat: 56.04 } }
    expect(diffFields(a, b)).toEqual({})
  })
})
