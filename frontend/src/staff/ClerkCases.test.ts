import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ClerkCases from './ClerkCases.svelte'
import type { CommissionCase } from './commissionApi'
import { staffText } from './text'

const kiosk = vi.hoisted(() => ({ CommissionSearch: vi.fn() }))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

const t = staffText('en')

const cases: CommissionCase[] = [
  { id: 'c1', name: 'Иванов Иван', stage: 'applied', approvals: 0 },
  { id: 'c2', name: 'Петрова Анна', stage: 'decided', decision: 'present', approvals: 1 },
  {
    id: 'c3',
    name: 'Сидоров Пётр',
    stage: 'issued',
    decision: 'absent',
    approvals: 2,
    issuedAt: '2026-11-20T10:15:00+12:00',
    uvci: 'URN:UVCI:01:RU:KAM00042#Q',
  },
]

function rows(): string[][] {
  return [...document.querySelectorAll('tr[data-case]')].map((r) =>
    [...r.querySelectorAll('td')].slice(0, -1).map((c) => c.textContent!.trim()),
  )
}

describe('ClerkCases', () => {
  beforeEach(() => kiosk.CommissionSearch.mockResolvedValue(cases))
  afterEach(() => vi.resetAllMocks())

  it('lists every case with its stage and approvals', async () => {
    render(ClerkCases, { t, openCase: () => {} })
    await vi.waitFor(() => expect(rows().length).toBe(3))
    expect(document.querySelector('[data-screen="clerk-cases"]')).toBeTruthy()
    expect(kiosk.CommissionSearch).toHaveBeenCalledWith('')
    expect(rows()).toEqual([
      ['Иванов Иван', 'Application', '0 of 2'],
      ['Петрова Анна', 'Decision', '1 of 2'],
      ['Сидоров Пётр', 'Issued', '2 of 2'],
    ])
  })

  it('the register lists only issued certificates, with decision, date and number', async () => {
    render(ClerkCases, { t, register: true, openCase: () => {} })
    await vi.waitFor(() => expect(rows().length).toBe(1))
    expect(document.querySelector('[data-screen="clerk-register"]')).toBeTruthy()
    expect(kiosk.CommissionSearch).toHaveBeenCalledWith({ text: '', stage: 'issued' })
    expect(rows()).toEqual([['Сидоров Пётр', 'Antibodies absent', '2026-11-20 10:15', 'URN:UVCI:01:RU:KAM00042#Q']])
  })

  it('searches with what is typed in the search box', async () => {
    render(ClerkCases, { t, register: true, openCase: () => {} })
    await vi.waitFor(() => expect(rows().length).toBe(1))
    kiosk.CommissionSearch.mockResolvedValue([])
    await fireEvent.input(screen.getByLabelText('Search'), { target: { value: ' Сидоров ' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }))
    await vi.waitFor(() => expect(kiosk.CommissionSearch).toHaveBeenLastCalledWith({ text: 'Сидоров', stage: 'issued' }))
    expect(await screen.findByText('No cases found.')).toBeTruthy()
    expect(rows()).toEqual([])
  })

  it('opens a case by its id', async () => {
    const openCase = vi.fn()
    render(ClerkCases, { t, openCase })
    await vi.waitFor(() => expect(rows().length).toBe(3))
    await fireEvent.click(screen.getByRole('button', { name: 'Open the case of Петрова Анна' }))
    expect(openCase).toHaveBeenCalledExactlyOnceWith('c2')
  })
})
