import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { Preview } from '../state'
import { languageIn, sessionIn } from '../testing/fakes'
import PreviewScreen from './PreviewScreen.svelte'

const preview: Preview = {
  offerId: 'v2',
  qr: 'data:image/png;base64,iVBORw0KGgo=',
  name: 'Mari Maasikas',
  birthDate: '1950-03-07',
  kind: 'vaccination',
  dose: 2,
  doses: 2,
  date: '2021-06-11',
  validUntil: '2022-06-11',
  uvci: 'URN:UVCI:01:EE:ABC123#X',
  issuer: 'Terviseamet',
  specimen: false,
}

describe('PreviewScreen', () => {
  it('shows the QR code and the fields', () => {
    const { session } = sessionIn({ screen: 'preview', preview })
    render(PreviewScreen, { session, language: languageIn('et') })
    const qr = screen.getByRole('img', { name: 'Tõendi QR-kood' })
    expect(qr.getAttribute('src')).toBe(preview.qr)
    const text = document.querySelector('[data-screen="preview"]')!.textContent!
    for (const want of ['Mari Maasikas', '07.03.1950', 'Vaktsineerimistõend, Annus 2/2', '11.06.2021', '11.06.2022', 'URN:UVCI:01:EE:ABC123#X', 'Terviseamet']) {
      expect(text).toContain(want)
    }
    expect(document.querySelector('[data-specimen]')).toBeNull()
  })

  it('marks a specimen', () => {
    const { session } = sessionIn({ screen: 'preview', preview: { ...preview, specimen: true } })
    render(PreviewScreen, { session, language: languageIn('en') })
    expect(screen.getByRole('note').textContent).toBe('SPECIMEN — a sample for testing, not a valid certificate')
  })

  it('prints the certificate shown, or goes back', async () => {
    const { session, facade } = sessionIn({ screen: 'preview', preview })
    render(PreviewScreen, { session, language: languageIn('en') })
    await fireEvent.click(screen.getByRole('button', { name: 'Print this certificate' }))
    expect(facade.PrintCertificates).toHaveBeenCalledWith(['v2'])
    await fireEvent.click(screen.getByRole('button', { name: 'Back to the list' }))
    expect(facade.ClosePreview).toHaveBeenCalledOnce()
  })
})
