import type { OrgKind } from '@lagesbild/domain'

/**
 * What a year of EST reports in Helsingborg looks like, as weights: how common each category is, when
 * (season, weekday, hour, special nights), where (the demo places) and who reports it. Invented but
 * shaped after what municipalities publish: litter, vandalism and gatherings dominate; nights and weekends
 * are busy; summer brings gatherings and litter; autumn brings fires; New Year's Eve and Walpurgis Night stand out.
 */

export const DEMO_ORGS: ReadonlyArray<{ key: OrgKey; name: string; kind: OrgKind }> = [
  { key: 'municipal', name: 'Kommunen', kind: 'municipal' },
  { key: 'police', name: 'Polisen Helsingborg', kind: 'police' },
  { key: 'security', name: 'Nattvakten Bevakning AB', kind: 'security' },
  { key: 'property', name: 'Stadsbo Fastigheter AB', kind: 'property' },
  { key: 'transport', name: 'Sundslinjen Kollektivtrafik', kind: 'transport' },
]
export type OrgKey = 'municipal' | 'police' | 'security' | 'property' | 'transport'

type Tag = 'centre' | 'transit' | 'night' | 'park' | 'suburb' | 'mall' | 'venue'

/** Popularity and character of each demo place, by its id in DEMO_PLACES. */
export const PLACE_TRAITS: Record<number, { weight: number; tags: Tag[] }> = {
  1: { weight: 10, tags: ['centre', 'night'] },        // Stortorget
  2: { weight: 10, tags: ['transit', 'centre'] },      // Knutpunkten
  3: { weight: 3, tags: ['park', 'centre'] },          // Kärnan
  4: { weight: 6, tags: ['centre', 'night'] },         // Hamntorget
  5: { weight: 5, tags: ['transit', 'centre'] },       // Sundstorget
  6: { weight: 6, tags: ['night', 'park'] },           // Norra hamnen
  7: { weight: 5, tags: ['park'] },                    // Gröningen
  8: { weight: 3, tags: ['venue'] },                   // Olympia
  9: { weight: 7, tags: ['night', 'centre'] },         // Söder, Södergatan
  10: { weight: 3, tags: ['venue'] },                  // Helsingborg Arena
  11: { weight: 2, tags: ['park'] },                   // Fredriksdal
  12: { weight: 2, tags: ['suburb'] },                 // Slottshöjden
  13: { weight: 2, tags: ['suburb'] },                 // Tågaborg
  14: { weight: 3, tags: ['suburb'] },                 // Eneborg
  15: { weight: 3, tags: ['suburb'] },                 // Husensjö
  16: { weight: 3, tags: ['suburb'] },                 // Närlunda
  17: { weight: 6, tags: ['suburb'] },                 // Drottninghög
  18: { weight: 5, tags: ['suburb'] },                 // Dalhem
  19: { weight: 3, tags: ['suburb'] },                 // Planteringen
  20: { weight: 4, tags: ['suburb'] },                 // Berga
  21: { weight: 4, tags: ['suburb'] },                 // Rosengården
  22: { weight: 3, tags: ['suburb'] },                 // Miatorp
  23: { weight: 2, tags: ['park'] },                   // Ramlösa brunnspark
  24: { weight: 2, tags: ['park', 'suburb'] },         // Råå
  25: { weight: 2, tags: ['suburb'] },                 // Mariastaden
  26: { weight: 5, tags: ['mall', 'transit'] },        // Väla centrum
  27: { weight: 2, tags: ['suburb'] },                 // Ödåkra
  28: { weight: 1, tags: ['park'] },                   // Sofiero
}

type HourProfile = readonly number[]
// Relative frequency per local hour 0–23.
const NIGHT: HourProfile = [9, 8, 6, 4, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10]
const EVENING: HourProfile = [3, 2, 1, 1, 0.5, 0.5, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 9, 9, 8, 7, 6, 4]
const DAY: HourProfile = [0.5, 0.3, 0.2, 0.2, 0.3, 1, 3, 6, 8, 8, 8, 7, 7, 7, 7, 6, 6, 5, 4, 3, 2, 2, 1, 1]
const FOUND_IN_MORNING: HourProfile = [0.5, 0.3, 0.3, 0.3, 0.5, 2, 6, 10, 10, 8, 6, 5, 4, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1, 1]

