// keyboard.svelte.ts: which staff field the on-screen keyboard types into (one at a
// time), and the language of its letters.

import { getContext, setContext } from 'svelte'
import { isLanguageCode, type LanguageCode } from '../i18n'

/** The field the on-screen keyboard is open under, by its id; empty when none is. */
export const typing = $state({ field: '' })

const languageKey = Symbol('staff-language')

/** provideLanguage makes language (read when needed) the keyboard's for the fields inside. */
export function provideLanguage(language: () => string): void {
  setContext(languageKey, language)
}

/** keyboardLanguage is the language the surrounding staff entry speaks; English outside one. */
export function keyboardLanguage(): () => LanguageCode {
  const language = getContext<(() => string) | undefined>(languageKey)
  return () => {
    const code = language?.() ?? 'en'
    return isLanguageCode(code) ? code : 'en'
  }
}
