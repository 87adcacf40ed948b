import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { languageIn, sessionIn } from '../testing/fakes'
import DemoDevices from './DemoDevices.svelte'

const people = [
  { id: 'ee-1001', name: 'Mari Tamm', scenario: 'vaccination 2/2' },
  { id: 'ee-1005', name: 'Andres Saar', scenario: 'vaccination 1/2' },
]

describe('DemoDevices', () => {
  it('scans each kind of demo certificate', async () => {
    const { session, facade } = sessionIn({ screen: 'identify', demo: true, demoPeople: people })
    render(DemoDevices, { session, language: languageIn('en') })
    const group = screen.getByRole('group', { name: 'Scan a certificate' })
    const buttons = within(group).getAllByRole('button')
    expect(buttons.map((b) => [b.dataset.action, b.textContent])).toEqual([
      ['scan-certificate-valid', 'Valid'],
      ['scan-certificate-rules', 'Not accepted now'],
      ['scan-certificate-forged', 'Forged'],
      ['scan-certificate-printed', 'Last printed'],
    ])
    for (const [i, kind] of ['valid', 'rules', 'forged', 'printed'].entries()) {
      await fireEvent.click(buttons[i])
      expect(facade.ScanDemoCertificate).toHaveBeenLastCalledWith(kind)
    }
    expect(facade.ScanDemoCertificate).toHaveBeenCalledTimes(4)
  })

  it('shows a failed scan as the session’s error', async () => {
    const { session, facade } = sessionIn({ screen: 'identify', demo: true, demoPeople: people })
    facade.ScanDemoCertificate.mockRejectedValueOnce(new Error('nothing-printed'))
    render(DemoDevices, { session, language: languageIn('en') })
    await fireEvent.click(document.querySelector('[data-action="scan-certificate-printed"]')!)
    expect(session.error).toBe('nothing-printed')
  })

  it('is a strip of names in compact form, with the certificates too', async () => {
    const { session, facade } = sessionIn({ screen: 'attract', demo: true, demoPeople: people })
    render(DemoDevices, { session, language: languageIn('et'), compact: true })
    const panel = screen.getByRole('region', { name: 'Simuleeritud seadmed' })
    expect(panel.classList.contains('compact')).toBe(true)
    expect(within(panel).getByText('Andres Saar')).toBeTruthy()
    expect(within(panel).queryByText('vaccination 1/2')).toBeNull()
    await fireEvent.click(within(panel).getByRole('button', { name: 'Sisesta kaart: Andres Saar' }))
    expect(facade.InsertDemoCard).toHaveBeenCalledWith('ee-1005')
    expect(panel.querySelector('[data-action="scan-certificate-valid"]')).toBeTruthy()
  })

  it('puts every button of the compact form in one row, the cards first, each group named', () => {
    const { session } = sessionIn({ screen: 'attract', demo: true, demoPeople: people })
    render(DemoDevices, { session, language: languageIn('en'), compact: true })
    const panel = screen.getByRole('region', { name: 'Simulated devices' })
    const row = panel.querySelector<HTMLElement>('.row')!
    expect([...row.querySelectorAll('button')].map((b) => b.dataset.action)).toEqual([
      'insert-card-ee-1001',
      'insert-card-ee-1005',
      'scan-certificate-valid',
      'scan-certificate-rules',
      'scan-certificate-forged',
      'scan-certificate-printed',
    ])
    expect(panel.querySelectorAll('button')).toHaveLength(6)
    expect(within(row).getByRole('group', { name: 'Insert card' })).toBeTruthy()
    expect(within(row).getByRole('group', { name: 'Scan a certificate' })).toBeTruthy()
  })

  it('is not there on a real kiosk', () => {
    const { session } = sessionIn({ screen: 'identify', demo: false, demoPeople: people })
    render(DemoDevices, { session, language: languageIn('en') })
    expect(document.querySelector('[data-demo-panel]')).toBeNull()
    expect(document.querySelector('[data-action^="scan-certificate-"]')).toBeNull()
  })
})
