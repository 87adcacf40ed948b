// @vitest-environment node
// Every word the kiosk shows comes from the catalogues: a component's markup may hold
// expressions, tags and symbols, but no text of its own, and no literal text in the
// attributes that screen readers and browsers show (aria-label, title, placeholder, alt).
// A glyph hidden from screen readers (aria-hidden="true", as on a key whose label the
// catalogue gives) is a symbol, not text.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = join(dirname(fileURLToPath(import.meta.url)), '..')

/** components lists every .svelte file below dir. */
function components(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return components(path)
    return e.name.endsWith('.svelte') ? [path] : []
  })
}

/** withoutExpressions blanks every {…} in markup, nested braces included. */
function withoutExpressions(markup: string): string {
  let out = ''
  let depth = 0
  for (const ch of markup) {
    if (ch === '{') depth++
    if (depth === 0) out += ch
    if (ch === '}' && depth > 0) depth--
  }
  return out
}

/** literals returns the words a component's markup shows that no catalogue gave it. */
export function literals(component: string): string[] {
  const markup = withoutExpressions(
    component
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(\w+)[^>]*\baria-hidden="true"[^>]*>[^<]*<\/\1>/g, ''),
  )
  const found: string[] = []
  for (const m of markup.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]*)"/g)) {
    if (/\p{L}/u.test(m[1])) found.push(m[0])
  }
  const text = markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
  for (const word of text.split(/\s+/)) {
    if (/\p{L}/u.test(word)) found.push(word)
  }
  return found
}

describe('literals', () => {
  it('finds text and labelled attributes written into markup', () => {
    const component = `<script>let a = 'ignored'</script>
      <button aria-label="Close" title={t('x')}>Print {n} copies</button><style>p{}</style>`
    expect(literals(component)).toEqual(['aria-label="Close"', 'Print', 'copies'])
  })
  it('finds none in markup made of expressions, tags and symbols', () => {
    const component = `<p class="big" data-action="print-all">{t('a')} — {n} × {t('b', { n: {m} })} &times; ✓</p>
      <button aria-label={t('clear')}><span class="key" aria-hidden="true">C</span></button>`
    expect(literals(component)).toEqual([])
  })
})

describe('components', () => {
  for (const path of components(src)) {
    it(`${relative(src, path)} shows no text outside the catalogues`, () => {
      expect(literals(readFileSync(path, 'utf8'))).toEqual([])
    })
  }
})
