import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import ReleaseScreen from './ReleaseScreen.svelte'
import { staffText } from './text'

const kiosk = vi.hoisted(() => ({ ReleaseHeld: vi.fn() }))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

const t = staffText('en')

describe('ReleaseScreen', () => {
  afterEach(() => vi.resetAllMocks())

  it('releases the held certificates of a claim code', async () => {
    kiosk.ReleaseHeld.mockResolvedValue(undefined)
    render(ReleaseScreen, { t })
    await fireEvent.input(screen.getByLabelText('Claim code'), { target: { value: ' K7-QX4P ' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Print' }))
    expect(await screen.findByText('Released: the certificates for K7-QX4P are printing.')).toBeTruthy()
    expect(kiosk.ReleaseHeld).toHaveBeenCalledExactlyOnceWith('K7-QX4P')
    expect(screen.getByLabelText<HTMLInputElement>('Claim code').value).toBe('')
  })

  it('asks for a code before calling the backend', async () => {
    render(ReleaseScreen, { t })
    await fireEvent.click(screen.getByRole('button', { name: 'Print' }))
    expect(screen.getByText('Type the claim code.')).toBeTruthy()
    expect(kiosk.ReleaseHeld).not.toHaveBeenCalled()
  })

  it('says why a code was refused', async () => {
    kiosk.ReleaseHeld.mockRejectedValue('not-found')
    render(ReleaseScreen, { t: staffText('az') })
    await fireEvent.input(screen.getByLabelText('Alma kodu'), { target: { value: 'NOPE' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Çap et' }))
    expect(await screen.findByText('Heç nə tapılmadı.')).toBeTruthy()
  })
})
