import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { languageIn, sessionIn } from '../testing/fakes'
import IdentifyScreen from './IdentifyScreen.svelte'

const people = [
  { id: 'mari', name: 'Mari Maasikas', scenario: 'two doses, valid' },
  { id: 'ivan', name: 'Иван Петров', scenario: 'vaccinated abroad' },
]

describe('IdentifyScreen', () => {
  it('asks for the card or a document, with no demo panel on a real kiosk', () => {
    const { session } = sessionIn({ screen: 'identify', demo: false, demoPeople: people })
    render(IdentifyScreen, { session, language: languageIn('en') })
    expect(document.querySelector('[data-screen="identify"]')).toBeTruthy()
    expect(screen.getByText('Put your ID card into the card reader, chip first.')).toBeTruthy()
    expect(screen.queryByRole('region', { name: 'Simulated devices' })).toBeNull()
    expect(document.querySelector('[data-action^="insert-card-"]')).toBeNull()
    expect(document.querySelector('[data-action^="scan-certificate-"]')).toBeNull()
  })

  it('lists the demo people in a marked panel in demo mode, each with both devices', async () => {
    const { session, facade } = sessionIn({ screen: 'identify', demo: true, demoPeople: people })
    render(IdentifyScreen, { session, language: languageIn('en') })
    expect(screen.getByRole('region', { name: 'Simulated devices' })).toBeTruthy()
    expect(screen.getByText('Mari Maasikas')).toBeTruthy()
    expect(screen.getByText('vaccinated abroad')).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Insert card: Mari Maasikas' }))
    expect(facade.InsertDemoCard).toHaveBeenCalledWith('mari')
    await fireEvent.click(document.querySelector('[data-action="scan-document-ivan"]')!)
    expect(facade.ScanDemoDocument).toHaveBeenCalledWith('ivan')
    await fireEvent.click(screen.getByRole('button', { name: 'Not accepted now' }))
    expect(facade.ScanDemoCertificate).toHaveBeenCalledWith('rules')
  })

  it('shows no panel in demo mode when nobody can be presented', () => {
    const { session } = sessionIn({ screen: 'identify', demo: true, demoPeople: [] })
    render(IdentifyScreen, { session, language: languageIn('en') })
    expect(screen.queryByRole('region', { name: 'Simulated devices' })).toBeNull()
  })

  it('opens the claim and goes back to the start', async () => {
    const { session, facade } = sessionIn({ screen: 'identify' })
    render(IdentifyScreen, { session, language: languageIn('et') })
    await fireEvent.click(screen.getByRole('button', { name: 'Mul on nõudekood' }))
    expect(facade.OpenClaim).toHaveBeenCalledOnce()
    await fireEvent.click(document.querySelector('[data-action="finish"]')!)
    expect(facade.Finish).toHaveBeenCalledOnce()
  })
})
