// The frontend's one door to the Go façade (backend/kiosk), through the bindings Wails
// generates into wailsjs/. Outside the kiosk window (unit tests, a plain browser while
// designing) nothing stands behind the bindings, so each call falls back to what the
// frontend knows by itself.

import * as kiosk from '../wailsjs/go/kiosk/App'
import { builtInLanguages, isLanguageCode, type Language } from './i18n'
import type { State } from './state'

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

/**
 * Facade is the part of the Go façade the resident's screens call, as the contract names
 * it. A method that fails rejects with an Error whose message is a stable code
 * ("not-demo", "busy", …) that the catalogues translate.
 */
export interface Facade {
  Poll(after: number): Promise<State>
  Touch(): Promise<void>
  Start(): Promise<void>
  ChooseLanguage(code: string): Promise<void>
  InsertDemoCard(personID: string): Promise<void>
  ScanDemoDocument(personID: string): Promise<void>
  ScanDemoCertificate(kind: string): Promise<void>
  Cancel(): Promise<void>
  ShowPreview(offerID: string): Promise<void>
  ClosePreview(): Promise<void>
  PrintCertificates(offerIDs: string[]): Promise<void>
  PrintRefusalSlip(): Promise<void>
  OpenClaim(): Promise<void>
  Claim(code: string, birthDate: string): Promise<void>
  Finish(): Promise<void>
}

/** The generated bindings as the Facade; each method is checked against them by the compiler. */
const bound: Facade = {
  // The bindings type the state as Wails model classes; the screens read the contract's
  // plain JSON shape (state.ts), which is what arrives.
  Poll: async (after) => (await kiosk.Poll(after)) as unknown as State,
  Touch: kiosk.Touch,
  Start: kiosk.Start,
  ChooseLanguage: kiosk.ChooseLanguage,
  InsertDemoCard: kiosk.InsertDemoCard,
  ScanDemoDocument: kiosk.ScanDemoDocument,
  ScanDemoCertificate: kiosk.ScanDemoCertificate,
  Cancel: kiosk.Cancel,
  ShowPreview: kiosk.ShowPreview,
  ClosePreview: kiosk.ClosePreview,
  PrintCertificates: kiosk.PrintCertificates,
  PrintRefusalSlip: kiosk.PrintRefusalSlip,
  OpenClaim: kiosk.OpenClaim,
  Claim: kiosk.Claim,
  Finish: kiosk.Finish,
}

/**
 * facade returns the bound Go methods, or null outside the Wails window, where the kiosk
 * stays on its attract screen.
 */
export function facade(): Facade | null {
  return hasBackend() ? bound : null
}
