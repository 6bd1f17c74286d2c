import Feature from 'ol/Feature'
import Polygon, { circular } from 'ol/geom/Polygon'
import VectorLayer from 'ol/layer/Vector'
import VectorSource from 'ol/source/Vector'
import { Fill, Stroke, Style, Text } from 'ol/style'
import { fromLonLat } from 'ol/proj'
import type { HotSpot, HotSpotShape } from '@lagesbild/domain'
import { cssColour } from './base'

/** A hot-spot's shape in the map's projection: a geodesic circle (real metres) or the polygon. */
export function shapeGeometry(shape: HotSpotShape): Polygon {
  if (shape.type === 'Circle') return circular(shape.coordinates, shape.radiusM, 64).transform('EPSG:4326', 'EPSG:3857') as Polygon
  return new Polygon(shape.coordinates.map(ring => ring.map(c => fromLonLat(c))))
}

/** This week's hot-spots as outlined areas numbered in the decision's order, in the warning colour. */
export function hotSpotLayer(spots: readonly HotSpot[]) {
  const colour = cssColour('--danger', '#b3261e')
  const bg = cssColour('--bg', '#ffffff')
  const features = spots.flatMap(spot => (spot.shape ? [new Feature({ geometry: shapeGeometry(spot.shape), label: String(spot.index + 1) })] : []))
  return new VectorLayer({
    source: new VectorSource({ features }),
    zIndex: 1,
    style: f => new Style({
      stroke: new Stroke({ color: colour, width: 2.5, lineDash: [6, 4] }),
      fill: new Fill({ color: 'rgba(179, 38, 30, 0.08)' }),
      text: new Text({ text: String(f.get('label')), font: '700 13px system-ui, sans-serif', fill: new Fill({ color: colour }), stroke: new Stroke({ color: bg, width: 3 }) }),
    }),
  })
}
