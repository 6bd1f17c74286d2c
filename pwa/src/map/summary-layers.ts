// Layers of the summary map: counted reports as clusters or as a heat map, and the area being filtered on.
import Feature from 'ol/Feature'
import Point from 'ol/geom/Point'
import Polygon, { circular, fromExtent } from 'ol/geom/Polygon'
import ImageLayer from 'ol/layer/Image'
import ImageCanvasSource from 'ol/source/ImageCanvas'
import VectorLayer from 'ol/layer/Vector'
import Cluster from 'ol/source/Cluster'
import VectorSource from 'ol/source/Vector'
import { Circle, Fill, Stroke, Style, Text } from 'ol/style'
import { fromLonLat } from 'ol/proj'
import type { FeatureLike } from 'ol/Feature'
import { cssColour } from './base'

/** A counted location: one report, or a grid cell or place with its count. */
export interface CountedPoint { lon: number; lat: number; count: number }

/** The area a summary is filtered on; a polygon is kept alongside its bounding box. */
export interface MapArea { bbox: [number, number, number, number]; polygon?: Array<[number, number]> }

export interface PlaceCircle { lon: number; lat: number; radius: number }

export function pointFeatures(points: CountedPoint[]): Feature<Point>[] {
  return points.map(p => new Feature({ geometry: new Point(fromLonLat([p.lon, p.lat])), count: p.count }))
}

const styleCache = new Map<string, Style>()

function clusterStyle(feature: FeatureLike): Style {
  const members = (feature.get('features') ?? []) as FeatureLike[]
  const total = members.reduce((sum, f) => sum + Number(f.get('count') ?? 1), 0)
  const radius = Math.round(Math.min(26, 9 + Math.sqrt(total) * 1.2))
  const primary = cssColour('--primary', '#0b5cad')
  const onPrimary = cssColour('--primary-text', '#ffffff')
  const key = `${total}|${radius}|${primary}`
  let style = styleCache.get(key)
  if (!style) {
    style = new Style({
      image: new Circle({ radius, fill: new Fill({ color: primary }), stroke: new Stroke({ color: onPrimary, width: 2 }) }),
      text: new Text({ text: total > 1 ? String(total) : '', font: '700 12px system-ui, sans-serif', fill: new Fill({ color: onPrimary }) }),
    })
    styleCache.set(key, style)
  }
  return style
}

export function clusterLayer(source: VectorSource<Feature<Point>>) {
  return new VectorLayer({ source: new Cluster({ distance: 56, minDistance: 20, source }), style: clusterStyle, zIndex: 2 })
}

const HEAT_CELL_PX = 4
const HEAT_BLUR_CELLS = 4
const HEAT_COLOURS = ['#0b5cad', '#2b9fc7', '#f2c14e', '#e4572e', '#b3261e']

/** 256 colours from cool to hot, indexed by density 0–255. */
function heatPalette(): Uint8ClampedArray {
  const c = document.createElement('canvas')
  c.width = 256
  c.height = 1
  const ctx = c.getContext('2d')!
  const g = ctx.createLinearGradient(0, 0, 256, 0)
  HEAT_COLOURS.forEach((colour, i) => g.addColorStop(i / (HEAT_COLOURS.length - 1), colour))
  ctx.fillStyle = g
  ctx.fillRect(0, 0, 256, 1)
  return ctx.getImageData(0, 0, 256, 1).data
}

/** Three passes of a box blur along rows and then columns: close to a Gaussian, and linear in the grid size. */
function blur(grid: Float32Array, w: number, h: number, r: number): void {
  const tmp = new Float32Array(grid.length)
  const pass = (src: Float32Array, dst: Float32Array, len: number, lines: number, at: (line: number, i: number) => number) => {
    for (let line = 0; line < lines; line++) {
      let sum = 0
      for (let i = -r; i <= r; i++) sum += i >= 0 && i < len ? src[at(line, i)]! : 0
      for (let i = 0; i < len; i++) {
        dst[at(line, i)] = sum / (2 * r + 1)
        const out = i - r, inn = i + r + 1
        if (out >= 0) sum -= src[at(line, out)]!
        if (inn < len) sum += src[at(line, inn)]!
      }
    }
  }
  for (let k = 0; k < 3; k++) {
    pass(grid, tmp, w, h, (y, x) => y * w + x)
    pass(tmp, grid, h, w, (x, y) => y * w + x)
  }
}

