// Scenario 0: the attract screen shows in the browser, and the languages on it are the
// ones the Go side answered the page with over the development server's websocket.

import { scenario, timeout } from './lib.mjs'

await scenario(async (kiosk) => {
  const page = kiosk.page
  const attract = page.locator('[data-screen="attract"], main.attract').first()
  await attract.waitFor({ state: 'visible', timeout })

  const answers = await kiosk.answered('Languages')
  const failed = answers.filter((a) => a.error)
  if (failed.length > 0) {
    throw new Error(`Languages answered with an error: ${JSON.stringify(failed[0].error)}`)
  }
  const fromBackend = answers[0].result

  // The buttons are the backend's languages, in its order.
  const buttons = attract.locator('nav button')
  await buttons.first().waitFor({ state: 'visible', timeout })
  const labels = (await buttons.allInnerTexts()).map((s) => s.trim())
  const codes = await buttons.evaluateAll((els) => els.map((e) => e.getAttribute('lang')))
  const heading = (await attract.locator('h1').innerText()).trim()

  // The same call made directly returns the same list.
  const direct = await kiosk.call('Languages')

  await kiosk.shot('attract-browser')
  return { languages: fromBackend, direct, labels, codes, heading, calls: kiosk.calls.map((c) => c.name) }
})
