// Scenario 4: the antibody commission (profile RU-KAM). The clerk takes an
// application and prints the statement, records the payment and enters the lab
// result; a commission member decides that antibodies are present; two members
// approve; the clerk issues the antibody certificate, which prints.

import { env, scenario } from './lib.mjs'

const applicant = {
  system: 'snils',
  identifier: env('E2E_IDENTIFIER'),
  name: env('E2E_NAME'),
  birthDate: env('E2E_BIRTH'), // YYYY-MM-DD
}
const sampled = env('E2E_SAMPLED') // YYYY-MM-DD
const [clerkID, clerkPIN] = env('E2E_CLERK').split(':')
const [member1, member1PIN] = env('E2E_MEMBER1').split(':')
const [member2, member2PIN] = env('E2E_MEMBER2').split(':')

await scenario(async (kiosk) => {
  const page = kiosk.page
  await kiosk.screen('attract')
  await kiosk.staffCorner()
  await kiosk.shot('staff-pin')
  await kiosk.unlock('staff-pin', clerkID, clerkPIN)
  await kiosk.screen('staff-home')
  await kiosk.shot('staff-home')

  await kiosk.action('open-apply')
  await kiosk.screen('clerk-apply')
  await page.locator(`[data-action="system"][data-system="${applicant.system}"]`).click()
  await kiosk.fill('clerk-apply-identifier', applicant.identifier)
  await kiosk.fill('clerk-apply-name', applicant.name)
  await kiosk.fill('clerk-apply-birth-date', applicant.birthDate)
  await kiosk.action('apply')

  /** stage waits for the case screen at stage, and returns it. */
  const stage = async (name) => {
    const el = page.locator(`[data-screen="clerk-case"][data-stage="${name}"]`)
    try {
      await el.waitFor({ state: 'visible' })
    } catch (err) {
      const alerts = await page.locator('[role="alert"]').allInnerTexts()
      const at = await page.locator('[data-screen]').evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-screen')}:${e.getAttribute('data-stage') ?? ''}`))
      throw new Error(`the case did not reach ${name}; showing ${at.join(', ')}; alerts: ${alerts.join(' | ')}`, { cause: err })
    }
    kiosk.marks.push(`clerk-case:${name} ${Date.now() - kiosk.opened}`)
    return el
  }

  const applied = await stage('applied')
  const caseID = await applied.getAttribute('data-case')
  await kiosk.action('print-statement')
  await page.locator('[data-screen="clerk-case"] [role="status"]').filter({ hasText: /\S/ }).waitFor()

  await kiosk.fill('clerk-payment-receipt', 'KVT-2041')
  await kiosk.fill('clerk-payment-amount', '1500.00')
  await kiosk.action('record-payment')

  await stage('paid')
  await page.locator('[data-action="test"][data-test="94504-8"]').click()
  await kiosk.fill('clerk-result-value', '152.4')
  await page.locator('[data-action="unit"][data-unit="BAU/mL"]').click()
  await kiosk.fill('clerk-result-low', '0')
  await kiosk.fill('clerk-result-high', '33.8')
  await kiosk.fill('clerk-result-laboratory', 'KDL Petropavlovsk')
  await kiosk.fill('clerk-result-date', sampled)
  await kiosk.action('enter-result')

  // The decision is a commission member's: one unlocks at the case.
  await stage('result')
  await kiosk.action('unlock-other')
  await kiosk.unlock('clerk-unlock', member1, member1PIN)
  await page.locator('[data-action="decide-present"]').waitFor()
  await kiosk.action('decide-present')
  await stage('decided')
  await kiosk.action('approve')
  // The same member cannot approve twice: the second is another member.
  await page.locator('[data-screen="clerk-case"] [data-approvals="1"]').waitFor()
  await page.locator('.staff').evaluate((el) => el.scrollTo(0, 0))
  await kiosk.shot('clerk-case')
  await kiosk.action('unlock-other')
  await kiosk.unlock('clerk-unlock', member2, member2PIN)
  await kiosk.action('approve')

  await stage('approved')
  await kiosk.action('unlock-other')
  await kiosk.unlock('clerk-unlock', clerkID, clerkPIN)
  await kiosk.action('issue')
  const issued = await stage('issued')
  const uvci = (await issued.locator('[data-issued] .uvci').innerText()).trim()
  await page.locator('.staff').evaluate((el) => el.scrollTo(0, 0))
  await kiosk.shot('clerk-issued')
  const text = await issued.innerText()

  await kiosk.action('lock')
  await kiosk.screen('attract')
  const st = await kiosk.state()
  return { caseID, uvci, text, staffAfterLock: st.staff ?? null }
})
