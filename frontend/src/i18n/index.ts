// The message catalogues and lookups into them. Each part of the kiosk keeps its
// messages in its own folder, one JSON file per language (resident/ for the
// resident's screens, staff/ for the librarian's and clerk's); a language's
// catalogue is its parts together. Every string the kiosk shows comes from here;
// i18n.test.ts checks that all catalogues have exactly the same keys.

import residentAz from './resident/az.json'
import residentEn from './resident/en.json'
import residentEt from './resident/et.json'
import residentRu from './resident/ru.json'
import staffAz from './staff/az.json'
import staffEn from './staff/en.json'
import staffEt from './staff/et.json'
import staffRu from './staff/ru.json'

const en = { ...residentEn, ...staffEn }
const et = { ...residentEt, ...staffEt }
const ru = { ...residentRu, ...staffRu }
const az = { ...residentAz, ...staffAz }

/** The parts of the catalogues: each is a folder beside this file. */
export const catalogueParts = ['resident', 'staff'] as const

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
