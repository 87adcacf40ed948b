import { afterEach, describe, expect, it, vi, type Mock } from 'vitest'

const bound = vi.hoisted(() => {
  const names = ['Touch', 'Start', 'ChooseLanguage', 'InsertDemoCard', 'ScanDemoDocument', 'ScanDemoCertificate', 'Cancel', 'ShowPreview', 'ClosePreview']
  const rest = ['PrintCertificates', 'PrintRefusalSlip', 'OpenClaim', 'Claim', 'Finish', 'Languages']
  const methods: Record<string, Mock> = Object.fromEntries([...names, ...rest].map((n) => [n, vi.fn(async () => {})]))
  methods.Poll = vi.fn(async (after: number) => ({ seq: after + 1, screen: 'identify' }))
  return methods
})
vi.mock('../wailsjs/go/kiosk/App', () => bound)

import { facade } from './backend'

describe('facade', () => {
  afterEach(() => {
    delete window.go
  })

  it('is null outside the Wails window', () => {
    expect(facade()).toBeNull()
  })

  it('calls the generated bindings inside the window', async () => {
    window.go = {}
    const f = facade()!
    expect(await f.Poll(4)).toEqual({ seq: 5, screen: 'identify' })
    await f.Start()
    await f.Claim('K7', '1950-03-07')
    await f.ScanDemoCertificate('forged')
    expect(bound.Poll).toHaveBeenCalledWith(4)
    expect(bound.Start).toHaveBeenCalledOnce()
    expect(bound.Claim).toHaveBeenCalledWith('K7', '1950-03-07')
    expect(bound.ScanDemoCertificate).toHaveBeenCalledWith('forged')
  })
})
