import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import ClerkCase from './ClerkCase.svelte'
import type { CommissionCase, Stage } from './commissionApi'
import type { StaffMember } from './staffApi'
import { staffText } from './text'

const kiosk = vi.hoisted(() => ({
  CommissionCase: vi.fn(),
  CommissionReprint: vi.fn(),
  CommissionPrintStatement: vi.fn(),
  CommissionRecordPayment: vi.fn(),
  CommissionEnterResult: vi.fn(),
  CommissionDecide: vi.fn(),
  CommissionApprove: vi.fn(),
  CommissionIssue: vi.fn(),
  StaffUnlock: vi.fn(),
}))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

const t = staffText('en')
const clerk: StaffMember = { id: 'clerk', name: 'Clerk Kask', roles: ['clerk'] }
const member1: StaffMember = { id: 'member1', name: 'Member One', roles: ['commission-member'] }
const member2: StaffMember = { id: 'member2', name: 'Member Two', roles: ['commission-member'] }

/** The case the fake backend holds; each call may move it on. */
let held: CommissionCase

function at(stage: Stage, over: Partial<CommissionCase> = {}) {
  held = { id: 'c1', name: 'Иванов Иван', stage, approvals: 0, ...over }
  kiosk.CommissionCase.mockImplementation(async (id: string) => {
    if (id !== held.id) throw 'not-found'
    return held
  })
}

async function open(staff: StaffMember) {
  const r = render(ClerkCase, { t, caseId: 'c1', staff })
  await vi.waitFor(() => expect(document.querySelector('[data-screen="clerk-case"]')!.getAttribute('data-stage')).toBe(held.stage))
  return r
}

function stageShown(): string {
  return document.querySelector('[data-screen="clerk-case"]')!.getAttribute('data-stage')!
}

function step(): string | null {
  return document.querySelector('[data-step]')?.getAttribute('data-step') ?? null
}

function currentStep(): string {
  return document.querySelector('[aria-current="step"]')!.textContent!.trim()
}

