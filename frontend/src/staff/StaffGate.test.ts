import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
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
