// commissionApi.ts: the antibody commission's methods of the kiosk façade (RU-KAM;
// backend/commission behind backend/kiosk). Everything the clerk screens know about
// that API is in this file: its method names, their arguments and the case record.
//
// A case moves applied → paid → result → decided → approved → issued: the clerk takes
// the application (and prints the statement for the applicant to sign), records the
// payment and enters the lab result; a commission member records the decision; two
// different members approve it; the clerk issues the certificate.

import { call } from './bound'
import type { IdentifierSystem } from './staffApi'

/** The stages of a case, in order. */
export const stages = ['applied', 'paid', 'result', 'decided', 'approved', 'issued'] as const

/** Where a case stands. */
export type Stage = (typeof stages)[number]

/** The commission's finding: antibodies present or absent. */
export type Decision = 'present' | 'absent'

/** How many different commission members must approve a decision. */
export const approvalsNeeded = 2

/** A case of the register. */
export interface CommissionCase {
  id: string
  name: string
  stage: Stage
  decision?: Decision
  /** How many different members have approved the decision. */
  approvals: number
  /** The staff ids of the members who approved, when the backend lists them. */
  approvedBy?: string[]
  issuedAt?: string
  uvci?: string
}

/** An application: who applies. */
export interface Application {
  system: IdentifierSystem
  identifier: string
  name: string
  /** YYYY-MM-DD */
  birthDate: string
}

/** A laboratory result as the clerk copies it from the lab's report. */
export interface LabResult {
  /** LOINC code of the test. */
  test: string
  value: number
  unit: string
  referenceLow: number
  referenceHigh: number
  laboratory: string
  /** YYYY-MM-DD the sample was taken. */
  date: string
}

export const CommissionApply = (a: Application) => call<{ id: string }>('CommissionApply', a)
export const CommissionPrintStatement = (id: string) => call<void>('CommissionPrintStatement', id)
export const CommissionRecordPayment = (id: string, receiptNumber: string, amountMinor: number, currency: string) =>
  call<void>('CommissionRecordPayment', id, receiptNumber, amountMinor, currency)
export const CommissionEnterResult = (id: string, r: LabResult) => call<void>('CommissionEnterResult', id, r)
export const CommissionDecide = (id: string, decision: Decision) => call<void>('CommissionDecide', id, decision)
export const CommissionApprove = (id: string) => call<void>('CommissionApprove', id)
export const CommissionIssue = (id: string) => call<void>('CommissionIssue', id)
export const CommissionCases = async (query: string) =>
  (await call<CommissionCase[] | null>('CommissionCases', query)) ?? []
