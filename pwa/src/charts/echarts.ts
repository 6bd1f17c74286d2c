// Only what the summary draws: bars, lines and the weekday × hour heat map, on a canvas.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core'
import { BarChart, HeatmapChart, LineChart, type BarSeriesOption, type HeatmapSeriesOption, type LineSeriesOption } from 'echarts/charts'
import {
  GridComponent, TooltipComponent, VisualMapComponent,
  type GridComponentOption, type TooltipComponentOption, type VisualMapComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer])

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption
>

export function createChart(el: HTMLElement): ECharts {
  return init(el, null, { renderer: 'canvas' })
}
export type { ECharts }
