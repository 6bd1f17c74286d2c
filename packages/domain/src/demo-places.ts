import collection from './data/demo-places.geo.json' with { type: 'json' }

/** Named places and areas in Helsingborg (approximate positions) for demo data, tests and new installations. */
export interface DemoPlace { id: number; name: string; kind: 'place' | 'area'; lon: number; lat: number }

export const DEMO_PLACES: DemoPlace[] = collection.features.map(f => ({
  id: f.id,
  name: f.properties.name,
  kind: f.properties.kind === 'area' ? 'area' : 'place',
  lon: f.geometry.coordinates[0]!,
  lat: f.geometry.coordinates[1]!,
}))
