import { z } from 'zod'

export const CategoryCode = z.string().regex(/^[a-z][a-z_]{1,39}$/, 'a lower-case category code')

export const Category = z.object({
  code: CategoryCode,
  labelSv: z.string(),
  labelEn: z.string(),
  hintSv: z.string(),
  hintEn: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
})
export type Category = z.infer<typeof Category>
