// Scenario 3: the registry is down when a resident identifies. The request is kept:
// the failed screen gives a claim code and a receipt prints. The registry comes back,
// the kiosk's queue finishes the request, and the resident collects the certificate
// with the claim code and their date of birth.

import { env, scenario, setFaults, timeout } from './lib.mjs'

const name = env('E2E_PERSON')
const birth = env('E2E_BIRTH_DIGITS') // DDMMYYYY, as the claim screen takes it

await scenario(async (kiosk) => {
  await kiosk.identify('en')
  const person = await kiosk.demoPerson(name)

  await setFaults('local', { down: true })
  await setFaults('federal', { down: true })
  await kiosk.action(`insert-card-${person.id}`)
  const failed = await kiosk.screen('failed')
  await kiosk.page.locator('[data-screen="failed"] [data-claim-code]').waitFor({ state: 'visible', timeout: 2 * timeout })
  const queued = await failed.getAttribute('data-queued')
  const code = (await failed.locator('[data-claim-code]').innerText()).trim()
  const reason = await failed.locator('[data-reason]').getAttribute('data-reason')
  const failure = (await kiosk.state()).failure
  await kiosk.shot('failed')
  const receipt = await kiosk.until(
    'the claim receipt printed',
    (s) => (s.print?.jobs ?? []).some((j) => j.what === 'receipt' && j.state === 'printed'),
  )
  await kiosk.action('finish')
  await kiosk.screen('attract')
  const afterFinish = await kiosk.content()

  // The registry comes back; the queue retries by itself.
  await setFaults(null)

  await kiosk.identify('en')
  await kiosk.action('open-claim')
  await kiosk.screen('claim')
  await kiosk.type(code)
  await kiosk.page.locator('.keyboard [data-key="done"]').click()
  await kiosk.type(birth)
  await kiosk.shot('claim')

  // Until the queue has fetched the record again the claim is answered "not yet":
  // the resident tries again.
  const deadline = Date.now() + 60_000
  let attempts = 0
  for (;;) {
    attempts++
    await kiosk.action('claim-submit')
    const accepted = await kiosk.page
      .locator('[data-screen="printing"], [data-screen="done"]')
      .first()
      .waitFor({ state: 'visible', timeout: 3000 })
      .then(() => true, () => false)
    if (accepted) {
      break
    }
    if (Date.now() > deadline) {
      throw new Error(`the claim was not accepted within 60 s (${attempts} attempts); the page says: ` +
        (await kiosk.page.locator('[data-screen="claim"]').innerText()))
    }
    await kiosk.page.waitForTimeout(1500)
  }
  const printed = await kiosk.until(
    'the released certificate printed',
    (s) => (s.print?.jobs ?? []).some((j) => j.what === 'certificate' && j.state === 'printed'),
    2 * timeout,
  )
  await kiosk.screen('done')
  return {
    queued,
    code,
    reason,
    failure,
    receiptJobs: receipt.print.jobs,
    nameAfterFinish: afterFinish.includes(name),
    attempts,
    jobs: printed.print.jobs,
  }
})
