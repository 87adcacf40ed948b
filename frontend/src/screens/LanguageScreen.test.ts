import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { LanguageStore } from '../stores/language.svelte'
import { sessionIn } from '../testing/fakes'
import LanguageScreen from './LanguageScreen.svelte'

describe('LanguageScreen', () => {
  it('names the languages in themselves and tells the backend the choice', async () => {
    const { session, facade } = sessionIn({ screen: 'language', language: 'et' })
    const language = new LanguageStore()
    render(LanguageScreen, { session, language })
    expect(document.querySelector('[data-screen="language"]')).toBeTruthy()
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Eesti', 'English', 'Русский', 'Azərbaycan'])
    await fireEvent.click(document.querySelector('[data-action="language-ru"]')!)
    expect(facade.ChooseLanguage).toHaveBeenCalledWith('ru')
    expect(language.current).toBe('ru')
  })
})
