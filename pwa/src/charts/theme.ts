/** Chart colours read from the CSS custom properties, so charts follow the light and dark themes. */
export interface ChartTheme {
  text: string
  muted: string
  border: string
  bg: string
  surface: string
  primary: string
  primarySoft: string
  warning: string
  danger: string
}

function prop(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback
}

export function readChartTheme(): ChartTheme {
  const s = getComputedStyle(document.documentElement)
  return {
    text: prop(s, '--text', '#14202b'),
    muted: prop(s, '--muted', '#4a5866'),
    border: prop(s, '--border', '#b8c2cc'),
    bg: prop(s, '--bg', '#ffffff'),
    surface: prop(s, '--surface', '#f3f5f7'),
    primary: prop(s, '--primary', '#0b5cad'),
    primarySoft: prop(s, '--primary-soft', '#dbe9f7'),
    warning: prop(s, '--warning', '#7a4b00'),
    danger: prop(s, '--danger', '#b3261e'),
  }
}

/** Axis, label and tooltip styling shared by every chart. */
export function baseOption(theme: ChartTheme) {
  return {
    backgroundColor: 'transparent',
    textStyle: { color: theme.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    tooltip: {
      backgroundColor: theme.bg,
      borderColor: theme.border,
      textStyle: { color: theme.text },
    },
    animationDuration: 300,
  }
}

export function axisStyle(theme: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { lineStyle: { color: theme.border } },
    axisLabel: { color: theme.muted },
    splitLine: { lineStyle: { color: theme.border, opacity: 0.5 } },
  }
}
