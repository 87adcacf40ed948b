import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import QueueScreen from './QueueScreen.svelte'
import type { JobView } from './staffApi'
import { staffText } from './text'

const kiosk = vi.hoisted(() => ({
  QueueJobs: vi.fn(),
  RetryJob: vi.fn(),
  CancelJob: vi.fn(),
  MoveJob: vi.fn(),
  ReprintJob: vi.fn(),
  Printers: vi.fn(),
}))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

const t = staffText('en')
const front = { kind: 'printer', name: 'Front desk', id: 'ipp://front/ipp/print', state: 'media-jam', simulated: false }
const back = { kind: 'printer', name: 'Back office', id: 'ipp://back/ipp/print', state: 'ready', simulated: false }

function job(id: string, kind: string, state: string, over: Partial<JobView> = {}): JobView {
  return { id, kind, state, printer: '', attempts: 0, lastError: '', createdAt: '2026-11-22T10:00:00Z', ...over }
}

const jobs = [
  job('1', 'print', 'pending', { printer: front.id, attempts: 2, lastError: 'media-jam' }),
  job('2', 'print', 'running', { printer: front.id }),
  job('3', 'issue', 'held', { claimHash: 'ab12' }),
  job('4', 'print', 'done', { printer: back.id, attempts: 1 }),
  job('5', 'print', 'parked', { printer: front.id, attempts: 5, lastError: 'printer offline for 10 min' }),
  job('6', 'report', 'cancelled'),
  job('7', 'report', 'pending', { attempts: 3, lastError: 'registry unreachable' }),
]

function row(id: string): HTMLElement {
  const r = document.querySelector<HTMLElement>(`tr[data-job="${id}"]`)
  if (!r) throw new Error(`no row for job ${id}`)
  return r
}

function rowActions(id: string): string[] {
  return [...row(id).querySelectorAll('button[data-action]')].map((b) => b.getAttribute('data-action')!)
}

async function shown() {
  await vi.waitFor(() => expect(document.querySelectorAll('tr[data-job]').length).toBe(jobs.length))
}

