// The language area: which languages are offered, which one the screen speaks now, and
// whether the resident chose it or the attract screen is cycling through them.

import { languages as backendLanguages } from '../backend'
import { builtInLanguages, translate, type Language, type LanguageCode, type MessageKey } from '../i18n'

export class LanguageStore {
  /** The languages offered, in the order they are shown and cycled. */
  offered: Language[] = $state(builtInLanguages())
  /** The language the screen speaks now. */
  current: LanguageCode = $state(this.offered[0].code)
  /** Whether the resident chose current; until then the attract screen cycles. */
  chosen = $state(false)

  /** t returns the message for key in the current language. */
  t = (key: MessageKey): string => translate(this.current, key)

  /** tIn returns the message for key in the language code, whatever the current one. */
  tIn = (code: LanguageCode, key: MessageKey): string => translate(code, key)

  /** choose makes code the language of the session. */
  choose = (code: LanguageCode): void => {
    this.current = code
    this.chosen = true
  }

  /** next moves to the following offered language, wrapping around. */
  next = (): void => {
    const i = this.offered.findIndex((l) => l.code === this.current)
    this.current = this.offered[(i + 1) % this.offered.length].code
  }

  /** reset forgets the resident's choice, as when a session ends. */
  reset = (): void => {
    this.chosen = false
    this.current = this.offered[0].code
  }

  /**
   * load asks the backend which languages to offer. On failure the built-in ones stay,
   * so the kiosk always shows a usable screen.
   */
  load = async (fetch: () => Promise<Language[]> = backendLanguages): Promise<void> => {
    let offered: Language[]
    try {
      offered = await fetch()
    } catch (err) {
      console.error('certkiosk: cannot load the languages:', err)
      return
    }
    if (offered.length === 0) {
      return
    }
    this.offered = offered
    if (!this.chosen || !offered.some((l) => l.code === this.current)) {
      this.chosen = false
      this.current = offered[0].code
    }
  }
}
