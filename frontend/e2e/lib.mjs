// What every end-to-end scenario shares: headless Chromium on the page the kiosk's
// development server serves (the real frontend, with the Go façade behind a websocket),
// waits for screens, screenshots, and the one line of results the Go test reads.
//
// The Go test (e2e_test.go at the repository root) starts the kiosk and runs each
// scenario as `node e2e/<scenario>.mjs` with these variables:
//
//   E2E_URL       the page, http://127.0.0.1:PORT/
//   E2E_SHOTS     a folder for the screenshots, or empty for none
//   E2E_CHROMIUM  the browser (default /usr/bin/chromium)
//   E2E_FAULTS    the demo registry's fault switches (scenarios that need them)
//
// A scenario prints its findings as one line `E2E-RESULT {json}` and exits 0, or
// prints what went wrong and exits 1.

import { chromium } from 'playwright-core'

/** timeout bounds every wait for the page, in milliseconds. */
export const timeout = 20_000

/** env returns the variable name, failing when it is unset. */
export function env(name) {
  const value = process.env[name]
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run the scenarios through go test -run E2E`)
  }
  return value
}

/**
 * scenario runs body with a fresh browser page on the kiosk, closes the browser
 * whatever happens, and reports: body's return value as the result line, or its error
 * with exit status 1.
 */
export async function scenario(body) {
  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  let status = 0
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    page.setDefaultTimeout(timeout)
    const kiosk = new Kiosk(page)
    await kiosk.open()
    const result = await body(kiosk)
    console.log('E2E-RESULT ' + JSON.stringify({ marks: kiosk.marks, ...result }))
  } catch (err) {
    console.error(err && err.stack ? err.stack : String(err))
    status = 1
  } finally {
    await browser.close()
  }
  process.exit(status)
}

/**
 * setFaults sets the demo registry's fault switches for registry ("local" or
 * "federal"); faults is the switches as the registry's admin endpoint takes them, {}
 * for a healthy registry. With registry null every fault of both is cleared.
 */
export async function setFaults(registry, faults) {
  const url = env('E2E_FAULTS')
  const resp = registry === null
    ? await fetch(url, { method: 'DELETE' })
    : await fetch(`${url}?registry=${registry}`, { method: 'POST', body: JSON.stringify(faults) })
  if (!resp.ok) {
    throw new Error(`${url} (${registry ?? 'all'}): ${resp.status} ${await resp.text()}`)
  }
}

/** Kiosk is the page with what the scenarios ask of it. */
export class Kiosk {
  constructor(page) {
    this.page = page
    /** calls is every façade method the page called over the websocket, in order. */
    this.calls = []
    /** answers maps a call's callback id to the backend's answer. */
    this.answers = new Map()
    /** logs is the page's console, for a failure's report. */
    this.logs = []
    /** marks are when each awaited screen showed, in ms since the page opened. */
    this.marks = []
    this.opened = Date.now()
  }

  /** open loads the page, recording the websocket traffic to the Go side. */
  async open() {
    const page = this.page
    page.on('console', (m) => this.logs.push(`${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => this.logs.push(`pageerror: ${e.message}`))
    page.on('websocket', (ws) => {
      ws.on('framesent', ({ payload }) => {
        const text = String(payload)
        if (text.startsWith('C')) {
          const call = JSON.parse(text.slice(1))
          this.calls.push(call)
        }
      })
      ws.on('framereceived', ({ payload }) => {
        const text = String(payload)
        if (text.startsWith('c')) {
          const answer = JSON.parse(text.slice(1))
          this.answers.set(answer.callbackid, answer)
        }
      })
    })
    await page.goto(env('E2E_URL'))
    // The development server injects the runtime that carries calls to Go.
    await page.waitForFunction(() => window.go !== undefined && window.runtime !== undefined)
  }

  /**
   * call calls a method of the bound façade from the page, as the frontend does, and
   * returns its result.
   */
  async call(method, ...args) {
    return this.page.evaluate(
      ([m, a]) => window.go.kiosk.App[m](...a),
      [method, args],
    )
  }

  /**
   * answered returns the backend's answers to the page's own calls of method, waiting
   * until there is at least one.
   */
  async answered(method) {
    const name = `kiosk.App.${method}`
    const deadline = Date.now() + timeout
    for (;;) {
      const found = this.calls
        .filter((c) => c.name === name && this.answers.has(c.callbackID))
        .map((c) => this.answers.get(c.callbackID))
      if (found.length > 0) {
        return found
      }
      if (Date.now() > deadline) {
        throw new Error(`the page made no answered call of ${name}; calls: ${this.calls.map((c) => c.name).join(', ')}`)
      }
      await this.page.waitForTimeout(100)
    }
  }

  /** screen waits until the page shows the screen named name and returns its element. */
  async screen(name) {
    const el = this.page.locator(`[data-screen="${name}"]`)
    try {
      await el.waitFor({ state: 'visible' })
    } catch (err) {
      const shown = await this.page
        .locator('[data-screen]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-screen')))
      const alerts = (await this.page.locator('[role="alert"], [data-error]').allInnerTexts()).filter((a) => a.trim() !== '')
      throw new Error(`screen ${name} did not show within ${timeout} ms; showing: ${shown.join(', ') || 'none'}; ` +
        `alerts: ${alerts.join(' | ') || 'none'}\npage console:\n${this.logs.join('\n')}`, { cause: err })
    }
    this.marks.push(`${name} ${Date.now() - this.opened}`)
    return el
  }

  /** action clicks the visible control data-action="name", within scope when given. */
  async action(name, scope) {
    const el = (scope ?? this.page).locator(`[data-action="${name}"]:visible`).first()
    await el.click()
  }

  /** state returns the backend's State as it is now. */
  async state() {
    return this.call('Poll', 0)
  }

  /**
   * until waits until the backend's State satisfies ok and returns it; what says what
   * is waited for, for the error.
   */
  async until(what, ok, ms = timeout) {
    const deadline = Date.now() + ms
    let st
    for (;;) {
      st = await this.state()
      if (ok(st)) {
        return st
      }
      if (Date.now() > deadline) {
        throw new Error(`waited ${ms} ms for ${what}; the state is ${JSON.stringify(st)}\npage console:\n${this.logs.join('\n')}`)
      }
      await this.page.waitForTimeout(200)
    }
  }

  /** demoPerson returns the demo person the simulated devices can present whose name is name. */
  async demoPerson(name) {
    const st = await this.state()
    const person = (st.demoPeople ?? []).find((p) => p.name === name)
    if (!person) {
      throw new Error(`no demo person named ${name}; the demo people are ${JSON.stringify(st.demoPeople)}`)
    }
    return person
  }

  /**
   * type types text on the on-screen keyboard that is showing (within scope, a
   * locator, when given), key by key.
   */
  async type(text, scope) {
    const keyboard = (scope ?? this.page).locator('.keyboard:visible').first()
    for (const ch of text) {
      const key = ch === ' ' ? 'space' : ch
      let button = keyboard.locator(`[data-key="${key}"]`)
      if ((await button.count()) === 0 && (await keyboard.locator('[data-key="shift"]').count()) > 0) {
        // The letters show in the other case (a text starts with a capital): shift.
        await keyboard.locator('[data-key="shift"]').click()
      }
      if ((await button.count()) === 0) {
        // A keyboard of one case only (claim codes: A–Z) types either.
        button = keyboard.locator(`[data-key="${key.toLowerCase()}"], [data-key="${key.toUpperCase()}"]`)
      }
      if ((await button.count()) === 0) {
        throw new Error(`the on-screen keyboard has no key for ${JSON.stringify(ch)}`)
      }
      await button.first().click()
    }
  }

  /**
   * identify goes from the attract screen to the identify screen as a resident does:
   * start, then the language code; shots names the screenshots of the language and
   * identify screens, when they are wanted.
   */
  async identify(code = 'en', shots = {}) {
    await this.screen('attract')
    await this.action('start')
    await this.screen('language')
    if (shots.language) await this.shot(shots.language)
    await this.action(`language-${code}`)
    await this.screen('identify')
    if (shots.identify) await this.shot(shots.identify)
  }

  /**
   * staffCorner holds the logo down for the three seconds that open the staff
   * entry, and waits for the PIN pad.
   */
  async staffCorner() {
    await this.page.locator('[data-action="staff-corner"]').hover()
    await this.page.mouse.down()
    await this.page.waitForTimeout(3300)
    await this.page.mouse.up()
    await this.screen('staff-pin')
  }

  /**
   * unlock types a staff id on the on-screen keyboard of the PIN form whose fields
   * start with prefix, the PIN on its digit pad, and unlocks.
   */
  async unlock(prefix, id, pin) {
    const field = this.page.locator(`#${prefix}-id`)
    const form = this.page.locator('form', { has: field })
    await field.click()
    await field.fill('')
    await this.type(id, this.page.locator(`[data-keyboard-for="${prefix}-id"]`))
    for (const d of pin) {
      await form.locator(`[data-action="digit"][data-digit="${d}"]`).click()
    }
    await form.locator('[data-action="unlock"]').click()
  }

  /** fill types value into the staff field id, as a keyboard at the kiosk would. */
  async fill(id, value) {
    const field = this.page.locator(`#${id}`)
    await field.click()
    await field.fill(value)
  }

  /**
   * content returns the page's HTML less the demo panels ([data-demo-panel]): on a
   * demo kiosk the simulated reader's buttons name every demo person on every
   * screen, the attract screen included, which is no one's session data.
   */
  async content() {
    return this.page.evaluate(() => {
      const copy = document.documentElement.cloneNode(true)
      copy.querySelectorAll('[data-demo-panel]').forEach((el) => el.remove())
      return copy.outerHTML
    })
  }

  /** shot saves a screenshot of the page as NAME.png when screenshots are asked for. */
  async shot(name) {
    const dir = process.env.E2E_SHOTS
    if (dir) {
      await this.page.screenshot({ path: `${dir}/${name}.png` })
    }
  }
}
