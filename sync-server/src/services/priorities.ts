import { localParts, type PrioritiesBody, type WeeklyPriority } from '@lagesbild/domain'
import type { Db } from '../db/connection.ts'
import { cached } from '../db/statements.ts'
import { ApiError } from '../http-error.ts'
import { unknownCategories } from './categories.ts'
import { nextSeq } from './seq.ts'

interface PriorityRow { iso_week: string; focus_categories: string; hot_spots: string; notes: string; decided_at: number }

const toPriority = (r: PriorityRow): WeeklyPriority => ({
  isoWeek: r.iso_week,
  focusCategories: JSON.parse(r.focus_categories) as string[],
  hotSpots: JSON.parse(r.hot_spots) as WeeklyPriority['hotSpots'],
  notes: r.notes,
  decidedAt: new Date(r.decided_at).toISOString(),
})

export function prioritiesFor(db: Db, isoWeek: string): WeeklyPriority | null {
  const row = cached(db, 'SELECT iso_week, focus_categories, hot_spots, notes, decided_at FROM weekly_priorities WHERE iso_week = ?').get(isoWeek) as PriorityRow | undefined
  return row ? toPriority(row) : null
}

/** This week's and next week's priorities, for the phones: the meeting decides next week's focus. */
export function currentPriorities(db: Db, timeZone: string, now: number): WeeklyPriority[] {
  const weeks = [localParts(now, timeZone).isoWeek, localParts(now + 7 * 86_400_000, timeZone).isoWeek]
  return weeks.map(week => prioritiesFor(db, week)).filter((p): p is WeeklyPriority => p !== null)
}

/** Checks that every category, place and organisation the decision names exists; answers 400 naming the first that does not. */
function checkReferences(db: Db, body: PrioritiesBody): void {
  const unknown = unknownCategories(db, body.focusCategories)[0]
  if (unknown) {
    const field = `focusCategories.${body.focusCategories.indexOf(unknown)}`
    throw new ApiError(400, 'invalid_request', `${field}: no category with the code "${unknown}"`, field)
  }
  const place = db.prepare('SELECT 1 FROM places WHERE id = ?')
  const org = db.prepare('SELECT 1 FROM organisations WHERE id = ?')
  body.hotSpots.forEach((spot, i) => {
    if (spot.placeId !== undefined && !place.get(spot.placeId)) {
      throw new ApiError(400, 'invalid_request', `hotSpots.${i}.placeId: no place with the id ${spot.placeId}`, `hotSpots.${i}.placeId`)
    }
    if (spot.responsibleOrgId !== undefined && !org.get(spot.responsibleOrgId)) {
      throw new ApiError(400, 'invalid_request', `hotSpots.${i}.responsibleOrgId: no organisation with the id ${spot.responsibleOrgId}`, `hotSpots.${i}.responsibleOrgId`)
    }
  })
}

/** Records (or replaces) a week's decision: focus categories, hot-spots with who does what, notes. */
export function setPriorities(db: Db, isoWeek: string, body: PrioritiesBody, decidedBy: number | null, now = Date.now()): WeeklyPriority {
  return db.transaction(() => {
    checkReferences(db, body)
    const hotSpots = body.hotSpots.map(s => ({
      ...(s.placeId !== undefined ? { placeId: s.placeId } : {}),
      ...(s.responsibleOrgId !== undefined ? { responsibleOrgId: s.responsibleOrgId } : {}),
      action: s.action,
    }))
    db.prepare(`INSERT INTO weekly_priorities (iso_week, focus_categories, hot_spots, notes, decided_at, decided_by, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (iso_week) DO UPDATE SET focus_categories = excluded.focus_categories, hot_spots = excluded.hot_spots,
                  notes = excluded.notes, decided_at = excluded.decided_at, decided_by = excluded.decided_by, seq = excluded.seq`)
      .run(isoWeek, JSON.stringify(body.focusCategories), JSON.stringify(hotSpots), body.notes, now, decidedBy, nextSeq(db))
    return prioritiesFor(db, isoWeek)!
  })()
}
