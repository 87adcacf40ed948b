import { describe, expect, it, vi } from 'vitest'
import { LanguageStore } from './language.svelte'

describe('LanguageStore', () => {
  it('starts in the first built-in language, not chosen', () => {
    const language = new LanguageStore()
    expect(language.offered.map((l) => l.code)).toEqual(['et', 'en', 'ru', 'az'])
    expect(language.current).toBe('et')
    expect(language.chosen).toBe(false)
    expect(language.t('attract.title')).toBe('Sisestage oma ID-kaart')
  })

  it('next wraps around', () => {
    const language = new LanguageStore()
    const seen = []
    for (let i = 0; i < 5; i++) {
      seen.push(language.current)
      language.next()
    }
    expect(seen).toEqual(['et', 'en', 'ru', 'az', 'et'])
  })

  it('load takes the backend list', async () => {
    const language = new LanguageStore()
    await language.load(async () => [
      { code: 'ru', name: 'Русский' },
      { code: 'en', name: 'English' },
    ])
    expect(language.offered.map((l) => l.code)).toEqual(['ru', 'en'])
    expect(language.current).toBe('ru')
  })

  it('load keeps a choice the backend still offers', async () => {
    const language = new LanguageStore()
    language.choose('en')
    await language.load(async () => [
      { code: 'ru', name: 'Русский' },
      { code: 'en', name: 'English' },
    ])
    expect([language.current, language.chosen]).toEqual(['en', true])
  })

  it('load drops a choice the backend no longer offers', async () => {
    const language = new LanguageStore()
    language.choose('az')
    await language.load(async () => [{ code: 'en', name: 'English' }])
    expect([language.current, language.chosen]).toEqual(['en', false])
  })

  it('load keeps the built-in languages when the backend fails or offers none', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const language = new LanguageStore()
    await language.load(async () => {
      throw new Error('no backend')
    })
    await language.load(async () => [])
    expect(language.offered.map((l) => l.code)).toEqual(['et', 'en', 'ru', 'az'])
    expect(error).toHaveBeenCalledOnce()
    error.mockRestore()
  })
})
