// The loop's API shapes (DESIGN "Weekly priority", "Follow-up"), as the page uses them.
export type ActionStatus = 'planned' | 'done' | 'not_done'
type Ring = Array<[number, number]>
export interface PolygonGeometry { type: 'Polygon'; coordinates: Ring[] }

export interface HotSpotInput {
  placeId?: number
  radiusM?: number
  geometry?: PolygonGeometry
  label?: string
  responsibleOrgId?: number
  action: string
}

export interface DecidedSpot extends HotSpotInput {
  index: number
  actionStatus: ActionStatus
  actionComment?: string
}

export interface Decision {
  isoWeek: string
  focusCategories: string[]
  hotSpots: DecidedSpot[]
  notes: string
  decidedAt: string
  version: number
  locked: boolean
}

export interface DecisionVersion {
  version: number
  decidedAt: string
  decidedBy: { id: number; username: string } | null
  late: boolean
  focusCategories: string[]
  hotSpots: HotSpotInput[]
  notes: string
}

export interface FollowupWeek { isoWeek: string; count: number; restOfCity: number; partial: boolean; low: number; high: number }

export interface FollowupSpot {
  index: number
  placeId?: number
  radiusM?: number
  geometry?: PolygonGeometry
  label?: string
  name: string | null
  responsibleOrgId?: number
  action: string
  actionStatus: ActionStatus
  actionComment?: string
  visits: number
  visitsByOrganisation: Array<{ organisationId: number; visits: number }>
  baseline: number
  baselineLow: number
  baselineHigh: number
  weeks: FollowupWeek[]
  assessment: { weeks: string[]; observed: number; expected: number; pValue: number | null; verdict: 'higher' | 'lower' | 'no_change_shown' | 'not_yet'; peakBefore: boolean }
}

export interface Followup { week: string; decided: boolean; category: string[] | null; hotSpots: FollowupSpot[] }
