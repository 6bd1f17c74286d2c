import { describe, expect, it } from 'vitest'
import { findPersonalData } from './privacy.ts'

describe('findPersonalData', () => {
  it('finds a valid personal identity number but not a random date-like number', () => {
    expect(findPersonalData('Mannen uppgav 811218-9876 som sitt nummer')).toContain('personal_number')
    expect(findPersonalData('Mannen uppgav 19811218-9876')).toContain('personal_number')
    expect(findPersonalData('Ordernummer 811218-9875')).not.toContain('personal_number')
  })
  it('finds phone numbers, e-mail addresses and number plates', () => {
    expect(findPersonalData('ring 070-123 45 67')).toEqual(['phone'])
    expect(findPersonalData('ring +46701234567')).toEqual(['phone'])
    expect(findPersonalData('mejla anna.svensson@example.se')).toEqual(['email'])
    expect(findPersonalData('bil ABC 123 stod parkerad')).toEqual(['plate'])
    expect(findPersonalData('bil ABC12D stod parkerad')).toEqual(['plate'])
  })
  it('leaves ordinary descriptions alone', () => {
    expect(findPersonalData('Fem ungdomar samlades vid fontänen kl 22, krossad flaska.')).toEqual([])
  })
})
