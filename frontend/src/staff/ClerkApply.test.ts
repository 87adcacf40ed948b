import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import ClerkApply from './ClerkApply.svelte'
import { staffText } from './text'

const kiosk = vi.hoisted(() => ({ CheckIdentifier: vi.fn(), CommissionApply: vi.fn() }))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

const t = staffText('en')

async function fill(identifier: string, name: string, birthDate: string) {
  await fireEvent.input(screen.getByLabelText('Number'), { target: { value: identifier } })
  await vi.waitFor(() => expect(kiosk.CheckIdentifier).toHaveBeenCalled())
  await fireEvent.input(screen.getByLabelText("Applicant's full name"), { target: { value: name } })
  await fireEvent.input(screen.getByLabelText('Date of birth'), { target: { value: birthDate } })
}

describe('ClerkApply', () => {
  afterEach(() => vi.resetAllMocks())

  it('registers the application with the normalized identifier and opens the case', async () => {
    kiosk.CheckIdentifier.mockResolvedValue({ ok: true, normalized: '11223344595', problem: '' })
    kiosk.CommissionApply.mockResolvedValue({ id: 'c9' })
    const applied = vi.fn()
    render(ClerkApply, { t, profile: 'RU-KAM', applied })
    expect(document.querySelector('[data-screen="clerk-apply"]')).toBeTruthy()
    await fill('112-233-445 95', ' Иванов Иван Иванович ', '1975-03-28')
    await fireEvent.click(screen.getByRole('button', { name: 'Register the application' }))
    await vi.waitFor(() => expect(applied).toHaveBeenCalledExactlyOnceWith('c9'))
    expect(kiosk.CommissionApply).toHaveBeenCalledExactlyOnceWith({
      system: 'snils',
      identifier: '11223344595',
      name: 'Иванов Иван Иванович',
      birthDate: '1975-03-28',
    })
  })

  it('refuses to send an application with a bad identifier, no name or a bad date', async () => {
    kiosk.CheckIdentifier.mockResolvedValue({ ok: false, normalized: '', problem: 'check-digit' })
    render(ClerkApply, { t, profile: 'RU-KAM', applied: () => {} })
    await fill('112-233-445 96', '', '1975-02-30')
    await fireEvent.click(screen.getByRole('button', { name: 'Register the application' }))
    expect(kiosk.CommissionApply).not.toHaveBeenCalled()
    expect(screen.getByText('Some fields are missing or wrong; see the messages under them.')).toBeTruthy()
    expect(screen.getByText("Type the applicant's name.")).toBeTruthy()
    expect(screen.getByText('Not a valid date: write it as YYYY-MM-DD.')).toBeTruthy()
    expect(await screen.findByText('The check digit does not match: a character is mistyped.')).toBeTruthy()
  })
})