/** By month (1–12): a season's weight. */
type Season = readonly number[]
const FLAT: Season = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
const SUMMER: Season = [0.5, 0.5, 0.7, 0.9, 1.3, 1.9, 2.2, 2, 1.3, 0.9, 0.6, 0.6]
const AUTUMN_FIRES: Season = [1.2, 0.7, 0.7, 0.8, 0.8, 0.9, 0.9, 0.9, 1.1, 1.7, 1.9, 1.6]
const MILD_SUMMER: Season = [0.8, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.2, 1.1, 1, 0.9, 0.9]

export interface CategoryModel {
  weight: number
  hours: HourProfile
  season: Season
  /** how much busier Friday and Saturday nights are (× on Fri/Sat 21–23 and Sat/Sun 00–03) */
  weekendNights: number
  tags: Partial<Record<Tag, number>>
  orgs: Partial<Record<OrgKey, number>>
  texts: readonly string[]
}

export const CATEGORY_MODEL: Record<string, CategoryModel> = {
  gathering: { weight: 14, hours: NIGHT, season: SUMMER, weekendNights: 2.5, tags: { centre: 3, night: 3, park: 3, transit: 2, mall: 1, suburb: 1 },
    orgs: { security: 5, police: 2, transport: 2, municipal: 1 }, texts: ['Större grupp ungdomar samlade, högljudda.', 'Grupp som samlas kvällstid och stör förbipasserande.', 'Samling vid bänkarna, flaskor och musik.'] },
  vandalism: { weight: 13, hours: FOUND_IN_MORNING, season: MILD_SUMMER, weekendNights: 1.5, tags: { suburb: 3, centre: 2, transit: 2, park: 2 },
    orgs: { property: 5, municipal: 3, transport: 2, security: 2 }, texts: ['Krossad ruta i entrédörr.', 'Sönderslagen belysningsstolpe.', 'Förstörd papperskorg och bänk.'] },
  graffiti: { weight: 12, hours: FOUND_IN_MORNING, season: MILD_SUMMER, weekendNights: 1, tags: { suburb: 3, transit: 3, centre: 2, park: 1 },
    orgs: { municipal: 5, property: 4, transport: 3 }, texts: ['Nytt klotter på fasaden.', 'Taggar på busskur.', 'Klotter på elskåp.'] },
  littering: { weight: 14, hours: DAY, season: SUMMER, weekendNights: 1, tags: { park: 4, centre: 3, night: 2, suburb: 1, mall: 1 },
    orgs: { municipal: 7, property: 2, security: 1 }, texts: ['Mycket skräp efter helgen.', 'Dumpade sopsäckar.', 'Glasflaskor och förpackningar i gräset.'] },
  arson: { weight: 4, hours: NIGHT, season: AUTUMN_FIRES, weekendNights: 1.8, tags: { suburb: 5, park: 1, centre: 1 },
    orgs: { property: 4, police: 3, municipal: 2, security: 1 }, texts: ['Brand i container, släckt av räddningstjänsten.', 'Eld i papperskorg.', 'Brand i soprum.'] },
  drugs: { weight: 7, hours: EVENING, season: FLAT, weekendNights: 1.6, tags: { night: 3, transit: 3, centre: 2, park: 2, suburb: 1 },
    orgs: { police: 4, security: 4, transport: 1 }, texts: ['Misstänkt langning.', 'Hittade sprutor i buskaget.', 'Personer som röker cannabis öppet.'] },
  disorder: { weight: 10, hours: NIGHT, season: MILD_SUMMER, weekendNights: 3, tags: { night: 5, centre: 3, transit: 2, venue: 2, suburb: 1 },
    orgs: { security: 5, police: 3, transport: 2 }, texts: ['Bråk utanför krogen.', 'Berusade personer som stör.', 'Högljutt stök sent på kvällen.'] },
  violence: { weight: 4, hours: NIGHT, season: MILD_SUMMER, weekendNights: 3, tags: { night: 5, centre: 2, transit: 2, suburb: 1 },
    orgs: { police: 6, security: 3 }, texts: ['Misshandel, polis på plats.', 'Hot mot förbipasserande.', 'Slagsmål mellan två personer.'] },
  robbery: { weight: 1, hours: NIGHT, season: FLAT, weekendNights: 2, tags: { night: 3, transit: 3, centre: 2, suburb: 1 },
    orgs: { police: 8, security: 1 }, texts: ['Rån av mobiltelefon.', 'Rånförsök vid hållplatsen.'] },
  theft: { weight: 6, hours: DAY, season: FLAT, weekendNights: 1, tags: { mall: 5, centre: 2, transit: 2, suburb: 2 },
    orgs: { security: 4, property: 3, police: 2 }, texts: ['Cykelstöld.', 'Inbrott i förråd.', 'Snatteri, gärningspersonen försvann.'] },
  staff_incident: { weight: 3, hours: EVENING, season: FLAT, weekendNights: 1.5, tags: { transit: 5, mall: 2, centre: 1 },
    orgs: { transport: 6, security: 3, municipal: 1 }, texts: ['Chaufför hotad av passagerare.', 'Väktare utsatt för hot.', 'Personal trakasserad vid kontroll.'] },
  traffic: { weight: 6, hours: EVENING, season: SUMMER, weekendNights: 1.3, tags: { suburb: 3, centre: 2, mall: 2, park: 1 },
    orgs: { police: 4, municipal: 2, security: 1, transport: 1 }, texts: ['Mopeder i hög fart på gångvägen.', 'Buskörning med A-traktor.', 'Bil parkerad på cykelbanan.'] },
  unsafe_place: { weight: 5, hours: DAY, season: [1.6, 1.4, 1.1, 0.9, 0.7, 0.6, 0.6, 0.7, 0.9, 1.2, 1.5, 1.7], weekendNights: 1, tags: { suburb: 3, park: 3, transit: 1 },
    orgs: { municipal: 6, property: 3 }, texts: ['Trasig belysning på gångvägen.', 'Igenvuxet buskage skymmer sikten.', 'Mörk passage som upplevs otrygg.'] },
  event: { weight: 1, hours: EVENING, season: [0.5, 0.5, 0.7, 0.8, 1.2, 1.6, 1.8, 1.6, 1.2, 0.8, 0.7, 1.4], weekendNights: 1.5, tags: { venue: 6, centre: 2, park: 2 },
    orgs: { police: 3, security: 3, municipal: 2 }, texts: ['Konsert med många besökare.', 'Match på arenan, förhöjd risk.', 'Marknad på torget.'] },
}

