// format.ts: dates and numbers as the resident reads them, the same in every language.

/**
 * formatDate writes an ISO date (YYYY-MM-DD, or a partial YYYY-MM or YYYY as registries
 * keep some birth dates) day first with dots: 2021-06-11 → 11.06.2021. Anything else is
 * shown as given.
 */
export function formatDate(iso: string | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso)
  if (!m) return iso
  const [, y, mo, d] = m
  return [d, mo, y].filter((p) => p !== undefined).join('.')
}

/** fill puts values into a message's {name} placeholders. */
export function fill(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
