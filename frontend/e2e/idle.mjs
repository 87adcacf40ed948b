// Scenario 5: a resident walks away from the results screen. After the idle timeout
// the kiosk is back on the attract screen, and nothing of the person is left in the
// page (outside the demo panel, which names every demo person on any screen).

import { env, scenario } from './lib.mjs'

const name = env('E2E_PERSON')
const idleMs = Number(env('E2E_IDLE_MS'))

await scenario(async (kiosk) => {
  await kiosk.identify('en')
  const person = await kiosk.demoPerson(name)
  await kiosk.action(`insert-card-${person.id}`)
  const results = await kiosk.screen('results')
  const before = await kiosk.content()
  const resultsText = await results.innerText()
  const shownAt = Date.now()

  // Nobody touches anything.
  await kiosk.page.locator('[data-screen="attract"]').waitFor({ state: 'visible', timeout: idleMs + 15_000 })
  const waited = Date.now() - shownAt
  const after = await kiosk.content()
  const whole = await kiosk.page.content()
  const st = await kiosk.state()
  return {
    nameBefore: before.includes(name),
    resultsText,
    waited,
    nameAfter: after.includes(name),
    birthDateAfter: st.person ? st.person.birthDate : null,
    state: st,
    page: after,
    whole,
  }
})
