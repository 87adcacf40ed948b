// forms.ts: reading what the clerk types into the commission's forms. Only the shape
// is checked here; the backend decides whether a value is acceptable.

/** isDate tells whether s is a calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim())
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

/**
 * number reads a decimal number as people write it, with a point or a comma and
 * spaces between thousands; undefined when s is not one.
 */
export function number(s: string): number | undefined {
  const v = decimal(s)
  return v === undefined ? undefined : Number(v)
}

/**
 * minorUnits reads an amount of money ("1500", "1 500,50") as a whole number of minor
 * units (kopecks): undefined when it is not a positive amount with at most two decimals.
 */
export function minorUnits(s: string): number | undefined {
  const v = s.replace(/[\s\u00a0]/g, '').replace(',', '.')
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(v)
  if (!m) return undefined
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return minor > 0 && Number.isSafeInteger(minor) ? minor : undefined
}

/**
 * decimal returns a decimal number as typed, in the form the backend reads (a point,
 * no spaces), keeping its digits ("74,20" → "74.20"); undefined when s is not one.
 */
export function decimal(s: string): string | undefined {
  const v = s.replace(/[\s\u00a0]/g, '').replace(',', '.')
  return /^-?\d+(\.\d+)?$/.test(v) ? v : undefined
}

/** shortTime shows an RFC 3339 time as its date and minutes ("2026-11-22 18:05"), other text as it is. */
export function shortTime(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s)
  return m ? `${m[1]} ${m[2]}` : s
}

/** money shows an amount in minor units with two decimals and its currency ("1500.50 RUB"). */
export function money(minor: number, currency: string): string {
  return `${Math.trunc(minor / 100)}.${String(Math.abs(minor % 100)).padStart(2, '0')} ${currency}`
}
