import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { PRIVACY_PATTERNS, findPersonalData, hasEmailAddress } from './privacy.ts'

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

/** The old e-mail pattern, quadratic on long runs: the scanner must find exactly what it finds. */
const EMAIL_PATTERN = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/

/**
 * The quantifiers of a pattern's source outside character classes: `+`, `*` and `{n,}` are unbounded. A pattern
 * with only bounded quantifiers reads a bounded number of characters per start position, so it is linear.
 */
function unboundedQuantifiers(source: string): string[] {
  const found: string[] = []
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\') { i++; continue }
    if (inClass) { if (c === ']') inClass = false; continue }
    if (c === '[') inClass = true
    else if (c === '+' || c === '*') found.push(`${c} at ${i}`)
    else if (c === '{' && /^\{\d+,\}/.test(source.slice(i))) found.push(`{n,} at ${i}`)
  }
  return found
}

describe('linear by construction', () => {
  it('every pattern has only bounded quantifiers (and the checker does catch an unbounded one)', () => {
    for (const p of PRIVACY_PATTERNS) expect(unboundedQuantifiers(p.source), p.source).toEqual([])
    expect(unboundedQuantifiers(EMAIL_PATTERN.source)).toHaveLength(4)
    expect(unboundedQuantifiers('a{2,}[+*]\\+')).toEqual(['{n,} at 1'])
  })

  it('the e-mail scanner finds exactly what the old pattern found, on random texts', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'Z', '1', '_', '.', '-', '+', '@', ' ', 'é', '!'), { maxLength: 24 }).map(cs => cs.join('')), text => {
      expect(hasEmailAddress(text)).toBe(EMAIL_PATTERN.test(text))
    }), { numRuns: 20_000 })
  })

  const ADVERSARIAL: Array<[string, string, boolean]> = [
    ['a run of word characters without "@"', 'a'.repeat(2000), false],
    ['dots and letters without "@"', 'a.'.repeat(1000), false],
    ['many "@" with no domain', 'a@'.repeat(1000), false],
    ['a long local part before a valid domain', 'a'.repeat(1990) + '@b.se', true],
    ['a long domain without a dot', 'a@' + 'b'.repeat(1997), false],
    ['a long dotted domain ending in a dash label', 'a@b' + '.-'.repeat(998), false],
    ['a run of "+-." only before "@"', '+-.'.repeat(665) + '@b.se', false],
    ['digits (personal-number and phone patterns)', '1'.repeat(2000), false],
    ['spaced digits', '07 '.repeat(667), false],
    ['capitals (plate pattern)', 'ABC'.repeat(667), false],
  ]
  it.each(ADVERSARIAL)('answers correctly on 2,000 adversarial characters: %s', (_name, text, email) => {
    expect(text.length).toBeGreaterThanOrEqual(1990)
    expect(findPersonalData(text).includes('email')).toBe(email)
    expect(EMAIL_PATTERN.test(text)).toBe(email)
  })
})
