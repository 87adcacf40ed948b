// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { builtInLanguages, catalogueParts, catalogues, languageCodes, translate } from '.'

const reference = 'en'
const dir = dirname(fileURLToPath(import.meta.url))

/** The catalogue files of one part, by language, read from disk so that a new file is checked too. */
function catalogueFiles(part: string): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>()
  for (const name of readdirSync(join(dir, part)).filter((n) => n.endsWith('.json')).sort()) {
    files.set(name.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, part, name), 'utf8')))
  }
  return files
}

/** differences lists the keys other lacks and the keys it has beyond ref. */
function differences(ref: Record<string, unknown>, other: Record<string, unknown>) {
  const refKeys = Object.keys(ref)
  const otherKeys = Object.keys(other)
  return {
    missing: refKeys.filter((k) => !otherKeys.includes(k)).sort(),
    extra: otherKeys.filter((k) => !refKeys.includes(k)).sort(),
  }
}

describe('differences', () => {
  it('finds a missing and an extra key', () => {
    expect(differences({ a: 'A', b: 'B' }, { a: 'A', c: 'C' })).toEqual({ missing: ['b'], extra: ['c'] })
  })
  it('finds none between equal key sets in any order', () => {
    expect(differences({ a: 'A', b: 'B' }, { b: 'b', a: 'a' })).toEqual({ missing: [], extra: [] })
  })
})

describe('catalogue parts', () => {
  it('are the folders beside index.ts', () => {
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
    expect(folders).toEqual([...catalogueParts].sort())
  })

  it('share no key', () => {
    const seen = new Map<string, string>()
    const clashes: string[] = []
    for (const part of catalogueParts) {
      for (const key of Object.keys(catalogueFiles(part).get(reference) ?? {})) {
        if (seen.has(key)) clashes.push(`${key} in ${seen.get(key)} and ${part}`)
        seen.set(key, part)
      }
    }
    expect(clashes).toEqual([])
  })
})

for (const part of catalogueParts) {
  describe(`${part} catalogues`, () => {
    const files = catalogueFiles(part)

    it('are the four languages, each registered in index.ts', () => {
      expect([...files.keys()].sort()).toEqual(['az', 'en', 'et', 'ru'])
      expect(Object.keys(catalogues).sort()).toEqual([...files.keys()])
      expect([...languageCodes].sort()).toEqual([...files.keys()])
    })

    for (const [code, catalogue] of files) {
      it(`${part}/${code}.json has exactly the keys of ${part}/${reference}.json`, () => {
        expect(differences(files.get(reference)!, catalogue)).toEqual({ missing: [], extra: [] })
      })

      it(`${part}/${code}.json has a non-empty text for every key`, () => {
        const empty = Object.entries(catalogue)
          .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
          .map(([key]) => key)
        expect(empty).toEqual([])
      })
    }
  })
}

describe('catalogues', () => {
  it('name every language in itself', () => {
    const names = builtInLanguages().map((l) => l.name)
    expect(names).toEqual(['Eesti', 'English', 'Русский', 'Azərbaycan'])
  })

  it('translate looks up the language asked for', () => {
    expect(translate('ru', 'attract.title')).toBe('Вставьте ID-карту')
    expect(translate('az', 'attract.title')).toBe('ID kartınızı daxil edin')
  })
})
