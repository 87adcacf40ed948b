// Verify at the kiosk: the QR code of a printed certificate, presented to the
// (simulated) scanner, shows green with the holder's name; the same code with one
// character changed shows red; the demo panel's certificate that the rules do not
// accept now shows orange.

import { env, scenario } from './lib.mjs'

const hc1 = env('E2E_HC1')
const name = env('E2E_PERSON')

/** tampered is hc1 with one character of its Base45 body changed. */
function tampered(code) {
  const at = Math.floor(code.length / 2)
  const ch = code[at] === 'A' ? 'B' : 'A'
  return code.slice(0, at) + ch + code.slice(at + 1)
}

await scenario(async (kiosk) => {
  if ((await kiosk.state()).screen !== 'attract') {
    await kiosk.call('Finish')
  }
  await kiosk.identify('en')

  // The scanner hands the kiosk what it read; in demo mode SimulateScan stands for it.
  await kiosk.call('SimulateScan', hc1)
  const good = await kiosk.screen('verify')
  const goodColour = await good.getAttribute('data-colour')
  const goodText = await good.innerText()
  const goodState = (await kiosk.state()).verify
  await kiosk.shot('verify')

  await kiosk.action('cancel')
  await kiosk.screen('identify')
  await kiosk.call('SimulateScan', tampered(hc1))
  const bad = kiosk.page.locator('[data-screen="verify"][data-colour="red"]')
  await bad.waitFor({ state: 'visible' })
  const badState = (await kiosk.state()).verify
  const badText = await bad.innerText()
  await kiosk.shot('verify-red')
  await kiosk.action('cancel')
  await kiosk.screen('identify')

  // The demo panel's certificate that is genuine but not accepted under the rules now.
  await kiosk.action('scan-certificate-rules')
  await kiosk.page.locator('[data-screen="verify"][data-colour="orange"]').waitFor({ state: 'visible' })
  const rulesState = (await kiosk.state()).verify
  await kiosk.shot('verify-orange')
  await kiosk.action('cancel')
  await kiosk.screen('identify')

  return {
    goodColour,
    goodNamed: goodText.includes(name),
    goodState,
    badState,
    badNamed: badText.includes(name),
    rulesState,
  }
})
