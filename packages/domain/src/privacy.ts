/**
 * Privacy guard: free text should describe what happened, not who. These patterns find what a reporter
 * most often writes by mistake; the app warns the reporter and flags the report for the reviewer.
 */
export type PrivacyFinding = 'personal_number' | 'phone' | 'email' | 'plate'

const PERSONAL_NUMBER = /\b(?:19|20)?(\d{2})(0[1-9]|1[0-2])([0-6]\d|[78]\d)[-+ ]?(\d{4})\b/g
const PHONE = /(?:\+46|\b0)[\s-]?7\d(?:[\s-]?\d){7}\b|(?:\+46|\b0)\d{1,3}[\s-]\d{2,3}(?:[\s-]?\d{2}){2,3}\b/
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/
// Swedish plates: three letters then three digits, or two digits and a letter (new format).
const PLATE = /\b[A-HJ-PR-UW-Z]{3}\s?\d{2}[A-HJ-PR-UW-Z\d]\b/

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
  if (EMAIL.test(text)) found.push('email')
  if (PLATE.test(text)) found.push('plate')
  return found
}
