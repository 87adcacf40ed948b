// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { builtInLanguages, catalogues, languageCodes, translate } from '.'

const reference = 'en'
const dir = dirname(fileURLToPath(import.meta.url))

/** Every catalogue file in this folder, read from disk so that a new file is checked too. */
function catalogueFiles(): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>()
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    files.set(name.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, name), 'utf8')))
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

describe('catalogues', () => {
  const files = catalogueFiles()

  it('are the four languages, each registered in index.ts', () => {
    expect([...files.keys()].sort()).toEqual(['az', 'en', 'et', 'ru'])
    expect(Object.keys(catalogues).sort()).toEqual([...files.keys()])
    expect([...languageCodes].sort()).toEqual([...files.keys()])
  })

  for (const [code, catalogue] of files) {
    it(`${code}.json has exactly the keys of ${reference}.json`, () => {
      expect(differences(files.get(reference)!, catalogue)).toEqual({ missing: [], extra: [] })
    })

    it(`${code}.json has a non-empty text for every key`, () => {
      const empty = Object.entries(catalogue)
        .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
        .map(([key]) => key)
      expect(empty).toEqual([])
    })
  }

  it('name every language in itself', () => {
    const names = builtInLanguages().map((l) => l.name)
    expect(names).toEqual(['Eesti', 'English', 'Русский', 'Azərbaycan'])
  })

  it('translate looks up the language asked for', () => {
    expect(translate('ru', 'attract.title')).toBe('Вставьте ID-карту')
    expect(translate('az', 'attract.title')).toBe('ID kartınızı daxil edin')
  })
})
