// labels.ts: the catalogue keys for the codes the backend sends (certificate kinds, print
// job and printer states, failure and verification reasons, error codes). A code the
// catalogues do not know falls back to a general message, or is shown as given.

import { catalogues, type MessageKey } from './i18n'

/** isMessageKey tells whether key is in the catalogues. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.en, key)
}

/** keyOr returns key when the catalogues have it, else fallback. */
export function keyOr(key: string, fallback: MessageKey): MessageKey {
  return isMessageKey(key) ? key : fallback
}

/** kindLabel names a certificate kind in the language of t; an unknown kind is shown as given. */
export function kindLabel(t: (key: MessageKey) => string, kind: string): string {
  const key = `kind.${kind}`
  return isMessageKey(key) ? t(key) : kind
}

/** errorKey is the message for an error code from a façade method. */
export function errorKey(code: string): MessageKey {
  return keyOr(`error.${code}`, 'error.generic')
}
