import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installKioskGuard, isBlockedKey, isTextField } from './kiosk-guard'

/** press dispatches a key press on target and tells whether the page let it through. */
function press(target: EventTarget, key: string, mods: { ctrlKey?: boolean; shiftKey?: boolean; metaKey?: boolean } = {}): boolean {
  return target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...mods }))
}

describe('isBlockedKey', () => {
  const cases: [string, { key: string; ctrlKey?: boolean; shiftKey?: boolean; metaKey?: boolean }, boolean][] = [
    ['F5 reloads', { key: 'F5' }, true],
    ['Ctrl+F5 reloads', { key: 'F5', ctrlKey: true }, true],
    ['Ctrl+R reloads', { key: 'r', ctrlKey: true }, true],
    ['Ctrl+Shift+R reloads', { key: 'R', ctrlKey: true, shiftKey: true }, true],
    ['Ctrl+P prints', { key: 'p', ctrlKey: true }, true],
    ['Cmd+P prints', { key: 'p', metaKey: true }, true],
    ['Ctrl++ zooms', { key: '+', ctrlKey: true, shiftKey: true }, true],
    ['Ctrl+= zooms', { key: '=', ctrlKey: true }, true],
    ['Ctrl+- zooms', { key: '-', ctrlKey: true }, true],
    ['Ctrl+0 resets zoom', { key: '0', ctrlKey: true }, true],
    ['F12 opens the developer tools', { key: 'F12' }, true],
    ['Ctrl+Shift+I opens the developer tools', { key: 'I', ctrlKey: true, shiftKey: true }, true],
    ['Ctrl+Shift+J opens the console', { key: 'J', ctrlKey: true, shiftKey: true }, true],
    ['Ctrl+Shift+C picks an element', { key: 'C', ctrlKey: true, shiftKey: true }, true],
    ['Ctrl+F finds', { key: 'f', ctrlKey: true }, true],
    ['F3 finds again', { key: 'F3' }, true],
    ['a letter types', { key: 'r' }, false],
    ['a digit types', { key: '0' }, false],
    ['minus types', { key: '-' }, false],
    ['Ctrl+C copies', { key: 'c', ctrlKey: true }, false],
    ['Ctrl+V pastes', { key: 'v', ctrlKey: true }, false],
    ['Shift+I types a capital', { key: 'I', shiftKey: true }, false],
    ['Backspace deletes', { key: 'Backspace' }, false],
    ['Enter submits', { key: 'Enter' }, false],
  ]
  for (const [name, e, want] of cases) {
    it(name, () => {
      expect(isBlockedKey({ ctrlKey: false, shiftKey: false, metaKey: false, ...e })).toBe(want)
    })
  }
})

describe('isTextField', () => {
  it('knows text inputs, text areas and editable elements, not buttons', () => {
    document.body.innerHTML = `
      <input id="text" type="text"><input id="box" type="checkbox"><textarea id="area"></textarea>
      <div contenteditable="true"><span id="inside">x</span></div><button id="button">b</button>`
    const by = (id: string) => document.getElementById(id)
    expect([by('text'), by('box'), by('area'), by('inside'), by('button'), null].map(isTextField)).toEqual([true, false, true, true, false, false])
  })
})

describe('installKioskGuard', () => {
  let uninstall: () => void
  beforeEach(() => {
    document.body.innerHTML = '<button id="b">go</button><input id="t" type="text">'
    uninstall = installKioskGuard(window)
  })
  afterEach(() => {
    uninstall()
  })

  it('swallows the browser shortcuts and lets typing through', () => {
    const button = document.getElementById('b')!
    expect(press(button, 'F5')).toBe(false)
    expect(press(button, 'r', { ctrlKey: true })).toBe(false)
    expect(press(button, 'p', { ctrlKey: true })).toBe(false)
    expect(press(button, 'F12')).toBe(false)
    expect(press(button, 'a')).toBe(true)
    expect(press(button, 'Enter')).toBe(true)
  })

  it('keeps the context menu in text fields only', () => {
    const menu = (el: Element) => el.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }))
    expect(menu(document.getElementById('b')!)).toBe(false)
    expect(menu(document.body)).toBe(false)
    expect(menu(document.getElementById('t')!)).toBe(true)
  })

  it('stops Ctrl+wheel zoom and lets plain scrolling through', () => {
    const wheel = (ctrlKey: boolean) => {
      const e = new WheelEvent('wheel', { deltaY: 100, ctrlKey, bubbles: true, cancelable: true })
      // happy-dom's WheelEvent leaves out the modifier keys of its init.
      Object.defineProperty(e, 'ctrlKey', { value: ctrlKey })
      return document.body.dispatchEvent(e)
    }
    expect(wheel(true)).toBe(false)
    expect(wheel(false)).toBe(true)
  })

  it('lets everything through once uninstalled', () => {
    uninstall()
    expect(press(document.body, 'F5')).toBe(true)
    expect(document.body.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }))).toBe(true)
    uninstall = () => {}
  })
})
