/**
 * Privacy guard: free text should describe what happened, not who. These patterns find what a reporter
 * most often writes by mistake; the app warns the reporter and flags the report for the reviewer.
 */
export type PrivacyFinding = 'personal_number' | 'phone' | 'email' | 'plate'

// Every pattern here is linear in the text by construction: each has only bounded quantifiers (no `+`, `*` or
// `{n,}`), so a match attempt reads a bounded number of characters from its start. privacy.test.ts checks that.
// The e-mail address, whose parts have no useful bound, is found by the scanner below instead of a pattern.
const PERSONAL_NUMBER = /\b(?:19|20)?(\d{2})(0[1-9]|1[0-2])([0-6]\d|[78]\d)[-+ ]?(\d{4})\b/g
const PHONE = /(?:\+46|\b0)[\s-]?7\d(?:[\s-]?\d){7}\b|(?:\+46|\b0)\d{1,3}[\s-]\d{2,3}(?:[\s-]?\d{2}){2,3}\b/
// Swedish plates: three letters then three digits, or two digits and a letter (new format).
const PLATE = /\b[A-HJ-PR-UW-Z]{3}\s?\d{2}[A-HJ-PR-UW-Z\d]\b/

/** The patterns, for the test that checks that they are linear. */
export const PRIVACY_PATTERNS: readonly RegExp[] = [PERSONAL_NUMBER, PHONE, PLATE]

const isWord = (c: string | undefined) => c !== undefined && /^\w$/.test(c)
const isLocal = (c: string | undefined) => c !== undefined && /^[\w.+-]$/.test(c)
const isLabel = (c: string | undefined) => c !== undefined && /^[\w-]$/.test(c)

/**
 * Whether the text holds an e-mail address: what /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/ finds, in one pass. That
 * pattern reads the whole run before every "@" again from each start, quadratic on long runs without an "@".
 * Here each character is read at most twice: once going forward, and once as part of the domain after an "@".
 * An address exists at an "@" when the run of local characters before it holds a word character (a word
 * boundary then exists in the run) and, after it, a non-empty label is followed by one or more non-empty labels
 * separated by dots of which the last holds a word character (where the match may end on a word boundary).
 */
export function hasEmailAddress(text: string): boolean {
  let localHasWord = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '@') {
      if (localHasWord && domainAt(text, i + 1)) return true
      localHasWord = false
    } else if (isLocal(c)) {
      localHasWord ||= isWord(c)
    } else localHasWord = false
  }
  return false
}

function domainAt(text: string, start: number): boolean {
  let i = start
  while (isLabel(text[i])) i++
  if (i === start) return false
  while (text[i] === '.') {
    let hasWord = false
    const from = ++i
    for (; isLabel(text[i]); i++) hasWord ||= isWord(text[i])
    if (i === from) return false
    if (hasWord) return true
  }
  return false
}

function luhnOk(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i])
    if (i % 2 === 0) d *= 2
    sum += d > 9 ? d - 9 : d
  }
  return sum % 10 === 0
}

function hasPersonalNumber(text: string): boolean {
  for (const m of text.matchAll(PERSONAL_NUMBER)) {
    if (luhnOk(`${m[1]}${m[2]}${m[3]}${m[4]}`)) return true
  }
  return false
}

export function findPersonalData(text: string): PrivacyFinding[] {
  const found: PrivacyFinding[] = []
  if (hasPersonalNumber(text)) found.push('personal_number')
  if (PHONE.test(text)) found.push('phone')
  if (hasEmailAddress(text)) found.push('email')
  if (PLATE.test(text)) found.push('plate')
  return found
}
