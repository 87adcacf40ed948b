// staffApi.ts: the librarian's and the queue's methods of the kiosk façade
// (backend/kiosk), typed as the façade contract gives them, and the parts of the
// session State the staff screens read. The backend checks every role; the screens
// only leave out what a role cannot do.

import { call } from './bound'

/** A staff role, as state.staff.roles lists them. */
export type Role = 'librarian' | 'clerk' | 'commission-member' | 'administrator'

/** Who is unlocked at the kiosk. */
export interface StaffMember {
  id: string
  name: string
  roles: string[]
}

/** A reader, scanner or printer the kiosk has, and its state. */
export interface Device {
  kind: 'reader' | 'scanner' | 'printer' | string
  name: string
  id: string
  state: string
  simulated: boolean
}

/**
 * The parts of the session State the staff screens read; the session store's State
 * has them all, so it can be passed as it is.
 */
export interface StaffState {
  language: string
  profile: string
  staff?: StaffMember
  devices: Device[]
  /** How long the kiosk waits without a touch before it wipes the session. */
  idleTimeoutSeconds?: number
}

/** An identifier system a visitor can be looked up by. */
export type IdentifierSystem = 'ee-personal-code' | 'snils' | 'oms' | 'fin'

/** Every identifier system, in the order the picker shows them. */
export const identifierSystems: readonly IdentifierSystem[] = ['ee-personal-code', 'snils', 'oms', 'fin']

/**
 * systemsFor returns the identifier systems a profile's registry is searched by
 * (DESIGN.md §2, §3a): all of them for a profile the frontend does not know.
 */
export function systemsFor(profile: string): IdentifierSystem[] {
  if (profile === 'EE') return ['ee-personal-code']
  if (profile === 'AZ') return ['fin']
  if (profile.startsWith('RU')) return ['snils', 'oms']
  return [...identifierSystems]
}

/** hasRole tells whether the unlocked member has role. */
export function hasRole(staff: StaffMember | undefined, role: Role): boolean {
  return staff?.roles.includes(role) ?? false
}

/** The backend's verdict on an identifier as typed so far. */
export interface IdentifierCheck {
  ok: boolean
  normalized: string
  /** "length", "check-digit", "format" or "date"; empty when ok. */
  problem: string
}

/** A job of the durable queue, without personal data. */
export interface JobView {
  id: string | number
  kind: 'issue' | 'print' | 'report' | string
  /** pending, running, held, done, parked or cancelled. */
  state: string
  printer: string
  attempts: number
  lastError: string
  claimHash?: string
  createdAt: string
}

export const StaffUnlock = (staffID: string, pin: string) => call<void>('StaffUnlock', staffID, pin)
export const StaffLock = () => call<void>('StaffLock')
export const CheckIdentifier = (system: IdentifierSystem, value: string) =>
  call<IdentifierCheck>('CheckIdentifier', system, value)
export const StaffIdentify = (system: IdentifierSystem, value: string) => call<void>('StaffIdentify', system, value)
export const QueueJobs = async () => (await call<JobView[] | null>('QueueJobs')) ?? []
export const RetryJob = (id: JobView['id']) => call<void>('RetryJob', id)
export const CancelJob = (id: JobView['id']) => call<void>('CancelJob', id)
export const MoveJob = (id: JobView['id'], printer: string) => call<void>('MoveJob', id, printer)
export const ReprintJob = (id: JobView['id']) => call<void>('ReprintJob', id)
export const ReleaseHeld = (claimCode: string) => call<void>('ReleaseHeld', claimCode)
export const Printers = async () => (await call<Device[] | null>('Printers')) ?? []
