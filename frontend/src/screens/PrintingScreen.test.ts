import { render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { PrintJob } from '../state'
import { languageIn, sessionIn } from '../testing/fakes'
import PrintingScreen from './PrintingScreen.svelte'

function job(partial: Partial<PrintJob>): PrintJob {
  return { id: 'j1', what: 'certificate', state: 'printing', printerState: 'printing', ...partial }
}

function renderJobs(jobs: PrintJob[], code: 'et' | 'en' | 'ru' | 'az' = 'en') {
  const { session } = sessionIn({ screen: 'printing', print: { jobs, done: false } })
  render(PrintingScreen, { session, language: languageIn(code) })
}

function line(id = 'j1'): string {
  return [...document.querySelector(`[data-job="${id}"]`)!.querySelectorAll('span')].map((s) => s.textContent).join(' | ')
}

describe('PrintingScreen', () => {
  const jobStates: [string, string][] = [
    ['queued', 'Waiting to print'],
    ['printing', 'Printing now'],
    ['printed', 'Printed'],
    ['held', 'Kept for later'],
    ['failed', 'Not printed'],
  ]
  for (const [state, words] of jobStates) {
    it(`says a ${state} job in words`, () => {
      renderJobs([job({ state, printerState: 'printing' })])
      expect(line()).toBe(`Certificate | ${words}`)
    })
  }

  const printerStates: [string, string, boolean][] = [
    ['media-empty', 'The printer is out of paper.', true],
    ['media-jam', 'There is a paper jam in the printer.', true],
    ['offline', 'The printer is switched off or not connected.', true],
    ['stopped', 'The printer has stopped.', true],
    ['unknown', 'We cannot tell what the printer is doing.', false],
  ]
  for (const [printerState, words, staff] of printerStates) {
    it(`says the printer state ${printerState} in words`, () => {
      renderJobs([job({ state: 'held', printerState })])
      expect(line()).toBe(`Certificate | Kept for later | ${words}`)
      expect(screen.queryByRole('alert') !== null).toBe(staff)
    })
  }

  it('names a trouble with the printer while a job waits', () => {
    renderJobs([job({ state: 'queued', printerState: 'media-empty' })])
    expect(line()).toBe('Certificate | Waiting to print | The printer is out of paper.')
  })

  it('says nothing of the printer while a job waits for the first look at it', () => {
    renderJobs([job({ state: 'queued', printerState: 'unknown' })])
    expect(line()).toBe('Certificate | Waiting to print')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('asks the resident to wait while all goes well', () => {
    renderJobs([job({ what: 'certificate', state: 'printed', printerState: 'ready' }), job({ id: 'j2', what: 'slip', state: 'printing', printerState: 'printing' })])
    expect(line('j2')).toBe('Explanation | Printing now')
    expect(screen.getByText('Please wait by the printer.')).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('asks for staff when a job failed', () => {
    renderJobs([job({ what: 'receipt', state: 'failed', printerState: 'ready' })], 'az')
    expect(line()).toBe('Qəbz | Çap edilmədi')
    expect(screen.getByRole('alert').textContent).toContain('İşçidən printerə baxmasını xahiş edin.')
  })

  it('says the paper ran out in Russian', () => {
    renderJobs([job({ state: 'queued', printerState: 'media-empty' })], 'ru')
    expect(line()).toBe('Сертификат | Ждёт печати | В принтере закончилась бумага.')
  })
})
