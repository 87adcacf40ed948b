// state.ts: the State the backend sends (the façade contract's JSON, backend/kiosk/state.go)
// and the empty state the kiosk shows before the backend has answered.

/** The screens the backend can ask for. */
export const screens = [
  'attract',
  'language',
  'identify',
  'fetching',
  'results',
  'preview',
  'printing',
  'done',
  'failed',
  'claim',
  'verify',
] as const

/** The name of a screen. */
export type Screen = (typeof screens)[number]

/** A certificate the person can get now. */
export interface Offer {
  id: string
  kind: string // "vaccination" | "recovery" | "test"
  dose?: number
  doses?: number
  date: string
  validFrom?: string
  validUntil?: string
  source: string // "local" | "federal"
}

/** A kind of certificate refused, with text and next step already in the session's language. */
export interface Refusal {
  kind: string
  reason: string
  text: string
  nextStep: string
}

/** A certificate shown before it is printed. */
export interface Preview {
  offerId: string
  qr: string
  name: string
  birthDate: string
  kind: string
  dose?: number
  doses?: number
  date: string
  validUntil?: string
  uvci: string
  issuer: string
  specimen: boolean
}

/** One document on its way to paper. */
export interface PrintJob {
  id: string
  what: string // "certificate" | "slip" | "receipt"
  state: string // "queued" | "printing" | "printed" | "held" | "failed"
  printerState: string // "ready" | "printing" | "media-empty" | "media-jam" | "offline" | "stopped" | "unknown"
}

/** The session's print jobs and whether all of them have printed. */
export interface PrintView {
  jobs: PrintJob[]
  done: boolean
}

/** Why the session could not go on; queued means a receipt with claimCode was printed. */
export interface Failure {
  reason: string
  queued: boolean
  claimCode?: string
}

/** The result of checking a scanned certificate. */
export interface VerifyView {
  colour: string // "green" | "orange" | "red"
  reason: string
  kind?: string
  name?: string
  birthDate?: string
}

/** A reader, scanner or printer. */
export interface Device {
  kind: string
  name: string
  id: string
  state: string
  simulated: boolean
}

/** Someone the simulated card reader and scanner can present (demo only). */
export interface DemoPerson {
  id: string
  name: string
  scenario: string
}

/** Everything the kiosk shows; the backend is its single source of truth. */
export interface State {
  seq: number
  screen: Screen
  language: string
  demo: boolean
  profile: string
  idleTimeoutSeconds: number
  /** Seconds left before the idle timeout wipes the session; absent while no timer runs (attract). */
  idleRemainingSeconds?: number
  person?: { name: string; birthDate: string }
  fetch?: { step: string; attempt: number }
  offers: Offer[]
  refusals: Refusal[]
  preview?: Preview
  print?: PrintView
  failure?: Failure
  verify?: VerifyView
  staff?: { id: string; name: string; roles: string[] }
  devices: Device[]
  demoPeople: DemoPerson[]
}

/** emptyState is the attract screen with nothing personal: what shows before the first Poll. */
export function emptyState(): State {
  return {
    seq: 0,
    screen: 'attract',
    language: 'et',
    demo: false,
    profile: '',
    idleTimeoutSeconds: 60,
    offers: [],
    refusals: [],
    devices: [],
    demoPeople: [],
  }
}

/**
 * normalizeState makes a state from the backend safe to render: lists are never null and an
 * unknown screen shows as attract, so a newer backend cannot leave the resident on a blank page.
 */
export function normalizeState(raw: Partial<State> | null | undefined): State {
  const s = { ...emptyState(), ...(raw ?? {}) }
  s.offers = s.offers ?? []
  s.refusals = s.refusals ?? []
  s.devices = s.devices ?? []
  s.demoPeople = s.demoPeople ?? []
  if (!(screens as readonly string[]).includes(s.screen)) {
    s.screen = 'attract'
  }
  if (s.print) {
    s.print = { ...s.print, jobs: s.print.jobs ?? [] }
  }
  return s
}
