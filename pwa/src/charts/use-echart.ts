import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue'
import { createChart, type ChartOption, type ECharts } from './echarts'
import { readChartTheme, type ChartTheme } from './theme'

export interface ChartClick { dataIndex: number; value: unknown }

/**
 * Mounts an ECharts instance on `el` and keeps it in step with `build`: re-drawn when its inputs change,
 * when the colour scheme flips (the theme comes from CSS custom properties) and when the element resizes
 * (`build` gets the width, so a phone can have shorter labels than a desktop).
 */
export function useEChart(el: Ref<HTMLElement | null>, build: (theme: ChartTheme, width: number) => ChartOption, onClick?: (e: ChartClick) => void) {
  const chart = shallowRef<ECharts | null>(null)
  const theme = ref<ChartTheme>(readChartTheme())
  const width = ref(0)
  const scheme = window.matchMedia('(prefers-color-scheme: dark)')
  const rethemed = () => { theme.value = readChartTheme() }
  let resizer: ResizeObserver | null = null

  onMounted(() => {
    if (!el.value) return
    const instance = createChart(el.value)
    chart.value = instance
    width.value = el.value.clientWidth
    if (onClick) instance.on('click', params => onClick({ dataIndex: params.dataIndex, value: params.value }))
    instance.setOption(build(theme.value, width.value), { notMerge: true })
    resizer = new ResizeObserver(() => {
      instance.resize()
      width.value = el.value?.clientWidth ?? width.value
    })
    resizer.observe(el.value)
    scheme.addEventListener('change', rethemed)
  })

  watch(() => build(theme.value, width.value), option => chart.value?.setOption(option, { notMerge: true }))

  onBeforeUnmount(() => {
    scheme.removeEventListener('change', rethemed)
    resizer?.disconnect()
    chart.value?.dispose()
    chart.value = null
  })

  return { chart }
}
