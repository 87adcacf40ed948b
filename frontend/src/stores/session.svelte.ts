// The session area: the backend's State, kept current by long-polling Poll, the actions the
// screens take (each one façade call), resident activity sent as Touch, and the display
// settings (large text, high contrast) that last for one resident's session.

import { facade as boundFacade, type Facade } from '../backend'
import { emptyState, normalizeState, type State } from '../state'

/** Options for a SessionStore; tests shorten the intervals. */
export interface SessionOptions {
  /** Least time between two Touch calls, in milliseconds. */
  touchIntervalMs?: number
  /** Wait after a failed Poll before the next, in milliseconds. */
  retryMs?: number
  /** Least time between two Polls that came back unchanged, so a backend that answers at once is not flooded. */
  minPollGapMs?: number
}

/** errorCode returns the stable code a façade method failed with. */
export function errorCode(err: unknown): string {
  if (typeof err === 'string') return err
  if (err instanceof Error) return err.message
  return 'internal'
}

/**
 * How long before the idle timeout the resident is asked whether they are still there, in
 * seconds: 15, or half the timeout when that is shorter, so a short timeout leaves time to act
 * before the question.
 */
export function idleWarningSeconds(idleTimeoutSeconds: number): number {
  return Math.min(15, Math.floor(idleTimeoutSeconds / 2))
}

/** The kinds of printed certificate the demo's simulated scanner can scan. */
export const demoCertificateKinds = ['valid', 'rules', 'forged', 'printed'] as const

