// kiosk-guard.ts: keeps the resident inside the kiosk page. The window is a browser
// underneath, so its shortcuts would reload the page (losing the screen), open the print
// dialog, zoom, open the developer tools or the find bar; a long press would open a
// context menu. Text fields keep their context menu, for staff typing with a real keyboard.

/**
 * A blocked key press: the key (lower case) and, where they matter, whether Ctrl (or Cmd)
 * and Shift must be held; a modifier left out matches either way (Ctrl+Shift+R reloads
 * like Ctrl+R, and "+" needs Shift on many layouts).
 */
interface Shortcut {
  key: string
  ctrl?: true
  shift?: true
}

/** The shortcuts the guard swallows. */
const blocked: Shortcut[] = [
  { key: 'f5' }, // reload, Ctrl+F5 too
  { key: 'browserrefresh' },
  { key: 'r', ctrl: true },
  { key: 'p', ctrl: true }, // print
  { key: 'f', ctrl: true }, // find
  { key: 'g', ctrl: true },
  { key: 'f3' },
  { key: '+', ctrl: true }, // zoom
  { key: '=', ctrl: true },
  { key: '-', ctrl: true },
  { key: '_', ctrl: true },
  { key: '0', ctrl: true },
  { key: 'f12' }, // developer tools
  { key: 'i', ctrl: true, shift: true },
  { key: 'j', ctrl: true, shift: true },
  { key: 'c', ctrl: true, shift: true },
  { key: 'u', ctrl: true }, // page source
  { key: 'f7' }, // caret browsing
]

/** isBlockedKey tells whether the key press is one of the browser's shortcuts the kiosk refuses. */
export function isBlockedKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): boolean {
  const key = e.key.toLowerCase()
  const ctrl = e.ctrlKey || e.metaKey
  return blocked.some((s) => s.key === key && (!s.ctrl || ctrl) && (!s.shift || e.shiftKey))
}

/** isTextField tells whether target is somewhere text is typed, where the context menu stays. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false
  const field = target.closest('input, textarea, [contenteditable=""], [contenteditable="true"]')
  if (!field) return false
  if (field instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'image', 'file', 'color'].includes(field.type)
  }
  return true
}

/** installKioskGuard starts guarding win and returns a function that stops. */
export function installKioskGuard(win: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (isBlockedKey(e)) {
      e.preventDefault()
      e.stopPropagation()
    }
  }
  const onContextMenu = (e: Event) => {
    if (!isTextField(e.target)) e.preventDefault()
  }
  const onWheel = (e: WheelEvent) => {
    if (e.ctrlKey || e.metaKey) e.preventDefault()
  }
  // Pinch-zoom on touch screens arrives as gesture events in WebKit.
  const onGesture = (e: Event) => e.preventDefault()
  win.addEventListener('keydown', onKey, { capture: true })
  win.addEventListener('contextmenu', onContextMenu, { capture: true })
  win.addEventListener('wheel', onWheel, { capture: true, passive: false })
  win.addEventListener('gesturestart', onGesture, { capture: true })
  return () => {
    win.removeEventListener('keydown', onKey, { capture: true })
    win.removeEventListener('contextmenu', onContextMenu, { capture: true })
    win.removeEventListener('wheel', onWheel, { capture: true })
    win.removeEventListener('gesturestart', onGesture, { capture: true })
  }
}
