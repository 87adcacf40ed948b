// fakes.ts: a façade that records its calls, and sessions on it in a given state, for the
// screens' and the shell's tests.

import { vi, type Mock } from 'vitest'
import type { Facade } from '../backend'
import { normalizeState, type State } from '../state'
import { LanguageStore } from '../stores/language.svelte'
import { SessionStore } from '../stores/session.svelte'

/** A Facade whose every method is a mock that resolves. */
export type FakeFacade = { [K in keyof Facade]: Mock<Facade[K]> }

/** fakeFacade returns a façade whose methods resolve at once; Poll never resolves unless replaced. */
export function fakeFacade(): FakeFacade {
  const ok = () => vi.fn(async () => {})
  return {
    Poll: vi.fn(() => new Promise<State>(() => {})),
    Touch: ok(),
    Start: ok(),
    ChooseLanguage: ok(),
    InsertDemoCard: ok(),
    ScanDemoDocument: ok(),
    ScanDemoCertificate: ok(),
    Cancel: ok(),
    ShowPreview: ok(),
    ClosePreview: ok(),
    PrintCertificates: ok(),
    PrintRefusalSlip: ok(),
    OpenClaim: ok(),
    Claim: ok(),
    Finish: ok(),
  }
}

/** sessionIn returns a session on a fake façade showing the state partial fills in. */
export function sessionIn(partial: Partial<State>, facade: FakeFacade = fakeFacade()): { session: SessionStore; facade: FakeFacade } {
  const session = new SessionStore(facade)
  session.apply(normalizeState({ seq: 1, language: 'en', ...partial }))
  return { session, facade }
}

/** languageIn returns a language store that speaks code, as after the backend named it. */
export function languageIn(code: 'et' | 'en' | 'ru' | 'az' = 'en'): LanguageStore {
  const language = new LanguageStore()
  language.choose(code)
  return language
}
