import type { Component } from 'vue'
import {
  Ban, BadgeAlert, CalendarDays, Car, Flame, HandCoins, Hammer, House, Pill, ShieldAlert, SprayCan, Trash2, UserRoundX, Users,
} from 'lucide-vue-next'

/** An icon per default category; categories an admin adds get the generic one. */
const ICONS: Record<string, Component> = {
  gathering: Users,
  vandalism: Hammer,
  graffiti: SprayCan,
  littering: Trash2,
  arson: Flame,
  drugs: Pill,
  disorder: BadgeAlert,
  violence: ShieldAlert,
  robbery: HandCoins,
  theft: House,
  staff_incident: UserRoundX,
  traffic: Car,
  unsafe_place: Ban,
  event: CalendarDays,
}

export function categoryIcon(code: string): Component {
  return ICONS[code] ?? BadgeAlert
}
