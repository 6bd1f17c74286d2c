import type { Category, CategoryPatch, NewCategory } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { ApiError, notFound } from '../http-error.ts'
import { listCategories } from './places.ts'
import { nextSeq } from './seq.ts'

// Every change takes the next sequence value as the row's seq, so devices pull the new reference data.

function categoryByCode(db: Db, code: string): Category | undefined {
  return listCategories(db).find(c => c.code === code)
}

/** Adds a category at the end of the list. */
export function createCategory(db: Db, input: NewCategory): Category {
  return db.transaction(() => {
    if (categoryByCode(db, input.code)) throw new ApiError(409, 'exists', `a category with the code "${input.code}" already exists`, 'code')
    const sort = ((db.prepare('SELECT max(sort) FROM categories').pluck().get() as number | null) ?? 0) + 10
    db.prepare('INSERT INTO categories (code, label_sv, label_en, hint_sv, hint_en, sort, active, seq) VALUES (?, ?, ?, ?, ?, ?, 1, ?)')
      .run(input.code, input.labelSv, input.labelEn, input.hintSv ?? '', input.hintEn ?? '', sort, nextSeq(db))
    return categoryByCode(db, input.code)!
  })()
}

/** Renames, re-hints, retires or reactivates a category; returns it before and after. */
export function updateCategory(db: Db, code: string, patch: CategoryPatch): { before: Category; after: Category } {
  return db.transaction(() => {
    const before = categoryByCode(db, code)
    if (!before) throw notFound(`the category "${code}"`)
    const after = { ...before, ...patch }
    db.prepare('UPDATE categories SET label_sv = ?, label_en = ?, hint_sv = ?, hint_en = ?, active = ?, seq = ? WHERE code = ?')
      .run(after.labelSv, after.labelEn, after.hintSv, after.hintEn, after.active ? 1 : 0, nextSeq(db), code)
    return { before, after }
  })()
}

/** Puts the categories in the given order; the list must name every category exactly once. */
export function reorderCategories(db: Db, codes: readonly string[]): Category[] {
  return db.transaction(() => {
    const known = new Set(listCategories(db).map(c => c.code))
    const unknown = codes.find(c => !known.has(c))
    if (unknown) throw new ApiError(400, 'invalid_request', `codes: no category with the code "${unknown}"`, 'codes')
    if (codes.length !== known.size) throw new ApiError(400, 'invalid_request', `codes: name all ${known.size} categories, in the new order`, 'codes')
    const seq = nextSeq(db)
    const update = db.prepare('UPDATE categories SET sort = ?, seq = ? WHERE code = ?')
    codes.forEach((code, i) => update.run((i + 1) * 10, seq, code))
    return listCategories(db)
  })()
}

/** Lists the codes among `codes` that are not categories. */
export function unknownCategories(db: Db, codes: readonly string[]): string[] {
  const known = new Set(listCategories(db).map(c => c.code))
  return codes.filter(c => !known.has(c))
}
