import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { languageIn, sessionIn } from '../testing/fakes'
import ClaimScreen, { isoBirthDate, withDots } from './ClaimScreen.svelte'

async function tap(...keys: string[]) {
  for (const k of keys) {
    await fireEvent.click(document.querySelector(`[data-key="${k}"]`)!)
  }
}

function field(name: string): HTMLInputElement {
  return document.querySelector<HTMLInputElement>(`[data-field="${name}"]`)!
}

describe('birth dates typed as digits', () => {
  it('get dots as they fill', () => {
    expect(['', '1', '11', '110', '1106', '11061950'].map(withDots)).toEqual(['', '1', '11', '11.0', '11.06', '11.06.1950'])
  })
  it('become ISO dates only when whole and real', () => {
    expect(isoBirthDate('11061950')).toBe('1950-06-11')
    expect(isoBirthDate('29021952')).toBe('1952-02-29')
    expect(isoBirthDate('29021951')).toBeNull()
    expect(isoBirthDate('3106195')).toBeNull()
    expect(isoBirthDate('31131950')).toBeNull()
  })
})

describe('ClaimScreen', () => {
  it('types the code, then the date of birth, and claims', async () => {
    const { session, facade } = sessionIn({ screen: 'claim' })
    render(ClaimScreen, { session, language: languageIn('en') })
    expect(screen.getByRole('group', { name: 'Claim code' })).toBeTruthy()
    await tap('K', '7', '-', 'Q')
    expect(field('code').value).toBe('K7-Q')

    await tap('done')
    expect(screen.getByRole('group', { name: 'Date of birth (day, month, year)' })).toBeTruthy()
    await tap('0', '7', '0', '3', '1', '9', '5', '0')
    expect(field('birth').value).toBe('07.03.1950')

    await fireEvent.click(document.querySelector('[data-action="claim-submit"]')!)
    expect(facade.Claim).toHaveBeenCalledWith('K7-Q', '1950-03-07')
  })

  it('goes back to the code field when it is tapped', async () => {
    const { session } = sessionIn({ screen: 'claim' })
    render(ClaimScreen, { session, language: languageIn('en') })
    await tap('done')
    await fireEvent.focus(field('code'))
    expect(screen.getByRole('group', { name: 'Claim code' })).toBeTruthy()
  })

  it('asks for what is missing instead of claiming', async () => {
    const { session, facade } = sessionIn({ screen: 'claim' })
    render(ClaimScreen, { session, language: languageIn('ru') })
    await tap('A', '1')
    await fireEvent.click(document.querySelector('[data-action="claim-submit"]')!)
    expect(screen.getByRole('alert').textContent).toBe('Введите код получения и полную дату рождения.')
    expect(facade.Claim).not.toHaveBeenCalled()
  })

  it('goes back', async () => {
    const { session, facade } = sessionIn({ screen: 'claim' })
    render(ClaimScreen, { session, language: languageIn('en') })
    await fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    expect(facade.Cancel).toHaveBeenCalledOnce()
  })
})