/** Weekday (1 = Monday) weight of a day. */
export const WEEKDAY_WEIGHT = [0, 0.9, 0.9, 0.95, 1, 1.2, 1.35, 1.05]

/** Nights that stand out, by MM-DD: Walpurgis, end of school, Midsummer-ish, Halloween, New Year. */
export const SPECIAL_DAYS: Record<string, { factor: number; categories: readonly string[] }> = {
  '04-30': { factor: 3, categories: ['gathering', 'disorder', 'littering'] },
  '06-12': { factor: 3, categories: ['gathering', 'disorder', 'littering'] },
  '06-19': { factor: 2, categories: ['gathering', 'disorder', 'littering'] },
  '10-31': { factor: 3, categories: ['vandalism', 'arson', 'disorder'] },
  '12-31': { factor: 5, categories: ['disorder', 'arson', 'violence', 'vandalism'] },
  '01-01': { factor: 3, categories: ['disorder', 'arson', 'littering'] },
}

/**
 * Emerging hot-spots: a category at a place that rises over the last four weeks, so the change view and
 * the weekly report have something to find. `perWeek` is the extra count in the last week at demo scale.
 */
export const EMERGING: ReadonlyArray<{ category: string; placeId: number; perWeek: number }> = [
  { category: 'drugs', placeId: 9, perWeek: 14 },
  { category: 'arson', placeId: 17, perWeek: 9 },
]
