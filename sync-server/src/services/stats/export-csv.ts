import type { StatsFilter } from '@lagesbild/domain'
import type { Db } from '../../db/connection.ts'
import { categoryLabels, exportStream } from './export-rows.ts'
import { localIso } from './local-format.ts'

/**
 * CSV for Swedish Excel: UTF-8 with a BOM (else Excel reads it as Windows-1252), semicolons (the list
 * separator where the decimal mark is a comma), CRLF, decimal commas, local "YYYY-MM-DD HH:MM" that Excel reads
 * as a date and time. Text that starts like a formula is prefixed with an apostrophe (OWASP: CSV injection).
 */
export function csvExport(db: Db, f: StatsFilter, withDescription: boolean, timeZone: string): ReadableStream<Uint8Array> {
  const labels = categoryLabels(db)
  const header = ['id', 'kategori', 'kategorinamn', 'tidpunkt', 'datum', 'klockslag', 'veckodag', 'vecka', 'plats_id', 'plats',
    'organisation_id', 'organisation', 'latitud', 'longitud', ...(withDescription ? ['beskrivning'] : [])]
  return exportStream(db, f, {
    head: '\uFEFF' + csvLine(header),
    row: r => {
      const local = localIso(r.occurred_at, timeZone)
      return csvLine([r.id, r.category, text(labels.get(r.category) ?? r.category), `${r.local_date} ${local.time}`, r.local_date, local.time,
        String(r.local_weekday), r.iso_week, r.place_id === null ? '' : String(r.place_id), text(r.place_name ?? ''),
        String(r.organisation_id), text(r.organisation_name), decimal(r.lat), decimal(r.lon),
        ...(withDescription ? [text(r.description)] : [])])
    },
    tail: '',
  })
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(';') + '\r\n'
}

function csvField(value: string): string {
  return /[";\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/**
 * Free text that a spreadsheet would run as a formula gets a leading apostrophe: = + - @ (and their full-width
 * forms, which some spreadsheets fold to ASCII), | (DDE), tab and carriage return.
 */
export function text(value: string): string {
  return /^[=+\-@|\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value
}

const decimal = (n: number) => String(n).replace('.', ',')
