// bound.ts: how the staff screens reach the Go façade (backend/kiosk). Each method is
// taken from the bindings Wails generates into wailsjs/ when they have it, else from the
// object the Wails window binds, so a method added to the façade works before the
// bindings are regenerated. Outside the kiosk window there is neither, and the call
// fails with the code "unavailable".

import * as generated from '../../wailsjs/go/kiosk/App'

type Method = (...args: unknown[]) => Promise<unknown>

/** bound finds the façade method called name, or undefined. */
function bound(name: string): Method | undefined {
  const bindings = generated as unknown as Record<string, unknown>
  const fromBindings = name in bindings ? bindings[name] : undefined
  if (typeof fromBindings === 'function') {
    return fromBindings as Method
  }
  const app = (window.go as { kiosk?: { App?: Record<string, unknown> } } | undefined)?.kiosk?.App
  const fromWindow = app?.[name]
  return typeof fromWindow === 'function' ? (fromWindow as Method) : undefined
}

/** call runs the façade method name with args; a Go error rejects with its message. */
export async function call<T>(name: string, ...args: unknown[]): Promise<T> {
  const method = bound(name)
  if (!method) {
    throw new Error('unavailable')
  }
  return (await method(...args)) as T
}

/**
 * A failure of a façade call as the screens show it: the backend's stable code
 * ("wrong-pin", "locked-out", "forbidden"…) and what follows it, if anything.
 */
export interface Failure {
  code: string
  detail: string
}

/**
 * failure reads a rejected call. Wails rejects with the Go error's message, a string;
 * a thrown Error carries it in message. A message reads "code" or "code: detail"
 * (also "code detail"), the code in lower case with hyphens.
 */
export function failure(err: unknown): Failure {
  let text: string
  if (typeof err === 'string') {
    text = err
  } else if (err instanceof Error) {
    text = err.message
  } else if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') {
    text = (err as { message: string }).message
  } else {
    text = String(err)
  }
  const m = /^\s*([a-z][a-z0-9-]*)(?:\s*:\s*|\s+|$)(.*)$/s.exec(text)
  if (!m) {
    return { code: 'internal', detail: text.trim() }
  }
  return { code: m[1], detail: m[2].trim() }
}

/**
 * waitSeconds reads the remaining wait a "locked-out" refusal may carry: a number of
 * seconds ("90", "90s") or the time the next attempt is heard ("until
 * 2026-11-22T18:30:00Z"). It returns undefined when the refusal names no wait.
 */
export function waitSeconds(detail: string, now: Date = new Date()): number | undefined {
  const d = detail.trim().replace(/^until\s+/i, '')
  if (d === '') {
    return undefined
  }
  const secs = /^(\d+)\s*s?$/.exec(d)
  if (secs) {
    return Number(secs[1])
  }
  const until = Date.parse(d)
  if (Number.isNaN(until)) {
    return undefined
  }
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000))
}