/**
 * A heat map drawn on a 2D canvas: OpenLayers' own heat-map layer needs WebGL and a blob worker, which the
 * content security policy (worker-src 'self') rightly refuses. Counts go into a coarse grid of the view, are
 * blurred, and coloured relative to the densest spot in view, so the picture works at every zoom.
 */
export function heatLayer(source: VectorSource<Feature<Point>>) {
  let palette: Uint8ClampedArray | null = null
  const image = new ImageCanvasSource({
    ratio: 1,
    canvasFunction: (extent, resolution, pixelRatio, size) => {
      const canvas = document.createElement('canvas')
      canvas.width = size[0] ?? 0
      canvas.height = size[1] ?? 0
      const ctx = canvas.getContext('2d')
      if (!ctx || !canvas.width || !canvas.height) return canvas
      const cell = HEAT_CELL_PX * pixelRatio
      const w = Math.ceil(canvas.width / cell), h = Math.ceil(canvas.height / cell)
      const grid = new Float32Array(w * h)
      const scale = pixelRatio / resolution / cell
      for (const f of source.getFeatures()) {
        const [x = 0, y = 0] = f.getGeometry()?.getCoordinates() ?? []
        const gx = Math.floor((x - extent[0]!) * scale), gy = Math.floor((extent[3]! - y) * scale)
        if (gx >= 0 && gx < w && gy >= 0 && gy < h) grid[gy * w + gx]! += Number(f.get('count') ?? 1)
      }
      blur(grid, w, h, HEAT_BLUR_CELLS)
      let max = 0
      for (const v of grid) if (v > max) max = v
      if (max <= 0) return canvas
      palette ??= heatPalette()
      const small = document.createElement('canvas')
      small.width = w
      small.height = h
      const sctx = small.getContext('2d')!
      const pixels = sctx.createImageData(w, h)
      for (let i = 0; i < grid.length; i++) {
        // A square root lifts the quieter spots into view without flattening the busiest one.
        const level = Math.round(255 * Math.sqrt(grid[i]! / max))
        if (level < 2) continue
        pixels.data.set([palette[level * 4] ?? 0, palette[level * 4 + 1] ?? 0, palette[level * 4 + 2] ?? 0, Math.min(210, level * 1.4)], i * 4)
      }
      sctx.putImageData(pixels, 0, 0)
      ctx.imageSmoothingEnabled = true
      ctx.drawImage(small, 0, 0, w * cell, h * cell)
      return canvas
    },
  })
  source.on('change', () => image.changed())
  return new ImageLayer({ source: image, zIndex: 2, visible: false })
}

/** Place names only when zoomed in far enough for them not to pile up on one another and on the clusters. */
export function summaryPlaceStyle(labelBelowResolution = 12) {
  const text = cssColour('--text', '#14202b')
  const bg = cssColour('--bg', '#ffffff')
  const dot = new Style({ image: new Circle({ radius: 4, fill: new Fill({ color: bg }), stroke: new Stroke({ color: text, width: 2 }) }) })
  return (feature: FeatureLike, resolution: number) => resolution > labelBelowResolution ? dot : new Style({
    image: dot.getImage() ?? undefined,
    text: new Text({ text: String(feature.get('name')), offsetY: -14, font: '600 12px system-ui, sans-serif', fill: new Fill({ color: text }), stroke: new Stroke({ color: bg, width: 3 }) }),
  })
}

export function areaLayer() {
  const primary = cssColour('--primary', '#0b5cad')
  return new VectorLayer({
    source: new VectorSource(),
    zIndex: 3,
    style: new Style({ stroke: new Stroke({ color: primary, width: 3, lineDash: [8, 6] }), fill: new Fill({ color: 'rgba(11, 92, 173, 0.08)' }) }),
  })
}

export function areaFeatures(area: MapArea | null, circle: PlaceCircle | null): Feature[] {
  const out: Feature[] = []
  if (area) {
    const geometry = area.polygon && area.polygon.length >= 3
      ? new Polygon([[...area.polygon, area.polygon[0]!].map(c => fromLonLat(c))])
      : fromExtent(area.bbox).transform('EPSG:4326', 'EPSG:3857')
    out.push(new Feature({ geometry }))
  }
  // A geodesic circle: the radius is in real metres, not Web Mercator units.
  if (circle) out.push(new Feature({ geometry: circular([circle.lon, circle.lat], circle.radius, 64).transform('EPSG:4326', 'EPSG:3857') }))
  return out
}
