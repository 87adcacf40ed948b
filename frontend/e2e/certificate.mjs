// Scenario 1: a resident inserts the (simulated) ID card of a demo person who was
// vaccinated twice, looks at the certificate and prints it.

import { env, scenario, setFaults } from './lib.mjs'

const name = env('E2E_PERSON')

await scenario(async (kiosk) => {
  await kiosk.identify('en', { language: 'language', identify: 'identify' })

  const person = await kiosk.demoPerson(name)
  // The registry's first answer comes slowly, so the fetching screen stays long
  // enough to be seen.
  await setFaults('local', { latency: '1500ms', times: 1 })
  await kiosk.action(`insert-card-${person.id}`)
  await kiosk.screen('fetching')
  await kiosk.shot('fetching')
  const results = await kiosk.screen('results')
  await kiosk.shot('results')
  const resultsText = await results.innerText()

  const st = await kiosk.state()
  const offer = st.offers.find((o) => o.kind === 'vaccination')
  if (!offer) {
    throw new Error(`no vaccination certificate offered: ${JSON.stringify(st.offers)}`)
  }
  await kiosk.action(`preview-${offer.id}`)
  const preview = await kiosk.screen('preview')
  await kiosk.page.locator('[data-screen="preview"] img.qr').waitFor({ state: 'visible' })
  const qr = await kiosk.page.locator('[data-screen="preview"] img.qr').getAttribute('src')
  const uvci = (await preview.locator('.uvci').innerText()).trim()
  const previewState = (await kiosk.state()).preview
  await kiosk.shot('preview')

  await kiosk.action('print-preview')
  await kiosk.screen('printing')
  // The printer takes a second a job: show the job while it prints, when the page
  // catches it.
  await kiosk.page
    .locator('[data-screen="printing"] [data-job][data-state="printing"]')
    .waitFor({ state: 'visible', timeout: 3000 })
    .catch(() => {})
  await kiosk.shot('printing')
  await kiosk.screen('done')
  await kiosk.shot('done')
  const done = await kiosk.state()

  return {
    person: st.person,
    resultsText,
    offer,
    uvci,
    qrIsPNG: (qr ?? '').startsWith('data:image/png;base64,'),
    preview: previewState,
    jobs: done.print?.jobs ?? [],
  }
})
