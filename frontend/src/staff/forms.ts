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
  const v = s.replace(/[\s\u00a0]/g, '').replace(',', '.')
  if (!/^-?\d+(\.\d+)?$/.test(v)) return undefined
  return Number(v)
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
