import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { languageIn, sessionIn } from '../testing/fakes'
import FetchingScreen from './FetchingScreen.svelte'

describe('FetchingScreen', () => {
  const steps: [string, string, number][] = [
    ['card', 'Reading your card', 1],
    ['local', 'Asking the health registry', 2],
    ['federal', 'Asking the national registry', 3],
    ['rules', 'Checking which certificates you can get', 4],
  ]
  for (const [step, text, value] of steps) {
    it(`shows the ${step} step`, () => {
      const { session } = sessionIn({ screen: 'fetching', fetch: { step, attempt: 1 } })
      render(FetchingScreen, { session, language: languageIn('en') })
      expect(document.querySelector('[data-step]')!.textContent!.trim()).toBe(text)
      expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('value')).toBe(String(value))
    })
  }

  it('counts attempts after the first', () => {
    const { session } = sessionIn({ screen: 'fetching', fetch: { step: 'local', attempt: 3 } })
    render(FetchingScreen, { session, language: languageIn('ru') })
    expect(document.querySelector('[data-step]')!.textContent).toContain('Попытка 3')
  })

  it('cancels', async () => {
    const { session, facade } = sessionIn({ screen: 'fetching', fetch: { step: 'card', attempt: 1 } })
    render(FetchingScreen, { session, language: languageIn('en') })
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(facade.Cancel).toHaveBeenCalledOnce()
  })
})
