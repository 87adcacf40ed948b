import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { Offer, Refusal } from '../state'
import { languageIn, sessionIn } from '../testing/fakes'
import ResultsScreen from './ResultsScreen.svelte'

const offers: Offer[] = [
  { id: 'v2', kind: 'vaccination', dose: 2, doses: 2, date: '2021-06-11', validUntil: '2022-06-11', source: 'local' },
  { id: 't1', kind: 'test', date: '2021-07-01', validFrom: '2021-07-01', validUntil: '2021-07-04', source: 'federal' },
]
const refusals: Refusal[] = [
  {
    kind: 'recovery',
    reason: 'recovery-too-old',
    text: 'Вы переболели более 6 месяцев назад.',
    nextStep: 'Сделайте прививку или ПЦР-тест.',
  },
]

/** facts reads an offer's definition list as label → value. */
function facts(el: Element): Record<string, string> {
  const out: Record<string, string> = {}
  for (const dt of el.querySelectorAll('dt')) {
    out[dt.textContent!.trim()] = dt.nextElementSibling!.textContent!.trim()
  }
  return out
}

function action(name: string): HTMLButtonElement {
  const el = document.querySelector<HTMLButtonElement>(`[data-action="${name}"]`)
  if (!el) throw new Error(`no [data-action="${name}"]`)
  return el
}

describe('ResultsScreen', () => {
  it('lists each offer with kind, dose, date and validity', () => {
    const { session } = sessionIn({ screen: 'results', offers, person: { name: 'Mari Maasikas', birthDate: '1950-03-07' } })
    render(ResultsScreen, { session, language: languageIn('en') })
    expect(screen.getByText('For Mari Maasikas, born 07.03.1950')).toBeTruthy()
    const first = document.querySelector('[data-offer="v2"]')!
    expect(first.textContent).toContain('Vaccination certificate')
    expect(first.textContent).toContain('Dose 2 of 2')
    expect(facts(first)).toEqual({ 'Vaccinated on': '11.06.2021', 'Valid until': '11.06.2022' })
    const second = document.querySelector('[data-offer="t1"]')!
    expect(second.textContent).toContain('Test certificate')
    expect(facts(second)).toEqual({ 'Tested on': '01.07.2021', 'Valid from': '01.07.2021', 'Valid until': '04.07.2021' })
    expect(second.textContent).toContain('Found in the national registry')
    expect(screen.queryByText('Certificates that cannot be issued')).toBeNull()
    expect(document.querySelector('[data-action="print-slip"]')).toBeNull()
  })

  it('shows each refusal as the backend wrote it, and prints the slip', async () => {
    const { session, facade } = sessionIn({ screen: 'results', language: 'ru', offers: [], refusals })
    render(ResultsScreen, { session, language: languageIn('ru') })
    expect(screen.getByText('Сейчас для вас нельзя напечатать ни одного сертификата.')).toBeTruthy()
    const refusal = document.querySelector('[data-reason="recovery-too-old"]')!
    expect(refusal.textContent).toContain('Сертификат о перенесённом заболевании')
    expect(refusal.textContent).toContain('Вы переболели более 6 месяцев назад.')
    expect(refusal.textContent).toContain('Что можно сделать: Сделайте прививку или ПЦР-тест.')
    expect(document.querySelector('[data-action="print-all"]')).toBeNull()
    await fireEvent.click(action('print-slip'))
    expect(facade.PrintRefusalSlip).toHaveBeenCalledOnce()
  })

  it('shows offers and refusals together', () => {
    const { session } = sessionIn({ screen: 'results', offers, refusals })
    render(ResultsScreen, { session, language: languageIn('en') })
    expect(document.querySelectorAll('[data-offer]')).toHaveLength(2)
    expect(document.querySelectorAll('[data-reason]')).toHaveLength(1)
    expect(action('print-all')).toBeTruthy()
    expect(action('print-slip')).toBeTruthy()
  })

  it('prints all, or only the chosen ones', async () => {
    const { session, facade } = sessionIn({ screen: 'results', offers })
    render(ResultsScreen, { session, language: languageIn('en') })
    expect(action('print-selected').disabled).toBe(true)
    await fireEvent.click(action('select-t1'))
    expect(action('print-selected').textContent).toBe('Print the chosen ones (1)')
    await fireEvent.click(action('print-selected'))
    expect(facade.PrintCertificates).toHaveBeenLastCalledWith(['t1'])
    await fireEvent.click(action('print-all'))
    expect(facade.PrintCertificates).toHaveBeenLastCalledWith(['v2', 't1'])
  })

  it('opens the preview of an offer and finishes', async () => {
    const { session, facade } = sessionIn({ screen: 'results', offers })
    render(ResultsScreen, { session, language: languageIn('en') })
    await fireEvent.click(screen.getByRole('button', { name: 'Look at it: Test certificate' }))
    expect(facade.ShowPreview).toHaveBeenCalledWith('t1')
    await fireEvent.click(action('finish'))
    expect(facade.Finish).toHaveBeenCalledOnce()
  })

  it('shows a kind it does not know as given', () => {
    const { session } = sessionIn({ screen: 'results', refusals: [{ kind: 'antibody', reason: 'x', text: 'T', nextStep: 'N' }] })
    render(ResultsScreen, { session, language: languageIn('en') })
    expect(document.querySelector('[data-reason="x"] h3')!.textContent).toBe('antibody')
  })
})
