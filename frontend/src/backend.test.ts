import { afterEach, describe, expect, it } from 'vitest'
import { hasBackend, languages } from './backend'

/** bindLanguages stands in for the Go method the Wails window binds. */
function bindLanguages(fn: () => Promise<unknown>) {
  window.go = { kiosk: { App: { Languages: fn } } }
}

describe('backend', () => {
  afterEach(() => {
    delete window.go
  })

  it('falls back to the built-in languages without the Wails window', async () => {
    expect(hasBackend()).toBe(false)
    expect((await languages()).map((l) => [l.code, l.name])).toEqual([
      ['et', 'Eesti'],
      ['en', 'English'],
      ['ru', 'Русский'],
      ['az', 'Azərbaycan'],
    ])
  })

  it('asks the Go side inside the window, dropping languages without a catalogue', async () => {
    bindLanguages(async () => [
      { code: 'az', name: 'Azərbaycan' },
      { code: 'tr', name: 'Türkçe' },
      { code: 'en', name: 'English' },
    ])
    expect(hasBackend()).toBe(true)
    expect(await languages()).toEqual([
      { code: 'az', name: 'Azərbaycan' },
      { code: 'en', name: 'English' },
    ])
  })

  it('falls back when the Go side offers nothing the frontend can show', async () => {
    bindLanguages(async () => [{ code: 'tr', name: 'Türkçe' }])
    expect((await languages()).map((l) => l.code)).toEqual(['et', 'en', 'ru', 'az'])
  })

  it('passes on a failure of the Go side', async () => {
    bindLanguages(async () => {
      throw new Error('bound method failed')
    })
    await expect(languages()).rejects.toThrow('bound method failed')
  })
})
