import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import StaffEntry from './StaffEntry.svelte'
import type { StaffState } from './staffApi'

const kiosk = vi.hoisted(() => ({
  StaffUnlock: vi.fn(),
  StaffLock: vi.fn(),
  QueueJobs: vi.fn(),
  Printers: vi.fn(),
  CheckIdentifier: vi.fn(),
  CommissionSearch: vi.fn(),
}))
vi.mock('../../wailsjs/go/kiosk/App', () => kiosk)

function session(over: Partial<StaffState> = {}): StaffState {
  return { language: 'en', profile: 'EE', devices: [], ...over }
}

function screenEl(name: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-screen="${name}"]`)
  if (!el) throw new Error(`no screen ${name}`)
  return el
}

/** actions lists the data-action of the buttons inside el. */
function actions(el: ParentNode): string[] {
  return [...el.querySelectorAll('button[data-action]')].map((b) => b.getAttribute('data-action')!)
}

async function typePin(digits: string) {
  for (const d of digits) {
    await fireEvent.click(document.querySelector(`button[data-action="digit"][data-digit="${d}"]`)!)
  }
}

async function signIn(id: string, pin: string) {
  await fireEvent.input(screen.getByLabelText('Staff ID'), { target: { value: id } })
  await typePin(pin)
  await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
}

describe('StaffEntry: PIN pad', () => {
  afterEach(() => vi.resetAllMocks())

  it('asks for the staff id and PIN while nobody is unlocked, with the PIN hidden', async () => {
    render(StaffEntry, { state: session(), close: () => {} })
    expect(screenEl('staff-pin')).toBeTruthy()
    await typePin('4815')
    const dots = document.querySelector('output[data-pin-length]')!
    expect(dots.getAttribute('data-pin-length')).toBe('4')
    expect(dots.textContent).not.toContain('4815')
    expect(dots.textContent).toContain('4 digits typed')
    await fireEvent.click(screen.getByRole('button', { name: 'Erase the last digit' }))
    expect(dots.getAttribute('data-pin-length')).toBe('3')
    await fireEvent.click(screen.getByRole('button', { name: 'Clear the PIN' }))
    expect(dots.getAttribute('data-pin-length')).toBe('0')
  })

  it('unlocks with the staff id and the PIN typed on the digits', async () => {
    kiosk.StaffUnlock.mockResolvedValue(undefined)
    render(StaffEntry, { state: session(), close: () => {} })
    await signIn('librarian', '481516')
    expect(kiosk.StaffUnlock).toHaveBeenCalledWith('librarian', '481516')
    expect(document.querySelector('[data-error]')!.textContent).toBe('')
  })

  it('says a wrong PIN in words and clears the PIN', async () => {
    kiosk.StaffUnlock.mockRejectedValue('wrong-pin')
    render(StaffEntry, { state: session(), close: () => {} })
    await signIn('librarian', '000000')
    expect(await screen.findByText('Wrong staff ID or PIN.')).toBeTruthy()
    expect(document.querySelector('output[data-pin-length]')!.getAttribute('data-pin-length')).toBe('0')
    expect(screenEl('staff-pin')).toBeTruthy()
  })

  it('says how long to wait when locked out', async () => {
    kiosk.StaffUnlock.mockRejectedValue('locked-out: 240')
    render(StaffEntry, { state: session(), close: () => {} })
    await signIn('librarian', '000000')
    expect(await screen.findByText('Too many wrong PINs. Try again in 4 min.')).toBeTruthy()
  })

  // The façade's refusal during a back-off (backend/kiosk, WaitError), as Wails rejects with it.
  it.each([
    ['try-later: 30', 'Too many wrong PINs. Try again in 30 s.'],
    ['try-later: 1', 'Too many wrong PINs. Try again in 1 s.'],
    ['try-later: 90', 'Too many wrong PINs. Try again in 2 min.'],
  ])('says how long a back-off has left: %s', async (refusal, words) => {
    kiosk.StaffUnlock.mockRejectedValue(refusal)
    render(StaffEntry, { state: session(), close: () => {} })
    await signIn('librarian', '000000')
    expect(await screen.findByText(words)).toBeTruthy()
    expect(document.querySelector('[data-error]')!.textContent).toBe(words)
  })

  it('says an account locked without a wait needs an administrator, in the session language', async () => {
    kiosk.StaffUnlock.mockRejectedValue(new Error('locked-out'))
    render(StaffEntry, { state: session({ language: 'ru' }), close: () => {} })
    await fireEvent.input(screen.getByLabelText('Идентификатор сотрудника'), { target: { value: 'clerk' } })
    await typePin('1')
    await fireEvent.click(screen.getByRole('button', { name: 'Войти' }))
    expect(
      await screen.findByText(
        'Слишком много неверных PIN-кодов: учётная запись заблокирована. Разблокировать её может администратор.',
      ),
    ).toBeTruthy()
  })

  it('does not call the backend without a staff id or PIN', async () => {
    render(StaffEntry, { state: session(), close: () => {} })
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    expect(kiosk.StaffUnlock).not.toHaveBeenCalled()
    expect(screen.getByText('Type your staff ID and PIN.')).toBeTruthy()
  })

  it('closes without unlocking', async () => {
    const close = vi.fn()
    render(StaffEntry, { state: session(), close })
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(close).toHaveBeenCalledOnce()
  })

  it('opens the keyboard under the staff id and types with it', async () => {
    render(StaffEntry, { state: session(), close: () => {} })
    const field = screen.getByLabelText<HTMLInputElement>('Staff ID')
    expect(document.querySelector('[data-keyboard-for]')).toBeNull()
    await fireEvent.focus(field)
    const keyboard = document.querySelector<HTMLElement>('[data-keyboard-for="staff-pin-id"]')!
    expect(keyboard).toBeTruthy()
    await fireEvent.click(keyboard.querySelector('[data-key="shift"]')!)
    for (const k of ['m', 'e', '1']) {
      await fireEvent.click(keyboard.querySelector(`[data-key="${k}"]`)!)
    }
    expect(field.value).toBe('me1')
    await fireEvent.click(keyboard.querySelector('[data-key="done"]')!)
    expect(document.querySelector('[data-keyboard-for]')).toBeNull()
  })
})

describe('StaffEntry: homes by role', () => {
  afterEach(() => vi.resetAllMocks())

  const staff = (roles: string[]) => session({ staff: { id: 'x', name: 'Mari Maasikas', roles } })

  it.each([
    [['librarian'], ['open-identify', 'open-release', 'open-queue', 'open-devices']],
    [['clerk'], ['open-identify', 'open-release', 'open-queue', 'open-devices', 'open-cases', 'open-register', 'open-apply']],
    [['commission-member'], ['open-cases', 'open-register']],
    [['administrator'], ['open-queue', 'open-devices']],
    [['librarian', 'commission-member'], ['open-identify', 'open-release', 'open-queue', 'open-devices', 'open-cases', 'open-register']],
  ])('%o sees %o', (roles, want) => {
    render(StaffEntry, { state: staff(roles), close: () => {} })
    const home = screenEl('staff-home')
    expect(within(home).getByRole('heading', { level: 1 }).textContent).toBe('Hello, Mari Maasikas')
    expect(actions(home)).toEqual(want)
  })

  it('says when a role has no screens here', () => {
    render(StaffEntry, { state: staff([]), close: () => {} })
    expect(actions(screenEl('staff-home'))).toEqual([])
    expect(screen.getByText('Your role has no screens at this kiosk.')).toBeTruthy()
  })

  it('goes to a screen and back home', async () => {
    kiosk.QueueJobs.mockResolvedValue([])
    render(StaffEntry, { state: staff(['librarian']), close: () => {} })
    await fireEvent.click(screen.getByRole('button', { name: 'Print queue' }))
    expect(screenEl('staff-queue')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Staff home' }))
    expect(screenEl('staff-home')).toBeTruthy()
  })

  it('shows the devices from the state', async () => {
    render(StaffEntry, {
      state: session({
        staff: { id: 'x', name: 'X', roles: ['administrator'] },
        devices: [{ kind: 'printer', name: 'Front desk', id: 'ipp://p/1', state: 'media-jam', simulated: false }],
      }),
      close: () => {},
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Devices' }))
    expect(screenEl('staff-devices').textContent).toContain('Paper jam')
  })

  it('locks, then gives the screen back to the resident', async () => {
    kiosk.StaffLock.mockResolvedValue(undefined)
    const close = vi.fn()
    render(StaffEntry, { state: staff(['librarian']), close })
    await fireEvent.click(screen.getByRole('button', { name: 'Lock' }))
    expect(kiosk.StaffLock).toHaveBeenCalledOnce()
    expect(close).toHaveBeenCalledOnce()
  })

  it('returns to the PIN pad when the backend locks staff out, and to home after the next unlock', async () => {
    kiosk.QueueJobs.mockResolvedValue([])
    const { rerender } = render(StaffEntry, { state: staff(['librarian']), close: () => {} })
    await fireEvent.click(screen.getByRole('button', { name: 'Print queue' }))
    await rerender({ state: session() })
    expect(screenEl('staff-pin')).toBeTruthy()
    await rerender({ state: staff(['librarian']) })
    expect(screenEl('staff-home')).toBeTruthy()
  })
})
