import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LanguageStore } from '../stores/language.svelte'
import { sessionIn } from '../testing/fakes'
import AttractScreen from './AttractScreen.svelte'

const cycleMs = 4000

/** The language buttons, apart from the start button. */
function languageButtons(): HTMLElement[] {
  return within(screen.getByRole('navigation')).getAllByRole('button')
}

function heading(): HTMLElement {
  return screen.getByRole('heading', { level: 1 })
}

/** The element whose text the screen reader announces as the languages change. */
function liveRegion(): HTMLElement {
  const region = heading().closest<HTMLElement>('[aria-live]')
  if (!region) {
    throw new Error('the title is in no aria-live region')
  }
  return region
}

describe('AttractScreen', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('cycles the message through Estonian, English, Russian and Azerbaijani, then again', async () => {
    render(AttractScreen, { language: new LanguageStore(), cycleMs })
    const seen: [string | null, string][] = []
    for (let i = 0; i < 5; i++) {
      seen.push([liveRegion().getAttribute('lang'), heading().textContent ?? ''])
      await vi.advanceTimersByTimeAsync(cycleMs)
    }
    expect(seen).toEqual([
      ['et', 'Sisestage oma ID-kaart'],
      ['en', 'Insert your ID card'],
      ['ru', 'Вставьте ID-карту'],
      ['az', 'ID kartınızı daxil edin'],
      ['et', 'Sisestage oma ID-kaart'],
    ])
  })

  it('keeps a language for the whole interval', async () => {
    render(AttractScreen, { language: new LanguageStore(), cycleMs })
    await vi.advanceTimersByTimeAsync(cycleMs - 1)
    expect(heading().textContent).toBe('Sisestage oma ID-kaart')
  })

  it('announces the message politely', () => {
    render(AttractScreen, { language: new LanguageStore(), cycleMs })
    expect(liveRegion().getAttribute('aria-live')).toBe('polite')
    expect(liveRegion().textContent).toContain('COVID-19 tõendi saamiseks')
  })

  it('offers each language by its own name, marked with its language', () => {
    render(AttractScreen, { language: new LanguageStore(), cycleMs })
    const buttons = languageButtons()
    expect(buttons.map((b) => [b.textContent, b.getAttribute('lang')])).toEqual([
      ['Eesti', 'et'],
      ['English', 'en'],
      ['Русский', 'ru'],
      ['Azərbaycan', 'az'],
    ])
    expect(screen.getByRole('navigation', { name: 'Valige keel' })).toBeTruthy()
  })

  it('speaks the chosen language and stops cycling', async () => {
    const language = new LanguageStore()
    render(AttractScreen, { language, cycleMs })
    await vi.advanceTimersByTimeAsync(cycleMs) // now English

    await fireEvent.click(screen.getByRole('button', { name: 'Русский' }))
    expect(heading().textContent).toBe('Вставьте ID-карту')
    expect(liveRegion().getAttribute('lang')).toBe('ru')
    expect(screen.getByRole('button', { name: 'Русский' }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('false')
    expect(screen.getByRole('navigation', { name: 'Выберите язык' })).toBeTruthy()

    await vi.advanceTimersByTimeAsync(10 * cycleMs)
    expect(heading().textContent).toBe('Вставьте ID-карту')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('cycles again from the first language after a reset', async () => {
    const language = new LanguageStore()
    render(AttractScreen, { language, cycleMs })
    await fireEvent.click(screen.getByRole('button', { name: 'Azərbaycan' }))

    language.reset()
    await vi.advanceTimersByTimeAsync(0)
    expect(heading().textContent).toBe('Sisestage oma ID-kaart')
    await vi.advanceTimersByTimeAsync(cycleMs)
    expect(heading().textContent).toBe('Insert your ID card')
  })

  it('cycles only through the languages offered', async () => {
    const language = new LanguageStore()
    await language.load(async () => [
      { code: 'az', name: 'Azərbaycan' },
      { code: 'ru', name: 'Русский' },
    ])
    render(AttractScreen, { language, cycleMs })
    expect(languageButtons().map((b) => b.textContent)).toEqual(['Azərbaycan', 'Русский'])
    const seen = [heading().textContent]
    for (let i = 0; i < 2; i++) {
      await vi.advanceTimersByTimeAsync(cycleMs)
      seen.push(heading().textContent)
    }
    expect(seen).toEqual(['ID kartınızı daxil edin', 'Вставьте ID-карту', 'ID kartınızı daxil edin'])
  })

  it('is marked as the attract screen and starts in the language it shows', async () => {
    const onStart = vi.fn()
    render(AttractScreen, { language: new LanguageStore(), cycleMs, onStart })
    expect(document.querySelector('[data-screen="attract"]')).toBeTruthy()
    await vi.advanceTimersByTimeAsync(cycleMs)
    const start = screen.getByRole('button', { name: 'Touch here to start' })
    expect([start.dataset.action, start.getAttribute('lang')]).toEqual(['start', 'en'])
    await fireEvent.click(start)
    expect(onStart).toHaveBeenCalledOnce()
  })

  it('tells which language was picked', async () => {
    const onChoose = vi.fn()
    render(AttractScreen, { language: new LanguageStore(), cycleMs, onChoose })
    await fireEvent.click(document.querySelector('[data-action="language-az"]')!)
    expect(onChoose).toHaveBeenCalledWith('az')
  })

  it('lets a demo visitor insert a card from a marked strip of simulated devices', async () => {
    const { session, facade } = sessionIn({
      screen: 'attract',
      demo: true,
      demoPeople: [{ id: 'ee-1001', name: 'Mari Tamm', scenario: 'vaccination 2/2' }],
    })
    render(AttractScreen, { language: new LanguageStore(), session, cycleMs })
    const strip = screen.getByRole('region', { name: 'Simuleeritud seadmed' })
    expect(strip.closest('[data-screen="attract"]')).toBeTruthy()
    expect(strip.hasAttribute('data-demo-panel')).toBe(true)
    await fireEvent.click(strip.querySelector('[data-action="insert-card-ee-1001"]')!)
    expect(facade.InsertDemoCard).toHaveBeenCalledWith('ee-1001')
    // The strip's words follow the language the attract screen shows.
    await vi.advanceTimersByTimeAsync(cycleMs)
    expect(screen.getByRole('region', { name: 'Simulated devices' })).toBe(strip)
  })

  it('has no strip on a real kiosk', () => {
    const { session } = sessionIn({ screen: 'attract', demo: false, demoPeople: [{ id: 'p', name: 'P', scenario: 's' }] })
    render(AttractScreen, { language: new LanguageStore(), session, cycleMs })
    expect(document.querySelector('[data-demo-panel]')).toBeNull()
  })
})
