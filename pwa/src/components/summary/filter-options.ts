/** Choices offered in the filter bar; the API takes any radius 1–50,000 m, these are the useful ones. */
export const RADII_M = [100, 250, 500, 1000, 2000] as const
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
export const HOURS = Array.from({ length: 24 }, (_, h) => h)

export interface OrgOption { id: number; name: string }

export const hh = (h: number) => String(h).padStart(2, '0')

export function distanceLabel(m: number): string {
  return m >= 1000 ? `${m / 1000} km` : `${m} m`
}
