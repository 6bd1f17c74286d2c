import { describe, expect, it } from 'vitest'
import { deskOnlyFiles } from './reporter-precache.ts'

const chunk = (moduleIds: string[], links: { imports?: string[]; dynamicImports?: string[]; css?: string[] } = {}) =>
  ({ moduleIds, imports: links.imports ?? [], dynamicImports: links.dynamicImports ?? [], css: links.css ?? [] })

describe('the desk-only files of a build', () => {
  const chunks = new Map([
    ['index.js', chunk(['/r/pwa/src/main.ts', '/r/pwa/src/locales/sv/home.json'], { imports: ['vue.js'], dynamicImports: ['HomePage.js', 'ReportPage.js', 'SummaryPage.js', 'admin-sv.js', 'home-en.js', 'workbox-window.js'], css: ['index.css'] })],
    ['vue.js', chunk(['/r/node_modules/vue/index.js'])],
    ['workbox-window.js', chunk(['/r/node_modules/workbox-window/index.js'])],
    ['HomePage.js', chunk(['/r/pwa/src/pages/HomePage.vue'], { imports: ['vue.js', 'categories.js'], css: ['HomePage.css'] })],
    ['ReportPage.js', chunk(['/r/pwa/src/pages/ReportPage.vue'], { imports: ['vue.js'], dynamicImports: ['PlacePicker.js'] })],
    ['PlacePicker.js', chunk(['/r/pwa/src/map/PlacePicker.vue'], { imports: ['ol.js'], css: ['ol.css'] })],
    ['ol.js', chunk(['/r/node_modules/ol/Map.js'])],
    ['categories.js', chunk(['/r/pwa/src/components/capture/category-icons.ts'])],
    ['SummaryPage.js', chunk(['/r/pwa/src/pages/SummaryPage.vue?vue&type=script'], { imports: ['vue.js', 'categories.js', 'summary.js'], dynamicImports: ['SummaryMap.js', 'echarts.js'], css: ['SummaryPage.css'] })],
    ['summary.js', chunk(['/r/pwa/src/components/summary/FilterBar.vue'])],
    ['SummaryMap.js', chunk(['/r/pwa/src/map/SummaryMap.vue'], { imports: ['ol.js'], css: ['ol.css', 'SummaryMap.css'] })],
    ['echarts.js', chunk(['/r/node_modules/echarts/core.js'])],
    ['admin-sv.js', chunk(['/r/pwa/src/locales/sv/admin.json'])],
    ['home-en.js', chunk(['/r/pwa/src/locales/en/home.json'])],
  ])

  it('keeps the shell, the capture pages, the map picker and the phone\'s messages in another language, and leaves out what only desk pages reach', () => {
    const desk = deskOnlyFiles(chunks, ['index.js'])
    expect([...desk].sort()).toEqual(['SummaryMap.css', 'SummaryMap.js', 'SummaryPage.css', 'SummaryPage.js', 'admin-sv.js', 'echarts.js', 'summary.js'])
  })

  it('treats a new page as a desk page unless it is listed as a reporter page', () => {
    const withNew = new Map(chunks).set('MeetingPage.js', chunk(['/r/pwa/src/pages/MeetingPage.vue'], { imports: ['vue.js'] }))
    withNew.set('index.js', { ...chunks.get('index.js')!, dynamicImports: [...chunks.get('index.js')!.dynamicImports, 'MeetingPage.js'] })
    expect(deskOnlyFiles(withNew, ['index.js']).has('MeetingPage.js')).toBe(true)
    expect(deskOnlyFiles(withNew, ['index.js']).has('vue.js')).toBe(false)
  })
})
