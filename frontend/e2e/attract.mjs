// Scenario 0: the attract screen shows in the browser, the languages on it are the
// ones the Go side answered the page with over the development server's websocket,
// and the page polls the backend's State.

import { scenario, timeout } from './lib.mjs'

await scenario(async (kiosk) => {
  const attract = await kiosk.screen('attract')

  const answers = await kiosk.answered('Languages')
  const failed = answers.filter((a) => a.error)
  if (failed.length > 0) {
    throw new Error(`Languages answered with an error: ${JSON.stringify(failed[0].error)}`)
  }
  const fromBackend = answers[0].result

  // The buttons are the backend's languages, in its order.
  const buttons = attract.locator('[data-action^="language-"]')
  await buttons.first().waitFor({ state: 'visible', timeout })
  const labels = (await buttons.allInnerTexts()).map((s) => s.trim())
  const codes = await buttons.evaluateAll((els) => els.map((e) => e.getAttribute('lang')))
  const heading = (await attract.locator('h1').innerText()).trim()

  // The page follows the backend's State by polling it.
  const polled = (await kiosk.answered('Poll')).map((a) => a.result?.screen)

  // The same call made directly returns the same list.
  const direct = await kiosk.call('Languages')

  await kiosk.shot('attract-browser')
  return { languages: fromBackend, direct, labels, codes, heading, polled, calls: kiosk.calls.map((c) => c.name) }
})
