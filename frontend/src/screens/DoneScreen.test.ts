import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { languageIn, sessionIn } from '../testing/fakes'
import DoneScreen from './DoneScreen.svelte'

describe('DoneScreen', () => {
  it('asks the resident to take the card and the certificate, and finishes', async () => {
    const { session, facade } = sessionIn({ screen: 'done' })
    render(DoneScreen, { session, language: languageIn('az') })
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Kartınızı və sertifikatınızı götürün')
    await fireEvent.click(document.querySelector('[data-action="finish"]')!)
    expect(facade.Finish).toHaveBeenCalledOnce()
  })
})
