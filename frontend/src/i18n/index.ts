// The message catalogues, one JSON file per language, and lookups into them.
// Every string the kiosk shows comes from here; i18n.test.ts checks that all
// catalogues have exactly the same keys.

import az from './az.json'
import en from './en.json'
import et from './et.json'
import ru from './ru.json'

/** A key of the catalogues; English is the reference the others are checked against. */
export type MessageKey = keyof typeof en

/** One language's messages. */
export type Catalogue = Record<MessageKey, string>

/** Every catalogue by its ISO 639-1 code. */
export const catalogues = { et, en, ru, az } satisfies Record<string, Catalogue>

/** The code of a language the frontend has a catalogue for. */
export type LanguageCode = keyof typeof catalogues

/** The languages with a catalogue, in the order the attract screen cycles through them. */
export const languageCodes: readonly LanguageCode[] = ['et', 'en', 'ru', 'az']

/** A language the resident can choose: its code and its name in itself. */
export interface Language {
  code: LanguageCode
  name: string
}

/** isLanguageCode tells whether the frontend has a catalogue for code. */
export function isLanguageCode(code: string): code is LanguageCode {
  return Object.hasOwn(catalogues, code)
}

/** translate returns the message for key in the language code. */
export function translate(code: LanguageCode, key: MessageKey): string {
  return catalogues[code][key]
}

/** builtInLanguages lists every language with a catalogue, named by its own catalogue. */
export function builtInLanguages(): Language[] {
  return languageCodes.map((code) => ({ code, name: translate(code, 'language.name') }))
}
