import type { z } from 'zod'
import type { PolygonGeometry as PolygonSchema } from '@lagesbild/domain'

// The loop's API shapes as the meeting page names them (domain/schemas/loop).
export type {
  ActionStatus, Followup, FollowupHotSpot as FollowupSpot, HotSpot as DecidedSpot, HotSpotInput,
  PriorityVersion as DecisionVersion, WeeklyPriority as Decision,
} from '@lagesbild/domain'
export type PolygonGeometry = z.infer<typeof PolygonSchema>
