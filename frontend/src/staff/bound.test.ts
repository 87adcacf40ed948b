import { afterEach, describe, expect, it, vi } from 'vitest'
import { call } from './bound'
import { CommissionCases } from './commissionApi'
import { QueueJobs } from './staffApi'

const kiosk = vi.hoisted(() => ({ QueueJobs: vi.fn() }))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

describe('call', () => {
  afterEach(() => {
    delete window.go
    vi.resetAllMocks()
  })

  it('uses the generated binding when there is one', async () => {
    kiosk.QueueJobs.mockResolvedValue([{ id: '1' }])
    window.go = { kiosk: { App: { QueueJobs: async () => [{ id: 'from the window' }] } } }
    expect(await QueueJobs()).toEqual([{ id: '1' }])
  })

  it('falls back to the method the window binds, for methods newer than the bindings', async () => {
    const cases = vi.fn(async (query: string) => [{ id: 'c1', name: query, stage: 'applied', approvals: 0 }])
    window.go = { kiosk: { App: { CommissionSearch: cases } } }
    expect(await CommissionCases('Иванов')).toEqual([{ id: 'c1', name: 'Иванов', stage: 'applied', approvals: 0 }])
    expect(cases).toHaveBeenCalledWith('Иванов')
  })

  it('fails with "unavailable" outside the kiosk window', async () => {
    await expect(call('CommissionIssue', 'c1')).rejects.toThrow('unavailable')
  })

  it('passes on the Go error', async () => {
    kiosk.QueueJobs.mockRejectedValue('forbidden')
    await expect(QueueJobs()).rejects.toBe('forbidden')
  })

  it('reads a null list as empty', async () => {
    kiosk.QueueJobs.mockResolvedValue(null)
    expect(await QueueJobs()).toEqual([])
  })
})