describe('ClerkCase', () => {
  afterEach(() => vi.resetAllMocks())

  it('asks the register for the case by its id', async () => {
    at('paid')
    await open(clerk)
    expect(kiosk.CommissionCase).toHaveBeenCalledWith('c1')
  })

  it('shows what the case holds so far: applicant, payment, result, decision and approvals', async () => {
    at('decided', {
      birthDate: '1957-09-02',
      system: 'snils',
      identifier: '…4595',
      payment: { receiptNumber: '000123', amountMinor: 150050, currency: 'RUB' },
      result: {
        test: '94504-8',
        value: '74.20',
        unit: 'BAU/mL',
        referenceLow: '',
        referenceHigh: '33.8',
        laboratory: 'ККБ',
        date: '2026-11-18',
      },
      decision: 'present',
      decidedBy: 'member1',
      approvals: 1,
      approvedBy: ['member1'],
    })
    await open(member2)
    const facts = [...document.querySelectorAll('[data-facts] dt')].map((dt) => [
      dt.textContent!.trim(),
      dt.nextElementSibling!.textContent!.replace(/\s+/g, ' ').trim(),
    ])
    expect(facts).toEqual([
      ['Date of birth', '1957-09-02'],
      ['SNILS', '…4595'],
      ['Payment', '1500.50 RUB · Receipt number 000123'],
      ['Laboratory result', 'Antibody level (LOINC 94504-8): 74.20 BAU/mL (reference …–33.8) · ККБ · 2026-11-18'],
      ['Decision', 'Antibodies present · by member1'],
      ['Approvals', '1 of 2 · by member1'],
    ])
    expect(screen.getByRole('button', { name: 'Approve as Member Two' })).toBeTruthy()
  })

  it('shows the stages with the current one marked', async () => {
    at('paid')
    await open(clerk)
    expect([...document.querySelectorAll('[data-stage-step]')].map((s) => s.textContent!.trim())).toEqual([
      'Application',
      'Paid',
      'Lab result',
      'Decision',
      'Approved',
      'Issued',
    ])
    expect(currentStep()).toBe('Paid')
  })

  it('prints the statement for signature', async () => {
    at('applied')
    kiosk.CommissionPrintStatement.mockResolvedValue(undefined)
    await open(clerk)
    await fireEvent.click(screen.getByRole('button', { name: 'Print the statement for signature' }))
    await vi.waitFor(() => expect(kiosk.CommissionPrintStatement).toHaveBeenCalledExactlyOnceWith('c1'))
    expect(await screen.findByText('The statement is printing: give it to the applicant to sign.')).toBeTruthy()
  })

  it('records the payment in kopecks with its receipt number', async () => {
    at('applied')
    kiosk.CommissionRecordPayment.mockImplementation(async () => at('paid'))
    await open(clerk)
    expect(step()).toBe('payment')
    await fireEvent.input(screen.getByLabelText('Receipt number'), { target: { value: 'КВ-0042' } })
    await fireEvent.input(screen.getByLabelText('Amount, RUB'), { target: { value: '1 500,50' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Record the payment' }))
    await vi.waitFor(() => expect(stageShown()).toBe('paid'))
    expect(kiosk.CommissionRecordPayment).toHaveBeenCalledExactlyOnceWith('c1', {
      receiptNumber: 'КВ-0042',
      amountMinor: 150050,
      currency: 'RUB',
    })
    expect(step()).toBe('result')
  })

  it('refuses a payment without a receipt number or a positive amount', async () => {
    at('applied')
    await open(clerk)
    await fireEvent.input(screen.getByLabelText('Amount, RUB'), { target: { value: '0' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Record the payment' }))
    expect(kiosk.CommissionRecordPayment).not.toHaveBeenCalled()
    expect(screen.getByText('This field is required.')).toBeTruthy()
    expect(screen.getByText('Type the amount, for example 1500 or 1500.50.')).toBeTruthy()
  })

  it('enters the lab result', async () => {
    at('paid')
    kiosk.CommissionEnterResult.mockImplementation(async () => at('result'))
    await open(clerk)
    await fireEvent.click(screen.getByRole('button', { name: 'Antibodies present or not (LOINC 94762-2)' }))
    await fireEvent.input(screen.getByLabelText('Result'), { target: { value: '152,4' } })
    await fireEvent.click(screen.getByRole('button', { name: 'BAU/mL' }))
    await fireEvent.input(screen.getByLabelText('Reference range: to'), { target: { value: '33.80' } })
    await fireEvent.input(screen.getByLabelText('Laboratory'), { target: { value: 'ККБ лаборатория' } })
    await fireEvent.input(screen.getByLabelText('Date of the sample'), { target: { value: '2026-11-18' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Enter the result' }))
    await vi.waitFor(() => expect(stageShown()).toBe('result'))
    expect(kiosk.CommissionEnterResult).toHaveBeenCalledExactlyOnceWith('c1', {
      test: '94762-2',
      value: '152.4',
      unit: 'BAU/mL',
      referenceLow: '',
      referenceHigh: '33.80',
      laboratory: 'ККБ лаборатория',
      date: '2026-11-18',
    })
  })

  it('says what is wrong with a lab result before sending it', async () => {
    at('paid')
    await open(clerk)
    await fireEvent.input(screen.getByLabelText('Result'), { target: { value: 'high' } })
    await fireEvent.input(screen.getByLabelText('Reference range: from'), { target: { value: '10' } })
    await fireEvent.input(screen.getByLabelText('Reference range: to'), { target: { value: '5' } })
    await fireEvent.input(screen.getByLabelText('Date of the sample'), { target: { value: '18.11.2026' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Enter the result' }))
    expect(kiosk.CommissionEnterResult).not.toHaveBeenCalled()
    expect(screen.getByText('Type a number, for example 12.5.')).toBeTruthy()
    expect(screen.getByText('Choose the unit of the result.')).toBeTruthy()
    expect(screen.getByText('The upper limit is below the lower one.')).toBeTruthy()
    expect(screen.getByText('Not a valid date: write it as YYYY-MM-DD.')).toBeTruthy()
    expect(screen.getAllByText('This field is required.').length).toBe(1) // the laboratory
  })

  it('leaves the decision to a commission member: the clerk is offered to let one unlock', async () => {
    at('result')
    await open(clerk)
    expect(step()).toBeNull()
    expect(screen.queryByRole('button', { name: 'Antibodies present' })).toBeNull()
    expect(screen.getByText('The next step is for a commission member.')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock as a commission member' }))
    expect(document.querySelector('[data-screen="clerk-case"] button[data-action="unlock"]')).toBeTruthy()
  })

  it('a member records the decision', async () => {
    at('result')
    kiosk.CommissionDecide.mockImplementation(async () => at('decided', { decision: 'absent', approvals: 0 }))
    await open(member1)
    expect(step()).toBe('decision')
    expect(screen.queryByRole('button', { name: 'Print the statement for signature' })).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: 'Antibodies absent' }))
    await vi.waitFor(() => expect(stageShown()).toBe('decided'))
    expect(kiosk.CommissionDecide).toHaveBeenCalledExactlyOnceWith('c1', 'absent')
    expect(document.querySelector('[data-decision]')!.textContent).toContain('Antibodies absent')
  })

  it('needs two different members: after one approves, a second unlocks with their own PIN and approves', async () => {
    at('decided', { decision: 'present', approvals: 0 })
    kiosk.CommissionApprove.mockImplementationOnce(async () => at('decided', { decision: 'present', approvals: 1 }))
    const { rerender } = await open(member1)
    expect(document.querySelector('[data-approvals]')!.textContent).toContain('0 of 2')
    await fireEvent.click(screen.getByRole('button', { name: 'Approve as Member One' }))
    await vi.waitFor(() => expect(document.querySelector('[data-approvals]')!.textContent).toContain('1 of 2'))
    expect(kiosk.CommissionApprove).toHaveBeenCalledExactlyOnceWith('c1')

    // The same member cannot approve a second time.
    expect(screen.queryByRole('button', { name: 'Approve as Member One' })).toBeNull()
    expect(screen.getByText('You have approved (1 of 2). Another commission member must approve too.')).toBeTruthy()

    // The second member unlocks here with their own staff id and PIN.
    kiosk.StaffUnlock.mockResolvedValue(undefined)
    await fireEvent.click(screen.getByRole('button', { name: 'Second member: unlock with your PIN' }))
    await fireEvent.input(screen.getByLabelText('Staff ID'), { target: { value: 'member2' } })
    for (const d of '161803') {
      await fireEvent.click(document.querySelector(`button[data-action="digit"][data-digit="${d}"]`)!)
    }
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await vi.waitFor(() => expect(kiosk.StaffUnlock).toHaveBeenCalledExactlyOnceWith('member2', '161803'))
    await rerender({ staff: member2 })

    kiosk.CommissionApprove.mockImplementationOnce(async () => at('approved', { decision: 'present', approvals: 2 }))
    await fireEvent.click(await screen.findByRole('button', { name: 'Approve as Member Two' }))
    await vi.waitFor(() => expect(stageShown()).toBe('approved'))
    expect(kiosk.CommissionApprove).toHaveBeenCalledTimes(2)
    expect(document.querySelector('[data-approvals]')!.textContent).toContain('2 of 2')
    // Issuing is the clerk's.
    expect(screen.getByText('The next step is for a clerk.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Issue and print the certificate' })).toBeNull()
  })

  it('offers no approval to a member the backend lists as having approved', async () => {
    at('decided', { decision: 'present', approvals: 1, approvedBy: ['member1'] })
    await open(member1)
    expect(screen.queryByRole('button', { name: 'Approve as Member One' })).toBeNull()
    expect(screen.getByText('You have approved (1 of 2). Another commission member must approve too.')).toBeTruthy()
  })

  it('says when the backend refuses a second approval by the same member', async () => {
    at('decided', { decision: 'present', approvals: 1 })
    kiosk.CommissionApprove.mockRejectedValue('same-member: member1')
    await open(member1)
    await fireEvent.click(screen.getByRole('button', { name: 'Approve as Member One' }))
    expect(
      await screen.findByText(
        'You have approved this case already: a different commission member must give the second approval.',
      ),
    ).toBeTruthy()
    expect(stageShown()).toBe('decided')
  })

  it('the clerk issues an approved certificate, then the case shows its number', async () => {
    at('approved', { decision: 'present', approvals: 2 })
    kiosk.CommissionIssue.mockImplementation(async () =>
      at('issued', {
        decision: 'present',
        approvals: 2,
        issuedAt: '2026-11-22T18:05:09+12:00',
        uvci: 'URN:UVCI:01:RU:KAM00043#X',
      }),
    )
    await open(clerk)
    expect(step()).toBe('issue')
    await fireEvent.click(screen.getByRole('button', { name: 'Issue and print the certificate' }))
    await vi.waitFor(() => expect(stageShown()).toBe('issued'))
    expect(kiosk.CommissionIssue).toHaveBeenCalledExactlyOnceWith('c1')
    expect(document.querySelector('[data-issued]')!.textContent).toContain('URN:UVCI:01:RU:KAM00043#X')
    expect(document.querySelector('[data-issued]')!.textContent).toContain('2026-11-22 18:05')
    expect(screen.queryByRole('button', { name: 'Print the statement for signature' })).toBeNull()

    kiosk.CommissionReprint.mockResolvedValue('41')
    await fireEvent.click(screen.getByRole('button', { name: 'Reprint the certificate (COPY)' }))
    await vi.waitFor(() => expect(kiosk.CommissionReprint).toHaveBeenCalledExactlyOnceWith('c1'))
    expect(await screen.findByText('A copy marked COPY is printing.')).toBeTruthy()
  })

  it('says when the kiosk has no commission', async () => {
    kiosk.CommissionCase.mockRejectedValue('no-commission')
    render(ClerkCase, { t, caseId: 'c1', staff: clerk })
    expect(await screen.findByText('This kiosk has no antibody commission.')).toBeTruthy()
    expect(screen.queryByText('This case was not found.')).toBeNull()
  })

  it('says when the case is not in the register', async () => {
    at('applied')
    render(ClerkCase, { t, caseId: 'c404', staff: clerk })
    expect(await screen.findByText('This case was not found.')).toBeTruthy()
    expect(kiosk.CommissionCase).toHaveBeenCalledWith('c404')
  })
})
