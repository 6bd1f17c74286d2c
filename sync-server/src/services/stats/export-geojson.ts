import proj4 from 'proj4'
import type { StatsFilter } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { categoryLabels, exportStream } from './export-rows.ts'
import { localIso } from './local-format.ts'

// SWEREF 99 TM, as EPSG and Lantmäteriet define it: UTM zone 33 on GRS 80, SWEREF 99 coinciding with ETRS89/WGS 84 here.
proj4.defs('EPSG:3006', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs')
const toSweref = proj4('EPSG:4326', 'EPSG:3006')

export type ExportCrs = 'EPSG:4326' | 'EPSG:3006'

/** A position in the CRS asked for: [lon, lat] degrees as stored, or SWEREF 99 TM [E, N] in metres to the millimetre. */
export function project(lon: number, lat: number, crs: ExportCrs): [number, number] {
  if (crs === 'EPSG:4326') return [lon, lat]
  const [e, n] = toSweref.forward([lon, lat]) as [number, number]
  return [Math.round(e * 1000) / 1000, Math.round(n * 1000) / 1000]
}

/**
 * A GeoJSON FeatureCollection of the matching reports. In EPSG:3006 it names its CRS the way GIS tools
 * (QGIS, ArcGIS) read it; RFC 7946 readers expect WGS 84, which is the default.
 */
export function geoJsonExport(db: Db, f: StatsFilter, crs: ExportCrs, withDescription: boolean, timeZone: string): ReadableStream<Uint8Array> {
  const labels = categoryLabels(db)
  const head = crs === 'EPSG:3006'
    ? '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3006"}},"features":['
    : '{"type":"FeatureCollection","features":['
  return exportStream(db, f, {
    head,
    row: (r, first) => {
      const local = localIso(r.occurred_at, timeZone)
      const feature = {
        type: 'Feature', id: r.id,
        geometry: { type: 'Point', coordinates: project(r.lon, r.lat, crs) },
        properties: {
          category: r.category, categoryLabel: labels.get(r.category) ?? r.category, occurredAt: local.iso, localDate: r.local_date,
          localTime: local.time, weekday: r.local_weekday, isoWeek: r.iso_week, placeId: r.place_id, placeName: r.place_name,
          organisationId: r.organisation_id, organisationName: r.organisation_name,
          ...(withDescription ? { description: r.description } : {}),
        },
      }
      return (first ? '' : ',') + JSON.stringify(feature)
    },
    tail: ']}',
  })
}
