import { describe, expect, it } from 'vitest'
import { failure, waitSeconds } from './bound'
import { decimal, isDate, minorUnits, money, number, shortTime } from './forms'
import { systemsFor } from './staffApi'
import { errorText, nameOf, staffText } from './text'

const en = staffText('en')
const now = new Date('2026-11-22T18:00:00Z')

describe('failure', () => {
  it.each([
    ['wrong-pin', 'wrong-pin', ''],
    ['locked-out: 90', 'locked-out', '90'],
    ['locked-out until 2026-11-22T18:05:00Z', 'locked-out', 'until 2026-11-22T18:05:00Z'],
    [new Error('forbidden'), 'forbidden', ''],
    [{ message: 'busy' }, 'busy', ''],
    ['Staff: Something odd', 'internal', 'Staff: Something odd'],
  ])('reads %o as %s', (err, code, detail) => {
    expect(failure(err)).toEqual({ code, detail })
  })
})

describe('waitSeconds', () => {
  it.each([
    ['', undefined],
    ['90', 90],
    ['90s', 90],
    ['until 2026-11-22T18:05:00Z', 300],
    ['2026-11-22T17:00:00Z', 0],
    ['soon', undefined],
  ])('reads %s as %s', (detail, want) => {
    expect(waitSeconds(detail, now)).toBe(want)
  })
})

describe('errorText', () => {
  it('says a wrong PIN in words', () => {
    expect(errorText(en, 'wrong-pin')).toBe('Wrong staff ID or PIN.')
    expect(errorText(staffText('ru'), 'wrong-pin')).toBe('Неверный идентификатор сотрудника или PIN-код.')
  })

  it('gives the remaining wait of a lock-out, in seconds or whole minutes', () => {
    expect(errorText(en, 'locked-out: 45', now)).toBe('Too many wrong PINs. Try again in 45 s.')
    expect(errorText(en, 'locked-out: 61', now)).toBe('Too many wrong PINs. Try again in 2 min.')
    expect(errorText(en, 'locked-out until 2026-11-22T18:10:00Z', now)).toBe('Too many wrong PINs. Try again in 10 min.')
    expect(errorText(staffText('et'), 'locked-out: 300', now)).toBe('Liiga palju valesid PIN-koode. Proovige uuesti 5 min pärast.')
  })

  it('says a lock-out without a wait needs an administrator', () => {
    expect(errorText(en, 'locked-out')).toContain('An administrator must unlock it')
  })

  it('says a back-off in words, with its wait when given', () => {
    expect(errorText(en, 'try-later')).toBe('Too many wrong PINs. Wait a few minutes and try again.')
    expect(errorText(en, 'try-later: 30', now)).toBe('Too many wrong PINs. Try again in 30 s.')
  })

  it('names a code it has no words for', () => {
    expect(errorText(en, 'no-paper-today')).toBe('The kiosk refused: no-paper-today')
  })
})

describe('nameOf', () => {
  it('says a known value in words and shows an unknown one as it is', () => {
    expect(nameOf(en, 'staff.device-state', 'media-jam')).toBe('Paper jam')
    expect(nameOf(en, 'staff.device-state', 'door-open')).toBe('door-open')
  })
})

describe('staffText', () => {
  it('falls back to English for a language without a catalogue', () => {
    expect(staffText('tr')('staff.lock')).toBe('Lock')
  })
})

describe('systemsFor', () => {
  it.each([
    ['EE', ['ee-personal-code']],
    ['RU-KAM', ['snils', 'oms']],
    ['RU-MOW', ['snils', 'oms']],
    ['AZ', ['fin']],
    ['XX', ['ee-personal-code', 'snils', 'oms', 'fin']],
    ['', ['ee-personal-code', 'snils', 'oms', 'fin']],
  ])('%s searches by %o', (profile, want) => {
    expect(systemsFor(profile)).toEqual(want)
  })
})

describe('forms', () => {
  it('isDate takes real calendar dates written YYYY-MM-DD', () => {
    expect(['1975-03-28', '2024-02-29'].map(isDate)).toEqual([true, true])
    expect(['1975-3-28', '2023-02-29', '1975-13-01', '28.03.1975', ''].map(isDate)).toEqual([false, false, false, false, false])
  })

  it('number reads a point or a comma', () => {
    expect([number('12.5'), number('12,5'), number('1 200'), number('-3'), number('x'), number('')]).toEqual([
      12.5,
      12.5,
      1200,
      -3,
      undefined,
      undefined,
    ])
  })

  it('minorUnits counts kopecks of a positive amount', () => {
    expect([minorUnits('1500'), minorUnits('1500.5'), minorUnits('1 500,05')]).toEqual([150000, 150050, 150005])
    expect([minorUnits('0'), minorUnits('-5'), minorUnits('1.234'), minorUnits('')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('decimal keeps the digits as typed, with a point', () => {
    expect([decimal('74,20'), decimal(' 1 200.5 '), decimal('7e3'), decimal('')]).toEqual(['74.20', '1200.5', undefined, undefined])
  })

  it('shortTime shows the date and minutes of an RFC 3339 time', () => {
    expect([shortTime('2026-11-22T18:05:09+12:00'), shortTime('2026-11-22')]).toEqual(['2026-11-22 18:05', '2026-11-22'])
  })

  it('money shows two decimals and the currency', () => {
    expect([money(150050, 'RUB'), money(150000, 'RUB'), money(5, 'RUB')]).toEqual(['1500.50 RUB', '1500.00 RUB', '0.05 RUB'])
  })
})
