import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import App from '../App.svelte'
import { normalizeState, type State } from '../state'
import { SessionStore } from '../stores/session.svelte'
import { fakeFacade, languageIn, sessionIn } from '../testing/fakes'
import IdleWarning from './IdleWarning.svelte'

/** A session whose Polls the test answers one by one. */
function polledSession(first: Partial<State>) {
  const facade = fakeFacade()
  const answers: ((s: State) => void)[] = []
  facade.Poll = vi.fn(() => new Promise<State>((resolve) => answers.push(resolve)))
  const session = new SessionStore(facade)
  session.apply(normalizeState({ seq: 7, language: 'en', ...first }))
  const stop = session.start()
  /** answer resolves the Poll waiting now with the state as it was, but for partial. */
  const answer = async (partial: Partial<State>) => {
    answers.shift()!(normalizeState({ ...session.state, ...partial }))
    await vi.advanceTimersByTimeAsync(0)
  }
  return { session, facade, answer, stop }
}

function warning(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-idle-warning]')
}

describe('IdleWarning', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('appears 15 s before the timeout, counts down with the backend, and goes when the resident answers', async () => {
    const { session, facade, answer, stop } = polledSession({ screen: 'results', idleRemainingSeconds: 17 })
    render(IdleWarning, { session, language: languageIn('en') })
    expect(warning()).toBeNull()

    await answer({ idleRemainingSeconds: 16 })
    expect(warning()).toBeNull()
    await answer({ idleRemainingSeconds: 15 })
    expect(screen.getByRole('alertdialog', { name: 'Are you still there?' })).toBe(warning())
    expect(screen.getByText('The screen will clear in 15 s')).toBeTruthy()
    await answer({ idleRemainingSeconds: 14 })
    expect(warning()?.dataset.seconds).toBe('14')
    expect(screen.getByText('The screen will clear in 14 s')).toBeTruthy()
    // The same seq all along: the countdown is the only change.
    expect(session.state.seq).toBe(7)

    await fireEvent.click(screen.getByRole('button', { name: "I'm still here" }))
    expect(facade.Touch).toHaveBeenCalledOnce()
    expect(warning()).toBeNull()
    // A Poll answered before the Touch arrived does not bring it back…
    await answer({ idleRemainingSeconds: 13 })
    expect(warning()).toBeNull()
    // …and once the backend's timer restarted, it comes again when the time runs short again.
    await answer({ idleRemainingSeconds: 60 })
    expect(warning()).toBeNull()
    await answer({ idleRemainingSeconds: 15 })
    expect(warning()?.dataset.seconds).toBe('15')
    stop()
  })

  it('stays when Touch fails, with the error', async () => {
    const { session, facade } = sessionIn({ screen: 'identify', idleRemainingSeconds: 9 })
    facade.Touch.mockRejectedValueOnce(new Error('internal'))
    render(IdleWarning, { session, language: languageIn('ru') })
    expect(screen.getByText('Экран очистится через 9 с')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Я ещё здесь' }))
    expect(session.error).toBe('internal')
    expect(warning()).toBeTruthy()
  })

  it('goes with the session: back on attract there is none', async () => {
    const { session, answer, stop } = polledSession({ screen: 'verify', verify: { colour: 'red', reason: 'signature' }, idleRemainingSeconds: 3 })
    render(IdleWarning, { session, language: languageIn('en') })
    expect(warning()).toBeTruthy()
    await answer({ seq: 8, screen: 'attract', verify: undefined, idleRemainingSeconds: undefined })
    expect(warning()).toBeNull()
    stop()
  })

  it('asks in the second half of a timeout shorter than 30 s', async () => {
    const { session, answer, stop } = polledSession({ screen: 'identify', idleTimeoutSeconds: 10, idleRemainingSeconds: 10 })
    render(IdleWarning, { session, language: languageIn('en') })
    await answer({ idleRemainingSeconds: 6 })
    expect(warning()).toBeNull()
    await answer({ idleRemainingSeconds: 5 })
    expect(warning()?.dataset.seconds).toBe('5')
    stop()
  })

  it('never shows on attract', () => {
    const { session } = sessionIn({ screen: 'attract', idleRemainingSeconds: 5 })
    render(IdleWarning, { session, language: languageIn('en') })
    expect(warning()).toBeNull()
  })

  it('is part of the shell on every screen after attract', () => {
    const { session } = sessionIn({ screen: 'printing', language: 'et', print: { jobs: [], done: false }, idleRemainingSeconds: 12 })
    render(App, { session, language: languageIn('et'), guard: false })
    expect(warning()?.dataset.seconds).toBe('12')
    expect(screen.getByRole('button', { name: 'Olen veel siin' }).dataset.action).toBe('still-here')
  })
})

