// The frontend's one door to the Go façade (backend/kiosk), through the bindings Wails
// generates into wailsjs/. Outside the kiosk window (unit tests, a plain browser while
// designing) nothing stands behind the bindings, so each call falls back to what the
// frontend knows by itself.

import * as kiosk from '../wailsjs/go/kiosk/App'
import { builtInLanguages, isLanguageCode, type Language } from './i18n'

declare global {
  interface Window {
    /** The bound Go methods, present only inside the Wails window. */
    go?: unknown
  }
}

/** hasBackend tells whether the page runs in the kiosk window with its Go side. */
export function hasBackend(): boolean {
  return typeof window !== 'undefined' && window.go !== undefined
}

/**
 * languages returns the languages the kiosk offers, in the order to show them: the
 * backend's choice, less any the frontend has no catalogue for; the built-in list
 * when there is no backend or it offers none of them.
 */
export async function languages(): Promise<Language[]> {
  if (!hasBackend()) {
    return builtInLanguages()
  }
  const offered: Language[] = []
  for (const { code, name } of await kiosk.Languages()) {
    if (isLanguageCode(code)) {
      offered.push({ code, name })
    }
  }
  return offered.length > 0 ? offered : builtInLanguages()
}