describe('QueueScreen', () => {
  beforeEach(() => {
    kiosk.QueueJobs.mockResolvedValue(jobs)
    kiosk.Printers.mockResolvedValue([front, back])
  })
  afterEach(() => vi.resetAllMocks())

  it('shows each job with its state in words, printer, attempts and last error', async () => {
    render(QueueScreen, { t, canReprint: true, devices: [front] })
    await shown()
    const cells = (id: string) => [...row(id).querySelectorAll('td')].slice(0, 5).map((c) => c.textContent!.trim())
    expect(cells('1')).toEqual(['Printing #1', 'Waiting', 'Front desk', '2', 'media-jam'])
    expect(cells('3')).toEqual(['Certificate request #3', 'Held for the resident', '—', '0', '—'])
    expect(cells('5')).toEqual(['Printing #5', 'Stopped: needs staff', 'Front desk', '5', 'printer offline for 10 min'])
    expect(cells('4')[2]).toBe(back.id) // a printer the kiosk does not list is shown by its address
    expect(row('2').textContent).toContain('Running')
    expect(row('6').textContent).toContain('Cancelled')
  })

  it('offers what each state allows', async () => {
    render(QueueScreen, { t, canReprint: true, devices: [] })
    await shown()
    expect(rowActions('1')).toEqual(['retry', 'move', 'cancel'])
    expect(rowActions('2')).toEqual([])
    expect(rowActions('3')).toEqual(['cancel'])
    expect(rowActions('4')).toEqual(['reprint'])
    expect(rowActions('5')).toEqual(['retry', 'move', 'cancel'])
    expect(rowActions('6')).toEqual([])
    expect(rowActions('7')).toEqual(['retry', 'cancel'])
  })

  it('offers no reprint to a role that may not reprint', async () => {
    render(QueueScreen, { t, canReprint: false, devices: [] })
    await shown()
    expect(rowActions('4')).toEqual([])
  })

  it('retries the job of its row and reloads the queue', async () => {
    kiosk.RetryJob.mockResolvedValue(undefined)
    render(QueueScreen, { t, canReprint: true, devices: [] })
    await shown()
    await fireEvent.click(screen.getByRole('button', { name: 'Retry job 5 now' }))
    await vi.waitFor(() => expect(screen.getByText('The job will run now.')).toBeTruthy())
    expect(kiosk.RetryJob).toHaveBeenCalledExactlyOnceWith('5')
    expect(kiosk.QueueJobs).toHaveBeenCalledTimes(2)
  })

  it('cancels only after a yes', async () => {
    kiosk.CancelJob.mockResolvedValue(undefined)
    render(QueueScreen, { t, canReprint: true, devices: [] })
    await shown()
    await fireEvent.click(within(row('3')).getByRole('button', { name: 'Cancel job 3' }))
    const dialog = screen.getByRole('alertdialog')
    expect(dialog.textContent).toContain('Cancel job 3? It will not run again.')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'No, keep it' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(kiosk.CancelJob).not.toHaveBeenCalled()

    await fireEvent.click(within(row('7')).getByRole('button', { name: 'Cancel job 7' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the job' }))
    await vi.waitFor(() => expect(kiosk.CancelJob).toHaveBeenCalledExactlyOnceWith('7'))
  })

  it('moves a job to a printer picked from the other printers', async () => {
    kiosk.MoveJob.mockResolvedValue(undefined)
    render(QueueScreen, { t, canReprint: true, devices: [] })
    await shown()
    await fireEvent.click(screen.getByRole('button', { name: 'Send job 1 to another printer' }))
    await vi.waitFor(() => expect(document.querySelectorAll('button[data-action="move-to"]').length).toBe(1))
    const target = document.querySelector<HTMLButtonElement>('button[data-action="move-to"]')!
    expect(target.textContent).toBe('Back office — Ready')
    await fireEvent.click(target)
    await vi.waitFor(() => expect(kiosk.MoveJob).toHaveBeenCalledExactlyOnceWith('1', back.id))
    expect(await screen.findByText('The job goes to Back office.')).toBeTruthy()
  })

  it('reprints a printed job marked COPY', async () => {
    kiosk.ReprintJob.mockResolvedValue(undefined)
    render(QueueScreen, { t, canReprint: true, devices: [] })
    await shown()
    const button = within(row('4')).getByRole('button', { name: 'Print job 4 again, marked COPY' })
    expect(button.textContent).toBe('Reprint (COPY)')
    await fireEvent.click(button)
    await vi.waitFor(() => expect(kiosk.ReprintJob).toHaveBeenCalledExactlyOnceWith('4'))
  })

  it('says why an action was refused', async () => {
    kiosk.RetryJob.mockRejectedValue('forbidden')
    render(QueueScreen, { t, canReprint: true, devices: [] })
    await shown()
    await fireEvent.click(screen.getByRole('button', { name: 'Retry job 1 now' }))
    expect(await screen.findByText('Your role does not allow this.')).toBeTruthy()
  })

  it('reads the queue again while it is shown, and stops when it is closed', async () => {
    vi.useFakeTimers()
    try {
      const { unmount } = render(QueueScreen, { t, canReprint: true, devices: [], refreshMs: 5000 })
      await vi.advanceTimersByTimeAsync(0)
      expect(kiosk.QueueJobs).toHaveBeenCalledTimes(1)
      kiosk.QueueJobs.mockResolvedValue([job('1', 'print', 'printed-now', { printer: front.id })])
      await vi.advanceTimersByTimeAsync(5000)
      expect(kiosk.QueueJobs).toHaveBeenCalledTimes(2)
      expect(document.querySelectorAll('tr[data-job]').length).toBe(1)
      unmount()
      await vi.advanceTimersByTimeAsync(20000)
      expect(kiosk.QueueJobs).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('says when the queue is empty', async () => {
    kiosk.QueueJobs.mockResolvedValue(null)
    render(QueueScreen, { t, canReprint: true, devices: [] })
    expect(await screen.findByText('The queue is empty.')).toBeTruthy()
  })
})
