import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import App from './App.svelte'
import { normalizeState, screens, type State } from './state'
import { LanguageStore } from './stores/language.svelte'
import { SessionStore } from './stores/session.svelte'
import { onStaffRequest } from './stores/staff'
import { fakeFacade, sessionIn } from './testing/fakes'

/** What each screen needs in the state to show itself fully. */
const fills: Partial<Record<State['screen'], Partial<State>>> = {
  identify: { demo: true, demoPeople: [{ id: 'p', name: 'Mari', scenario: 'valid' }] },
  results: {
    offers: [{ id: 'o', kind: 'test', date: '2021-01-01', source: 'local' }],
    refusals: [{ kind: 'vaccination', reason: 'r', text: 'T', nextStep: 'N' }],
  },
  fetching: { fetch: { step: 'local', attempt: 1 } },
  preview: {
    preview: { offerId: 'o', qr: 'data:image/png;base64,', name: 'N', birthDate: '1950', kind: 'test', date: '2021-01-01', uvci: 'U', issuer: 'I', specimen: true },
  },
  printing: { print: { jobs: [{ id: 'j', what: 'certificate', state: 'queued', printerState: 'media-jam' }], done: false } },
  failed: { failure: { reason: 'internal', queued: false } },
  verify: { verify: { colour: 'green', reason: '' } },
}

function current(): string | undefined {
  return document.querySelector<HTMLElement>('[data-screen]')?.dataset.screen
}

describe('App', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    document.documentElement.className = ''
  })

  it('shows the attract screen without a backend', () => {
    render(App, { guard: false })
    expect(current()).toBe('attract')
  })

  for (const name of screens) {
    it(`shows the ${name} screen when the state names it`, () => {
      const { session } = sessionIn({ screen: name, ...fills[name] })
      render(App, { session, guard: false })
      expect(current()).toBe(name)
      expect(document.querySelectorAll('[data-screen]')).toHaveLength(1)
    })
  }

  for (const name of screens) {
    it(`names every control of the ${name} screen for screen readers`, () => {
      const { session } = sessionIn({ screen: name, ...fills[name] })
      render(App, { session, guard: false })
      const controls = [...document.querySelectorAll<HTMLElement>('button, input, [role="button"]')]
      expect(controls.length).toBeGreaterThan(2)
      const unnamed = controls.filter((c) => {
        const name = c.getAttribute('aria-label') ?? c.closest('label')?.textContent ?? c.textContent ?? ''
        return name.trim() === ''
      })
      expect(unnamed.map((c) => c.outerHTML)).toEqual([])
    })
  }

  it('follows the state from screen to screen and speaks its language', async () => {
    const session = new SessionStore(fakeFacade())
    const language = new LanguageStore()
    render(App, { session, language, guard: false })
    session.apply(normalizeState({ seq: 1, screen: 'identify', language: 'ru' }))
    await vi.advanceTimersByTimeAsync(0)
    expect(current()).toBe('identify')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Подтвердите личность')
    expect(document.documentElement.lang).toBe('ru')

    session.apply(normalizeState({ seq: 2, screen: 'identify', language: 'az' }))
    await vi.advanceTimersByTimeAsync(0)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Şəxsiyyətinizi təsdiq edin')

    session.apply(normalizeState({ seq: 3, screen: 'attract', language: 'az' }))
    await vi.advanceTimersByTimeAsync(0)
    expect(current()).toBe('attract')
    expect(language.chosen).toBe(false)
    expect(language.current).toBe('et')
  })

  it("asks for the language in the backend's language with no language pressed yet", () => {
    const { session } = sessionIn({ screen: 'language', language: 'ru' })
    render(App, { session, guard: false })
    expect(document.documentElement.lang).toBe('ru')
    expect(screen.getByRole('navigation', { name: 'Выберите язык' })).toBeTruthy()
    expect(document.querySelectorAll('[aria-pressed="true"]')).toHaveLength(0)
  })

  it('starts a session, and starts it in the language picked on the attract screen', async () => {
    const facade = fakeFacade()
    const session = new SessionStore(facade)
    render(App, { session, guard: false })
    await fireEvent.click(document.querySelector('[data-action="start"]')!)
    expect(facade.Start).toHaveBeenCalledOnce()
    await fireEvent.click(document.querySelector('[data-action="language-ru"]')!)
    await vi.advanceTimersByTimeAsync(0)
    expect(facade.Start).toHaveBeenCalledTimes(2)
    expect(facade.ChooseLanguage).toHaveBeenCalledWith('ru')
  })

  it('switches large text and high contrast on every screen, until the session ends', async () => {
    const { session } = sessionIn({ screen: 'results' })
    render(App, { session, guard: false })
    const large = screen.getByRole('button', { name: /Large text/ })
    const contrast = document.querySelector<HTMLElement>('[data-action="toggle-contrast"]')!
    await fireEvent.click(large)
    await fireEvent.click(contrast)
    expect(large.getAttribute('aria-pressed')).toBe('true')
    expect(contrast.getAttribute('aria-pressed')).toBe('true')
    expect(document.documentElement.classList.contains('large-text')).toBe(true)
    expect(document.documentElement.classList.contains('high-contrast')).toBe(true)

    session.apply(normalizeState({ seq: 9, screen: 'attract' }))
    await vi.advanceTimersByTimeAsync(0)
    expect(document.documentElement.classList.contains('large-text')).toBe(false)
    expect(document.documentElement.classList.contains('high-contrast')).toBe(false)
    expect(document.querySelector('[data-action="toggle-large-text"]')!.getAttribute('aria-pressed')).toBe('false')
  })

  it("says a failed action's error in the session's language", async () => {
    const facade = fakeFacade()
    facade.InsertDemoCard.mockRejectedValue('busy')
    const { session } = sessionIn({ screen: 'identify', language: 'et', demo: true, demoPeople: [{ id: 'p', name: 'P', scenario: 's' }] }, facade)
    render(App, { session, guard: false })
    await fireEvent.click(document.querySelector('[data-action="insert-card-p"]')!)
    await vi.advanceTimersByTimeAsync(0)
    expect(screen.getByRole('alert').textContent).toBe('Kiosk on hõivatud. Palun oodake hetk ja proovige uuesti.')
  })

  it('shows a general message for an error code it does not know', async () => {
    const facade = fakeFacade()
    facade.Finish.mockRejectedValue(new Error('disk-full'))
    const { session } = sessionIn({ screen: 'done' }, facade)
    render(App, { session, guard: false })
    await fireEvent.click(document.querySelector('[data-action="finish"]')!)
    await vi.advanceTimersByTimeAsync(0)
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong. Please try again or ask staff for help.')
  })

  it('asks for staff mode when the logo is held for three seconds, not for less', async () => {
    const asked = vi.fn()
    const stop = onStaffRequest(asked)
    render(App, { guard: false })
    const logo = document.querySelector('[data-action="staff-corner"]')!
    await fireEvent.pointerDown(logo)
    await vi.advanceTimersByTimeAsync(2999)
    await fireEvent.pointerUp(logo)
    await vi.advanceTimersByTimeAsync(5000)
    expect(asked).not.toHaveBeenCalled()

    await fireEvent.pointerDown(logo)
    await vi.advanceTimersByTimeAsync(3000)
    expect(asked).toHaveBeenCalledOnce()
    stop()
  })

  it('sends Touch on the first touch', async () => {
    const facade = fakeFacade()
    const { session } = sessionIn({ screen: 'identify' }, facade)
    render(App, { session, guard: false })
    await fireEvent.pointerDown(document.body)
    expect(facade.Touch).toHaveBeenCalledOnce()
  })
})
