// Scenario 2: a demo person who is ill now gets no certificate; the results screen
// gives the refusal with its reason and next step, and the refusal slip prints.

import { env, scenario } from './lib.mjs'

const name = env('E2E_PERSON')

await scenario(async (kiosk) => {
  await kiosk.identify('en')

  const person = await kiosk.demoPerson(name)
  await kiosk.action(`insert-card-${person.id}`)
  const results = await kiosk.screen('results')
  const st = await kiosk.until('the refusals', (s) => s.screen === 'results')
  const resultsText = await results.innerText()
  await kiosk.shot('results-refusal')

  await kiosk.action('print-slip')
  const printed = await kiosk.until(
    'the refusal slip printed',
    (s) => (s.print?.jobs ?? []).some((j) => j.what === 'slip' && j.state === 'printed'),
  )
  return { person: st.person, offers: st.offers, refusals: st.refusals, resultsText, jobs: printed.print.jobs, screen: printed.screen }
})
