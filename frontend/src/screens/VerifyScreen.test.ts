import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { VerifyView } from '../state'
import { languageIn, sessionIn } from '../testing/fakes'
import VerifyScreen from './VerifyScreen.svelte'

function renderVerify(verify: VerifyView, code: 'et' | 'en' | 'ru' | 'az' = 'en') {
  const { session, facade } = sessionIn({ screen: 'verify', verify })
  render(VerifyScreen, { session, language: languageIn(code) })
  return facade
}

function root(): HTMLElement {
  return document.querySelector<HTMLElement>('[data-screen="verify"]')!
}

describe('VerifyScreen', () => {
  it('is green for a valid certificate, with who it is for', () => {
    renderVerify({ colour: 'green', reason: '', kind: 'vaccination', name: 'Mari Maasikas', birthDate: '1950-03-07' })
    expect(root().dataset.colour).toBe('green')
    expect(root().classList.contains('green')).toBe(true)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Valid certificate')
    expect(screen.getByRole('status').textContent!.trim()).toBe('The certificate is genuine and valid.')
    expect(root().textContent).toContain('Mari Maasikas')
    expect(root().textContent).toContain('07.03.1950')
    expect(root().textContent).toContain('Vaccination certificate')
  })

  it('is orange for a genuine certificate that the local rules do not accept now', () => {
    renderVerify({ colour: 'orange', reason: 'too-soon-after-dose' }, 'ru')
    expect(root().dataset.colour).toBe('orange')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Действителен, но здесь сейчас не принимается')
    expect(screen.getByRole('status').textContent!.trim()).toBe('Сертификат подлинный, но сегодня не соответствует местным правилам.')
  })

  it('is red with the reason in words', () => {
    renderVerify({ colour: 'red', reason: 'expired' }, 'et')
    expect(root().dataset.colour).toBe('red')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tõend ei kehti')
    expect(screen.getByRole('status').textContent!.trim()).toBe('Tõendi kehtivus on lõppenud.')
  })

  it('is red for a colour it does not know', () => {
    renderVerify({ colour: 'purple', reason: 'signature' }, 'az')
    expect(root().dataset.colour).toBe('red')
    expect(screen.getByRole('status').textContent!.trim()).toBe('Sertifikatın imzası həqiqi deyil.')
  })

  it('goes back', async () => {
    const facade = renderVerify({ colour: 'green', reason: '' })
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(facade.Cancel).toHaveBeenCalledOnce()
  })
})
