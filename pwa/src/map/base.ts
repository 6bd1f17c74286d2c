import 'ol/ol.css'
import OlMap from 'ol/Map'
import View from 'ol/View'
import Feature from 'ol/Feature'
import Point from 'ol/geom/Point'
import TileLayer from 'ol/layer/Tile'
import VectorLayer from 'ol/layer/Vector'
import VectorSource from 'ol/source/Vector'
import XYZ from 'ol/source/XYZ'
import { Circle, Fill, Stroke, Style, Text } from 'ol/style'
import { fromLonLat } from 'ol/proj'
import type { Place } from '@lagesbild/domain'

/** Reads a CSS custom property so map styles follow the light and dark themes. */
export function cssColour(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/**
 * A map with the configured tiles (none when the URL is empty: tests, CI and no coverage) and the named
 * places as a vector layer, so the map stays useful without any tile.
 */
export function createBaseMap(target: HTMLElement, options: { tileUrl: string; places: Place[]; center?: { lat: number; lon: number }; zoom?: number }) {
  const layers = []
  if (options.tileUrl) {
    layers.push(new TileLayer({ source: new XYZ({ url: options.tileUrl, crossOrigin: 'anonymous', attributions: '© OpenStreetMap contributors' }) }))
  }
  const places = placesLayer(options.places)
  layers.push(places)
  const first = options.places[0]
  const center = options.center ?? (first ? { lat: first.lat, lon: first.lon } : { lat: 59.33, lon: 18.07 })
  const map = new OlMap({ target, layers, view: new View({ center: fromLonLat([center.lon, center.lat]), zoom: options.zoom ?? 15, maxZoom: 20 }) })
  return { map, places }
}

export function placesLayer(places: Place[]) {
  const text = cssColour('--text', '#14202b')
  const bg = cssColour('--bg', '#ffffff')
  const source = new VectorSource({
    features: places.map(p => {
      const f = new Feature({ geometry: new Point(fromLonLat([p.lon, p.lat])), name: p.name, placeId: p.id })
      f.setId(`place-${p.id}`)
      return f
    }),
  })
  return new VectorLayer({
    source,
    style: feature => new Style({
      image: new Circle({ radius: 5, fill: new Fill({ color: bg }), stroke: new Stroke({ color: text, width: 2 }) }),
      text: new Text({ text: String(feature.get('name')), offsetY: -14, font: '600 12px system-ui, sans-serif', fill: new Fill({ color: text }), stroke: new Stroke({ color: bg, width: 3 }) }),
    }),
  })
}
