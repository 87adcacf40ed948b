import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { emptyState, normalizeState, type State } from '../state'
import { fakeFacade } from '../testing/fakes'
import { errorCode, SessionStore } from './session.svelte'

/** A Poll the test answers by hand: each call waits until the test resolves it. */
function manualPoll() {
  const calls: { after: number; resolve: (s: State) => void; reject: (e: unknown) => void }[] = []
  const poll = vi.fn(
    (after: number) =>
      new Promise<State>((resolve, reject) => {
        calls.push({ after, resolve, reject })
      }),
  )
  return { poll, calls }
}

function stateAt(seq: number, partial: Partial<State> = {}): State {
  return normalizeState({ seq, ...partial })
}

describe('SessionStore', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('stays on attract without a backend and calls nothing', async () => {
    const session = new SessionStore(null)
    expect(session.connected).toBe(false)
    const stop = session.start()
    expect(await session.startSession()).toBe(false)
    session.activity()
    await vi.advanceTimersByTimeAsync(5000)
    expect(session.state).toEqual(emptyState())
    stop()
  })

  it('has no backend in a plain page', () => {
    expect(new SessionStore().connected).toBe(false)
  })

  it('long-polls with the last seq and takes each new state', async () => {
    const facade = fakeFacade()
    const { poll, calls } = manualPoll()
    facade.Poll = poll
    const session = new SessionStore(facade)
    const stop = session.start()

    expect(calls.map((c) => c.after)).toEqual([0])
    calls[0].resolve(stateAt(3, { screen: 'language', language: 'ru' }))
    await vi.advanceTimersByTimeAsync(0)
    expect([session.state.seq, session.state.screen, session.state.language]).toEqual([3, 'language', 'ru'])
    expect(calls.map((c) => c.after)).toEqual([0, 3])

    calls[1].resolve(stateAt(4, { screen: 'identify' }))
    await vi.advanceTimersByTimeAsync(0)
    expect(session.state.screen).toBe('identify')
    expect(calls.map((c) => c.after)).toEqual([0, 3, 4])
    stop()
  })

  it('takes a lower seq too, as after the backend restarted', async () => {
    const facade = fakeFacade()
    const { poll, calls } = manualPoll()
    facade.Poll = poll
    const session = new SessionStore(facade)
    session.apply(stateAt(40, { screen: 'results' }))
    const stop = session.start()
    calls[0].resolve(stateAt(1))
    await vi.advanceTimersByTimeAsync(0)
    expect([session.state.seq, session.state.screen]).toEqual([1, 'attract'])
    stop()
  })

  it('waits before polling again after a failed Poll', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const facade = fakeFacade()
    const { poll, calls } = manualPoll()
    facade.Poll = poll
    const session = new SessionStore(facade, { retryMs: 1000 })
    const stop = session.start()
    calls[0].reject(new Error('window closing'))
    await vi.advanceTimersByTimeAsync(999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    expect(session.state.screen).toBe('attract')
    stop()
  })

  it('does not flood a backend that answers an unchanged state at once', async () => {
    const facade = fakeFacade()
    facade.Poll.mockImplementation(async () => stateAt(0))
    const session = new SessionStore(facade, { minPollGapMs: 250 })
    const stop = session.start()
    await vi.advanceTimersByTimeAsync(1000)
    expect(facade.Poll.mock.calls.length).toBeGreaterThanOrEqual(4)
    expect(facade.Poll.mock.calls.length).toBeLessThanOrEqual(5)
    stop()
  })

  it('stops polling when stopped', async () => {
    const facade = fakeFacade()
    const { poll, calls } = manualPoll()
    facade.Poll = poll
    const session = new SessionStore(facade)
    const stop = session.start()
    stop()
    calls[0].resolve(stateAt(7, { screen: 'identify' }))
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls).toHaveLength(1)
    expect(session.state.screen).toBe('attract')
  })

  it('sends Touch at most once per interval however often the resident touches', async () => {
    const facade = fakeFacade()
    const session = new SessionStore(facade, { touchIntervalMs: 5000 })
    const target = new EventTarget()
    const stop = session.watchActivity(target)

    target.dispatchEvent(new Event('pointerdown'))
    target.dispatchEvent(new Event('keydown'))
    await vi.advanceTimersByTimeAsync(4999)
    target.dispatchEvent(new Event('pointerdown'))
    expect(facade.Touch).toHaveBeenCalledTimes(1)

    await vi.advanceTimersByTimeAsync(1)
    target.dispatchEvent(new Event('keydown'))
    expect(facade.Touch).toHaveBeenCalledTimes(2)

    stop()
    await vi.advanceTimersByTimeAsync(10000)
    target.dispatchEvent(new Event('pointerdown'))
    expect(facade.Touch).toHaveBeenCalledTimes(2)
  })

  it('keeps the code of a failed action until the screen changes', async () => {
    const facade = fakeFacade()
    facade.InsertDemoCard.mockRejectedValueOnce('not-demo')
    facade.Claim.mockRejectedValueOnce(new Error('not-found'))
    const session = new SessionStore(facade)
    session.apply(stateAt(1, { screen: 'identify' }))

    expect(await session.insertDemoCard('mari')).toBe(false)
    expect(session.error).toBe('not-demo')
    expect(await session.claim('AB-12', '1950-01-31')).toBe(false)
    expect(session.error).toBe('not-found')
    expect(facade.Claim).toHaveBeenCalledWith('AB-12', '1950-01-31')

    session.apply(stateAt(2, { screen: 'identify' }))
    expect(session.error).toBe('not-found')
    session.apply(stateAt(3, { screen: 'claim' }))
    expect(session.error).toBeNull()
  })

  it('is busy while an action is on its way', async () => {
    const facade = fakeFacade()
    let release = () => {}
    facade.PrintCertificates.mockImplementation(() => new Promise<void>((r) => (release = r)))
    const session = new SessionStore(facade)
    const printing = session.printCertificates(['a', 'b'])
    expect(session.busy).toBe(true)
    release()
    expect(await printing).toBe(true)
    expect(session.busy).toBe(false)
    expect(facade.PrintCertificates).toHaveBeenCalledWith(['a', 'b'])
  })

  it('ends the display settings with the session', () => {
    const session = new SessionStore(fakeFacade())
    session.apply(stateAt(1, { screen: 'identify' }))
    session.toggleLargeText()
    session.toggleHighContrast()
    session.apply(stateAt(2, { screen: 'results' }))
    expect([session.largeText, session.highContrast]).toEqual([true, true])
    session.apply(stateAt(3, { screen: 'attract' }))
    expect([session.largeText, session.highContrast]).toEqual([false, false])
  })
})

describe('errorCode', () => {
  it('reads strings, errors and anything else', () => {
    expect(errorCode('busy')).toBe('busy')
    expect(errorCode(new Error('forbidden'))).toBe('forbidden')
    expect(errorCode(42)).toBe('internal')
  })
})

describe('normalizeState', () => {
  it('turns null lists into empty ones and an unknown screen into attract', () => {
    const s = normalizeState({ seq: 5, screen: 'somewhere' as State['screen'], offers: null as unknown as [], print: { jobs: null as unknown as [], done: false } })
    expect([s.screen, s.offers, s.refusals, s.demoPeople, s.print?.jobs]).toEqual(['attract', [], [], [], []])
  })
})
