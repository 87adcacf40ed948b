import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { languageIn, sessionIn } from '../testing/fakes'
import FailedScreen from './FailedScreen.svelte'

describe('FailedScreen', () => {
  it('shows the claim code large and how to collect later when the request is kept', () => {
    const { session } = sessionIn({ screen: 'failed', failure: { reason: 'registry-unreachable', queued: true, claimCode: 'K7Q-4M2' } })
    render(FailedScreen, { session, language: languageIn('en') })
    expect(document.querySelector('[data-screen="failed"]')!.getAttribute('data-queued')).toBe('true')
    expect(screen.getByText('The health registry cannot be reached at the moment.')).toBeTruthy()
    expect(document.querySelector('[data-claim-code]')!.textContent).toBe('K7Q-4M2')
    expect(screen.getByText('Collect your certificate later with the same card, or with the claim code and your date of birth.')).toBeTruthy()
    expect(screen.queryByText('Please ask staff for help.')).toBeNull()
  })

  it('sends the resident to staff when nothing was kept', () => {
    const { session } = sessionIn({ screen: 'failed', failure: { reason: 'card-unreadable', queued: false } })
    render(FailedScreen, { session, language: languageIn('et') })
    expect(screen.getByText('Teie kaarti ei õnnestunud lugeda.')).toBeTruthy()
    expect(screen.getByText('Palun küsige abi töötajalt.')).toBeTruthy()
    expect(document.querySelector('[data-claim-code]')).toBeNull()
  })

  const reasons: [string, string][] = [
    ['printer-unavailable', 'The printer is not working at the moment.'],
    ['scan-unreadable', 'Your document could not be read.'],
    ['not-found', 'No records were found for you.'],
    ['internal', 'Something went wrong in the kiosk.'],
    ['something-new', 'Something went wrong in the kiosk.'],
  ]
  for (const [reason, words] of reasons) {
    it(`says ${reason} in words`, () => {
      const { session } = sessionIn({ screen: 'failed', failure: { reason, queued: false } })
      render(FailedScreen, { session, language: languageIn('en') })
      expect(document.querySelector('[data-reason]')!.textContent).toBe(words)
    })
  }

  it('finishes', async () => {
    const { session, facade } = sessionIn({ screen: 'failed', failure: { reason: 'internal', queued: false } })
    render(FailedScreen, { session, language: languageIn('en') })
    await fireEvent.click(screen.getByRole('button', { name: 'Finish' }))
    expect(facade.Finish).toHaveBeenCalledOnce()
  })
})