/** A kind of demo certificate: green, orange or red on the verify screen, or the one printed last. */
export type DemoCertificateKind = (typeof demoCertificateKinds)[number]

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export class SessionStore {
  /** The state the screens render; emptyState (attract) until the backend answers. */
  state: State = $state(emptyState())
  /** The code of the last action that failed, shown until the next action or screen change. */
  error: string | null = $state(null)
  /** Whether an action is on its way, so buttons are not pressed twice. */
  busy = $state(false)
  /** Larger type for the resident's session. */
  largeText = $state(false)
  /** Black and white with yellow for the resident's session. */
  highContrast = $state(false)
  /** The resident said they are still there; the warning stays away until the backend's timer has restarted. */
  #idleAnswered = $state(false)

  readonly #facade: Facade | null
  readonly #touchIntervalMs: number
  readonly #retryMs: number
  readonly #minPollGapMs: number
  #running = false
  #lastTouch = -Infinity

  constructor(facade: Facade | null = boundFacade(), options: SessionOptions = {}) {
    this.#facade = facade
    this.#touchIntervalMs = options.touchIntervalMs ?? 5000
    this.#retryMs = options.retryMs ?? 1000
    this.#minPollGapMs = options.minPollGapMs ?? 250
  }

  /** connected tells whether a backend stands behind the store. */
  get connected(): boolean {
    return this.#facade !== null
  }

  /**
   * start begins long-polling and returns a function that stops it. Without a backend it
   * does nothing and the state stays on attract.
   */
  start = (): (() => void) => {
    if (!this.#facade || this.#running) {
      return () => {}
    }
    this.#running = true
    void this.#loop(this.#facade)
    return () => {
      this.#running = false
    }
  }

  async #loop(f: Facade): Promise<void> {
    while (this.#running) {
      const after = this.state.seq
      const began = Date.now()
      let next: State
      try {
        next = normalizeState(await f.Poll(after))
      } catch (err) {
        console.error('certkiosk: Poll failed:', err)
        await sleep(this.#retryMs)
        continue
      }
      if (!this.#running) return
      if (next.seq !== after) {
        this.apply(next)
      } else if (next.idleRemainingSeconds !== this.state.idleRemainingSeconds) {
        // Nothing else changed: the idle timer ran on, and the countdown follows it.
        this.#takeIdle(next.idleRemainingSeconds)
      } else if (Date.now() - began < this.#minPollGapMs) {
        await sleep(this.#minPollGapMs)
      }
    }
  }

  /** apply takes a new state from the backend. */
  apply = (next: State): void => {
    const previous = this.state.screen
    if (next.screen !== previous) {
      this.error = null
      if (next.screen === 'attract') {
        // The session is over (finished or idle): its display settings end with it.
        this.largeText = false
        this.highContrast = false
      }
    }
    this.state = next
    this.#takeIdle(next.idleRemainingSeconds)
  }

  #takeIdle(remaining: number | undefined): void {
    this.state.idleRemainingSeconds = remaining
    if (remaining === undefined || remaining > idleWarningSeconds(this.state.idleTimeoutSeconds)) {
      this.#idleAnswered = false
    }
  }

  /**
   * idleWarning is the seconds left when the resident should be asked whether they are still
   * there (the backend's idle timer is within idleWarningSeconds of wiping the session, on any
   * screen but attract), else null.
   */
  get idleWarning(): number | null {
    const left = this.state.idleRemainingSeconds
    const within = idleWarningSeconds(this.state.idleTimeoutSeconds)
    if (this.state.screen === 'attract' || left === undefined || left <= 0 || left > within || this.#idleAnswered) {
      return null
    }
    return left
  }

  /** stillHere answers the idle warning: Touch restarts the backend's idle timer. */
  stillHere = async (): Promise<boolean> => {
    const ok = await this.#call((f) => f.Touch())
    if (ok) this.#idleAnswered = true
    return ok
  }

  /**
   * activity reports the resident's touch or key press to the backend, at most once per
   * touch interval, so the idle timer restarts without a call on every tap.
   */
  activity = (): void => {
    if (!this.#facade) return
    const now = Date.now()
    if (now - this.#lastTouch < this.#touchIntervalMs) return
    this.#lastTouch = now
    this.#facade.Touch().catch((err: unknown) => console.error('certkiosk: Touch failed:', err))
  }

  /** watchActivity listens for pointer and key presses on target; it returns a function that stops. */
  watchActivity = (target: EventTarget = window): (() => void) => {
    const on = () => this.activity()
    target.addEventListener('pointerdown', on, { capture: true })
    target.addEventListener('keydown', on, { capture: true })
    return () => {
      target.removeEventListener('pointerdown', on, { capture: true })
      target.removeEventListener('keydown', on, { capture: true })
    }
  }

  async #call(action: (f: Facade) => Promise<void>): Promise<boolean> {
    if (!this.#facade) return false
    this.error = null
    this.busy = true
    try {
      await action(this.#facade)
      return true
    } catch (err) {
      this.error = errorCode(err)
      return false
    } finally {
      this.busy = false
    }
  }

  toggleLargeText = (): void => {
    this.largeText = !this.largeText
  }

  toggleHighContrast = (): void => {
    this.highContrast = !this.highContrast
  }

  startSession = () => this.#call((f) => f.Start())
  chooseLanguage = (code: string) => this.#call((f) => f.ChooseLanguage(code))
  insertDemoCard = (personID: string) => this.#call((f) => f.InsertDemoCard(personID))
  scanDemoDocument = (personID: string) => this.#call((f) => f.ScanDemoDocument(personID))
  scanDemoCertificate = (kind: DemoCertificateKind) => this.#call((f) => f.ScanDemoCertificate(kind))
  cancel = () => this.#call((f) => f.Cancel())
  showPreview = (offerID: string) => this.#call((f) => f.ShowPreview(offerID))
  closePreview = () => this.#call((f) => f.ClosePreview())
  printCertificates = (offerIDs: string[]) => this.#call((f) => f.PrintCertificates(offerIDs))
  printRefusalSlip = () => this.#call((f) => f.PrintRefusalSlip())
  openClaim = () => this.#call((f) => f.OpenClaim())
  claim = (code: string, birthDate: string) => this.#call((f) => f.Claim(code, birthDate))
  finish = () => this.#call((f) => f.Finish())
}
