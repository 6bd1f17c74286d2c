import { useI18n } from 'vue-i18n'
import type { ReportLocation } from '@lagesbild/domain'
import { useReviewContext } from './review-context'

/** Words for the values in a revision or an amendment ("Kategori: Skadegörelse → Klotter"). */
export function useChangeText() {
  const { t, te } = useI18n()
  const ctx = useReviewContext()

  function value(field: string, v: unknown): string {
    if (v === null || v === undefined || v === '') return t('review.history.empty')
    switch (field) {
      case 'category': return ctx.categoryLabel(String(v))
      case 'placeId': return ctx.placeName(Number(v)) ?? String(v)
      case 'occurredAt': return ctx.formatTime(String(v))
      case 'status': return te(`review.status.${String(v)}`) ? t(`review.status.${String(v)}`) : String(v)
      case 'policeNotified': return v ? t('review.detail.yes') : t('review.detail.no')
      case 'location': {
        const l = v as ReportLocation
        return t('review.detail.position', { lat: l.lat.toFixed(5), lon: l.lon.toFixed(5) })
      }
      case 'sources': return Array.isArray(v) ? String(v.length) : String(v)
      default: return typeof v === 'string' ? v : JSON.stringify(v)
    }
  }

  function fieldName(field: string): string {
    return te(`review.field.${field}`) ? t(`review.field.${field}`) : field
  }

  /** One line per changed field, skipping what is not a {from, to} pair. */
  function lines(changes: Record<string, unknown>): string[] {
    return Object.entries(changes).flatMap(([field, change]) => {
      if (!change || typeof change !== 'object' || !('to' in change)) return []
      const c = change as { from?: unknown; to: unknown }
      return [t('review.history.change', { field: fieldName(field), from: value(field, c.from), to: value(field, c.to) })]
    })
  }

  return { value, fieldName, lines }
}
