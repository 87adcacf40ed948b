// text.ts: the staff screens' strings, looked up in the catalogues of src/i18n (the
// staff part, src/i18n/staff/) in the language the session speaks.

import { catalogues, isLanguageCode, type LanguageCode, type MessageKey } from '../i18n'
import { failure, waitSeconds } from './bound'

/** A lookup of messages in one language; {name} in a message is replaced by vars.name. */
export type T = (key: MessageKey, vars?: Record<string, string | number>) => string

/** isKey tells whether the catalogues have key. */
export function isKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.en, key)
}

/** staffText returns the lookup for language, English when there is no catalogue for it. */
export function staffText(language: string): T {
  const code: LanguageCode = isLanguageCode(language) ? language : 'en'
  return (key, vars) => {
    let text = (catalogues[code] as Record<string, string>)[key] ?? catalogues.en[key]
    for (const [name, value] of Object.entries(vars ?? {})) {
      text = text.replaceAll(`{${name}}`, String(value))
    }
    return text
  }
}

/**
 * errorText says in words why a call failed: the backend's code through the
 * catalogue ("staff.error.<code>"), with the remaining wait of a lock-out or a
 * back-off when the refusal gives one.
 */
export function errorText(t: T, err: unknown, now: Date = new Date()): string {
  const { code, detail } = failure(err)
  if (code === 'locked-out' || code === 'try-later') {
    const wait = waitSeconds(detail, now)
    if (wait === undefined) return t(code === 'locked-out' ? 'staff.error.locked-out' : 'staff.error.try-later')
    if (wait < 60) return t('staff.error.locked-out-seconds', { seconds: Math.max(1, wait) })
    return t('staff.error.locked-out-minutes', { minutes: Math.ceil(wait / 60) })
  }
  const key = `staff.error.${code}`
  return isKey(key) ? t(key) : t('staff.error.other', { code: detail ? `${code}: ${detail}` : code })
}

/** The message key naming value in a closed set of keys, or undefined. */
export function keyOf(prefix: string, value: string): MessageKey | undefined {
  const key = `${prefix}.${value}`
  return isKey(key) ? key : undefined
}

/** nameOf says value in words ("<prefix>.<value>"), or shows it as it is when the catalogues have no word for it. */
export function nameOf(t: T, prefix: string, value: string): string {
  const key = keyOf(prefix, value)
  return key ? t(key) : value
}
