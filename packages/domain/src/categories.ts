import defaults from './data/est-categories.json' with { type: 'json' }
import type { Category } from './schemas/category.ts'

/** The 14 default EST categories, in the order municipalities list them. */
export const DEFAULT_CATEGORIES: Category[] = defaults.categories.map((c, i) => ({
  code: c.code,
  labelSv: c.sv,
  labelEn: c.en,
  hintSv: c.hint_sv,
  hintEn: c.hint_en,
  sort: (i + 1) * 10,
  active: true,
}))
