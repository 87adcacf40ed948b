import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { requestStaff } from '../stores/staff'
import DevicesScreen from './DevicesScreen.svelte'
import StaffGate from './StaffGate.svelte'
import { staffText } from './text'

vi.mock('../../wailsjs/go/kiosk/App', () => ({}))

describe('StaffGate', () => {
  it('opens the staff entry when staff mode is asked for, and closes it', async () => {
    render(StaffGate, { state: { language: 'et', profile: 'EE', devices: [] } })
    expect(document.querySelector('[data-screen="staff-pin"]')).toBeNull()
    requestStaff()
    await vi.waitFor(() => expect(document.querySelector('[data-screen="staff-pin"]')).toBeTruthy())
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Töötaja sisselogimine')
    await fireEvent.click(screen.getByRole('button', { name: 'Sulge' }))
    expect(document.querySelector('[data-screen="staff-pin"]')).toBeNull()
  })
})

describe('StaffGate closes the staff entry', () => {
  afterEach(() => vi.useRealTimers())

  const pin = () => document.querySelector('[data-screen="staff-pin"]')
  const home = () => document.querySelector('[data-screen="staff-home"]')
  const base = { language: 'en', profile: 'EE', devices: [], idleTimeoutSeconds: 30 }
  const librarian = { id: 'librarian', name: 'Liis', roles: ['librarian'] }

  it('when the unlocked member is locked, and not before', async () => {
    const { rerender } = render(StaffGate, { state: base })
    requestStaff()
    await vi.waitFor(() => expect(pin()).toBeTruthy())
    await rerender({ state: { ...base, staff: librarian } })
    expect(home()).toBeTruthy()
    await rerender({ state: { ...base, staff: { ...librarian, name: 'Liis Lepp' } } })
    expect(home()).toBeTruthy()
    await rerender({ state: base })
    expect(pin()).toBeNull()
    expect(home()).toBeNull()
  })

  it('when the PIN pad is left untouched for the idle timeout', async () => {
    vi.useFakeTimers()
    render(StaffGate, { state: base })
    requestStaff()
    await vi.advanceTimersByTimeAsync(0)
    expect(pin()).toBeTruthy()
    await vi.advanceTimersByTimeAsync(20_000)
    await fireEvent.pointerDown(document.querySelector('[data-digit="1"]')!)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(pin()).toBeTruthy()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(pin()).toBeNull()
  })

  it('but not while a member is unlocked: the backend times that session out', async () => {
    vi.useFakeTimers()
    render(StaffGate, { state: { ...base, staff: librarian } })
    requestStaff()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(home()).toBeTruthy()
  })
})

describe('DevicesScreen', () => {
  it('shows each device with its state in words, marking the simulated ones', () => {
    render(DevicesScreen, {
      t: staffText('en'),
      devices: [
        { kind: 'reader', name: 'Virtual reader', id: 'sim', state: 'card-present', simulated: true },
        { kind: 'printer', name: 'Desk', id: 'ipp://desk', state: 'media-empty', simulated: false },
        { kind: 'scanner', name: 'Honeywell', id: '0c2e:0b61', state: 'warming-up', simulated: false },
      ],
    })
    const rows = [...document.querySelectorAll('tr[data-device]')].map((r) =>
      [...r.querySelectorAll('td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()),
    )
    expect(rows).toEqual([
      ['Card reader', 'Virtual reader sim simulated', 'Card inserted'],
      ['Printer', 'Desk ipp://desk', 'Out of paper'],
      ['Scanner', 'Honeywell 0c2e:0b61', 'warming-up'],
    ])
  })

  it('says when there are none', () => {
    render(DevicesScreen, { t: staffText('en'), devices: [] })
    expect(screen.getByText('The kiosk has no devices.')).toBeTruthy()
  })
})
