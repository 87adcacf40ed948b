// commissionApi.ts: the antibody commission's methods of the kiosk façade (RU-KAM;
// backend/commission behind backend/kiosk). Everything the clerk screens know about
// that API is in this file: its method names, their arguments and the case record,
// which follows backend/commission's Case as JSON.
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

/** The payment as the cashier's receipt shows it. */
export interface Payment {
  receiptNumber: string
  /** In minor units (kopecks). */
  amountMinor: number
  currency: string
}

/** A case of the register. */
export interface CommissionCase {
  id: string
  name: string
  /** YYYY-MM-DD */
  birthDate?: string
  /** snils or oms */
  system?: string
  /** The identifier masked: its last four characters after "…". */
  identifier?: string
  stage: Stage
  payment?: Payment | null
  result?: LabResult | null
  decision?: Decision | ''
  decidedBy?: string
  /** How many different members have approved the decision. */
  approvals: number
  /** The staff ids of the members who approved, in order. */
  approvedBy?: string[] | null
  appliedAt?: string
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

/**
 * A laboratory result as the clerk copies it from the lab's report. The numbers are
 * decimals written as the report prints them ("74.20"), so the certificate shows the
 * same; either reference limit may be empty.
 */
export interface LabResult {
  /** LOINC code of the test. */
  test: string
  value: string
  unit: string
  referenceLow: string
  referenceHigh: string
  laboratory: string
  /** YYYY-MM-DD the sample was taken. */
  date: string
}

// The façade's methods (backend/kiosk/commission.go); each step answers with the case
// as it stands after it.
export const CommissionApply = (a: Application) => call<CommissionCase>('CommissionApply', a)
/** CommissionPrintStatement queues the statement for the applicant to sign; it answers the print job's id. */
export const CommissionPrintStatement = (id: string) => call<string>('CommissionPrintStatement', id)
export const CommissionRecordPayment = (id: string, receiptNumber: string, amountMinor: number, currency: string) =>
  call<CommissionCase>('CommissionRecordPayment', id, { receiptNumber, amountMinor, currency } satisfies Payment)
export const CommissionEnterResult = (id: string, r: LabResult) => call<CommissionCase>('CommissionEnterResult', id, r)
export const CommissionDecide = (id: string, decision: Decision) => call<CommissionCase>('CommissionDecide', id, decision)
export const CommissionApprove = (id: string) => call<CommissionCase>('CommissionApprove', id)
/** CommissionIssue signs the certificate of an approved case and queues it for printing. */
export const CommissionIssue = (id: string) => call<CommissionCase>('CommissionIssue', id)
/** CommissionReprint prints an issued case's certificate again, marked COPY; it answers the print job's id. */
export const CommissionReprint = (id: string) => call<string>('CommissionReprint', id)
/** CommissionCase returns one case by its id. */
export const CommissionCase = (id: string) => call<CommissionCase>('CommissionCase', id)

/**
 * CommissionCases searches the cases and the register: query matches a case id, a
 * certificate's UVCI or a part of the name; empty lists every case; stage keeps the
 * cases at that stage ("issued": the register). The façade's CommissionSearch takes a
 * commission.Query, which reads a plain string as its text.
 */
export const CommissionCases = async (query: string, stage?: Stage) =>
  (await call<CommissionCase[] | null>('CommissionSearch', stage ? { text: query, stage } : query)) ?? []
