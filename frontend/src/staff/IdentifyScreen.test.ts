import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import IdentifyScreen from './IdentifyScreen.svelte'
import { staffText } from './text'

const kiosk = vi.hoisted(() => ({ CheckIdentifier: vi.fn(), StaffIdentify: vi.fn() }))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

const t = staffText('en')

function systems(): string[] {
  return [...document.querySelectorAll('button[data-action="system"]')].map((b) => b.getAttribute('data-system')!)
}

function problem(): string {
  return document.getElementById('staff-identify-identifier-problem')!.textContent ?? ''
}

async function type(value: string) {
  await fireEvent.input(screen.getByLabelText('Number'), { target: { value } })
  await vi.waitFor(() => expect(kiosk.CheckIdentifier).toHaveBeenLastCalledWith(expect.any(String), value))
}

describe('IdentifyScreen', () => {
  afterEach(() => vi.resetAllMocks())

  it.each([
    ['EE', ['ee-personal-code']],
    ['RU-KAM', ['snils', 'oms']],
    ['AZ', ['fin']],
    ['', ['ee-personal-code', 'snils', 'oms', 'fin']],
  ])('offers the systems of profile %s', (profile, want) => {
    render(IdentifyScreen, { t, profile, done: () => {} })
    expect(systems()).toEqual(want)
    expect(document.querySelector('button[data-system][aria-pressed="true"]')!.getAttribute('data-system')).toBe(want[0])
  })

  it.each([
    ['length', 'Wrong length: too few or too many characters.'],
    ['check-digit', 'The check digit does not match: a character is mistyped.'],
    ['format', 'Wrong format: only the characters this number has are allowed.'],
    ['date', 'Not a valid date: write it as YYYY-MM-DD.'],
    ['something-new', 'This number is not valid.'],
  ])('says the problem %s in words, with the look-up disabled', async (code, words) => {
    kiosk.CheckIdentifier.mockResolvedValue({ ok: false, normalized: '', problem: code })
    render(IdentifyScreen, { t, profile: 'EE', done: () => {} })
    await type('3800108')
    await vi.waitFor(() => expect(problem()).toBe(words))
    expect(screen.getByLabelText('Number').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Look up' }).disabled).toBe(true)
  })

  it('checks as typed with the chosen system, then looks the visitor up by the normalized identifier', async () => {
    kiosk.CheckIdentifier.mockResolvedValue({ ok: true, normalized: '11223344595', problem: '' })
    kiosk.StaffIdentify.mockResolvedValue(undefined)
    const done = vi.fn()
    render(IdentifyScreen, { t, profile: 'RU-KAM', done })
    await fireEvent.click(screen.getByRole('button', { name: 'SNILS' }))
    await type('112-233-445 95')
    expect(kiosk.CheckIdentifier).toHaveBeenLastCalledWith('snils', '112-233-445 95')
    await vi.waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Look up' }).disabled).toBe(false))
    expect(problem()).toBe('')
    await fireEvent.click(screen.getByRole('button', { name: 'Look up' }))
    await vi.waitFor(() => expect(done).toHaveBeenCalledOnce())
    expect(kiosk.StaffIdentify).toHaveBeenCalledWith('snils', '11223344595')
  })

  it('checks again when the system changes', async () => {
    kiosk.CheckIdentifier.mockResolvedValue({ ok: false, normalized: '', problem: 'length' })
    render(IdentifyScreen, { t, profile: 'RU-KAM', done: () => {} })
    await type('1234567890123456')
    expect(kiosk.CheckIdentifier).toHaveBeenLastCalledWith('snils', '1234567890123456')
    await fireEvent.click(screen.getByRole('button', { name: 'OMS policy' }))
    await vi.waitFor(() => expect(kiosk.CheckIdentifier).toHaveBeenLastCalledWith('oms', '1234567890123456'))
  })

  it('drops an answer about text no longer in the field', async () => {
    let answerFirst: (v: unknown) => void = () => {}
    kiosk.CheckIdentifier.mockImplementationOnce(() => new Promise((r) => (answerFirst = r))).mockResolvedValueOnce({
      ok: false,
      normalized: '',
      problem: 'check-digit',
    })
    render(IdentifyScreen, { t, profile: 'EE', done: () => {} })
    await type('3')
    await type('38001085719')
    await vi.waitFor(() => expect(problem()).toBe('The check digit does not match: a character is mistyped.'))
    answerFirst({ ok: true, normalized: '3', problem: '' })
    await new Promise((r) => setTimeout(r, 0))
    expect(problem()).toBe('The check digit does not match: a character is mistyped.')
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Look up' }).disabled).toBe(true)
  })

  it('says why the look-up was refused and stays', async () => {
    kiosk.CheckIdentifier.mockResolvedValue({ ok: true, normalized: '38001085718', problem: '' })
    kiosk.StaffIdentify.mockRejectedValue('forbidden')
    const done = vi.fn()
    render(IdentifyScreen, { t, profile: 'EE', done })
    await type('38001085718')
    await vi.waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Look up' }).disabled).toBe(false))
    await fireEvent.click(screen.getByRole('button', { name: 'Look up' }))
    expect(await screen.findByText('Your role does not allow this.')).toBeTruthy()
    expect(done).not.toHaveBeenCalled()
  })
})
