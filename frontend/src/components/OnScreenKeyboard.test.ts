import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import OnScreenKeyboard, { letterRows } from './OnScreenKeyboard.svelte'

/** keys returns the characters of the keyboard's letter and digit keys. */
function keys(): string[] {
  return [...document.querySelectorAll<HTMLElement>('[data-key]')].map((k) => k.dataset.key!).filter((k) => [...k].length === 1)
}

async function tap(...chars: string[]) {
  for (const c of chars) {
    await fireEvent.click(document.querySelector(`[data-key="${c}"]`)!)
  }
}

function shown(): string {
  return document.querySelector('output')!.textContent ?? ''
}

describe('OnScreenKeyboard', () => {
  it('has the letters of each language', () => {
    const flat = (rows: string[][]) => rows.flat().join('')
    expect(flat(letterRows('et', 'latin'))).toContain('õäöü')
    expect(flat(letterRows('az', 'latin'))).toContain('əğıöşçü')
    expect(flat(letterRows('ru', 'cyrillic'))).toContain('ж')
    expect(flat(letterRows('ru', 'cyrillic'))).toContain('ё')
    expect(flat(letterRows('en', 'latin'))).not.toContain('ä')
  })

  it('types digits only in the digits layout', async () => {
    render(OnScreenKeyboard, { layout: 'digits', label: 'PIN' })
    expect(keys().sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    await tap('4', '8', '1')
    expect(shown()).toBe('481')
  })

  it('types capitals, digits and hyphen in the code layout', async () => {
    render(OnScreenKeyboard, { layout: 'code', label: 'Claim code' })
    expect(keys()).toContain('Q')
    expect(keys()).toContain('-')
    expect(keys()).not.toContain('q')
    await tap('K', '7', '-', '2')
    expect(shown()).toBe('K7-2')
  })

  it('starts a word with a capital, then small letters, in Estonian', async () => {
    render(OnScreenKeyboard, { layout: 'text', label: 'Nimi', lang: 'et' })
    expect(keys()).toContain('Õ')
    await tap('Õ')
    expect(keys()).toContain('õ')
    await tap('i', 'e')
    await fireEvent.click(screen.getByRole('button', { name: 'Tühik' }))
    await tap('Ä')
    expect(shown()).toBe('Õie Ä')
  })

  it('uses Azerbaijani capitals for i and ı', async () => {
    render(OnScreenKeyboard, { layout: 'text', label: 'Ad', lang: 'az' })
    expect(keys()).toContain('İ')
    expect(keys()).toContain('I')
    expect(keys()).toContain('Ə')
  })

  it('starts Russian in Cyrillic and switches to Latin', async () => {
    render(OnScreenKeyboard, { layout: 'text', label: 'Имя', lang: 'ru' })
    expect(keys()).toContain('Ж')
    await fireEvent.click(screen.getByRole('button', { name: 'Латинские буквы' }))
    expect(keys()).not.toContain('Ж')
    expect(keys()).toContain('Q')
    expect(screen.getByRole('button', { name: 'Русские буквы' })).toBeTruthy()
  })

  it('deletes with backspace, stops at maxLength and hands the value to onDone', async () => {
    const onDone = vi.fn()
    render(OnScreenKeyboard, { layout: 'digits', label: 'Date', maxLength: 3, onDone, value: '1' })
    await tap('2', '3', '4')
    expect(shown()).toBe('123')
    await fireEvent.click(screen.getByRole('button', { name: 'Delete the last character' }))
    expect(shown()).toBe('12')
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(onDone).toHaveBeenCalledWith('12')
  })

  it('is a group named by its label, every key with a name', () => {
    render(OnScreenKeyboard, { layout: 'digits', label: 'Claim code' })
    const group = screen.getByRole('group', { name: 'Claim code' })
    const buttons = within(group).getAllByRole('button')
    expect(buttons.length).toBe(12)
    expect(buttons.filter((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === '')).toEqual([])
  })

  it('can leave showing the value to the screen', () => {
    render(OnScreenKeyboard, { layout: 'digits', label: 'x', showValue: false, value: '12' })
    expect(document.querySelector('output')).toBeNull()
  })
})
