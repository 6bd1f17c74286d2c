const EARTH_RADIUS_M = 6_371_008.8

export interface LatLon { lat: number; lon: number }

/** Great-circle distance in metres (haversine); ample for sorting places a few km apart. */
export function distanceM(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

export function sortByDistance<T extends LatLon>(items: readonly T[], from: LatLon): Array<T & { distanceM: number }> {
  return items
    .map(item => ({ ...item, distanceM: distanceM(from, item) }))
    .sort((x, y) => x.distanceM - y.distanceM)
}
