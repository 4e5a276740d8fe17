// PAYGENT in a real browser: the storefront helper (bundled with esbuild, served from the shop's own
// origin) drives the simulator's PaygentToken.js in Chromium; then the 450's out_acs_html is shown as
// the whole page by followRedirect, the ACS challenge is answered, and PAYGENT's redirect reaches the
// shop's term_url with a hash that verifies. The token is then spent server-side (020) over mutual TLS.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { Browser } from "playwright-core"
import { bundleStorefront, launchChromium } from "../helpers/browser"
import { DEFAULT_MERCHANT as M, startPaygentSimulator, type PaygentSimulator } from "../../src/simulator/paygent"
import { PaygentClient } from "../../src/gateways/paygent/client"
import { hashMatches, threeDSResultHash, tokenHash } from "../../src/gateways/paygent/codec"

jest.setTimeout(120_000)

const PAN = "4000000000000002"
let sim: PaygentSimulator
let shop: Server
let shopUrl: string
let browser: Browser
let client: PaygentClient
const returns: Array<Record<string, string>> = []

const PAGE = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>Checkout (PAYGENT test)</title><script src="/storefront.js"></script></head>
<body><h1>Checkout</h1>
<label>Number <input id="card_number"></label>
<label>Year (YY) <input id="expire_year"></label>
<label>Month (MM) <input id="expire_month"></label>
<label>Name <input id="name"></label>
</body></html>`

beforeAll(async () => {
  sim = await startPaygentSimulator()
  const c = sim.certificates
  client = new PaygentClient({
    merchantId: M.merchantId, connectId: M.connectId, connectPassword: M.connectPassword, telegramVersion: "1.0", baseUrl: sim.url,
    clientCertificate: c.clientBundleFile, clientKeyPassphrase: c.clientKeyPassphrase, caCertificate: c.caFile, timeoutMs: 5000,
  })
  const bundle = bundleStorefront()
  shop = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://shop.invalid")
    if (url.pathname === "/storefront.js") return void res.writeHead(200, { "content-type": "application/javascript" }).end(bundle)
    if (url.pathname === "/return") {
      // PAYGENT's term_url: here only recorded; the plugin's return route verifies it (other tests).
      returns.push(Object.fromEntries(url.searchParams))
      return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!DOCTYPE html><p id=back>back at the shop</p>")
    }
    if (url.pathname === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE)
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => shop.listen(0, "127.0.0.1", () => r()))
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await client?.close()
  await sim?.close()
  await new Promise((r) => shop?.close(r))
})

it("PaygentToken.js in Chromium, then out_acs_html as the whole page: challenge → term_url with a verifiable hc → 020", async () => {
  // Everything the browser loads comes from the simulator's plain-HTTP browser origin: no certificate to accept.
  const context = await browser.newContext({ locale: "ja-JP" })
  const page = await context.newPage()
  const seen: Array<{ url: string; body: string | null }> = []
  page.on("request", (r) => seen.push({ url: r.url(), body: r.postData() }))
  const errors: string[] = []
  page.on("pageerror", (e) => errors.push(String(e)))
  await page.goto(`${shopUrl}/`)
  await page.fill("#card_number", PAN)
  await page.fill("#expire_year", "30")
  await page.fill("#expire_month", "12")
  await page.fill("#name", "BAVCA")

  const session = {
    data: { jp: { v: 1, amount: 3000, browser: { gateway: "paygent", merchant_id: M.merchantId, token_generation_key: M.tokenGenerationKey, scripts: [`${sim.browserUrl}/js/PaygentToken.js`], amount: 3000, three_d_secure: true } } },
  }
  const out = await page.evaluate(async (session) => {
    const w = window as unknown as Record<string, any>
    const $ = (id: string) => document.getElementById(id)
    try {
      const r = await w.MedusaPaymentJp.tokenize(session, { mode: "custom", card: { card_number: $("card_number"), expire_year: $("expire_year"), expire_month: $("expire_month"), name: $("name") } })
      return { ok: true, sessionData: r.sessionData, cleared: ($("card_number") as HTMLInputElement).value === "" }
    } catch (e) {
      return { ok: false, code: (e as { code?: string }).code, message: String(e) }
    }
  }, session)
  expect(out).toMatchObject({ ok: true, cleared: true })
  const data = (out as { sessionData: Record<string, string> }).sessionData
  expect(hashMatches(tokenHash({ token: data.token, masked: data.masked_card_number, validUntil: data.valid_until, fingerprint: data.fingerprint }, M.tokenReceiptHashKey), data.hc)).toBe(true)
  // the card number went to PAYGENT's token endpoint, and nowhere else
  const carrying = seen.filter((r) => (r.body ?? "").includes(PAN) || r.url.includes(PAN))
  expect(carrying.map((r) => r.url)).toEqual([`${sim.browserUrl}/n/token/request`])

  // The shop's server: 450 with the browser's token, term_url on the shop.
  const tradingId = `BR${Date.now()}`
  const auth = await client.threeDSAuthenticate({ tradingId, termUrl: `${shopUrl}/return`, merchantName: "Test Shop", amount: 3000, card: { token: data.token } })

  // The browser shows out_acs_html as the whole page; its form posts itself to the ACS.
  await page.evaluate((html) => {
    const w = window as unknown as Record<string, any>
    w.MedusaPaymentJp.followRedirect({ data: { jp: { attempt: "redirect", redirect: { html } } } })
  }, auth.out_acs_html)
  await page.waitForSelector("#password")
  await page.fill("#password", "14012")
  await Promise.all([page.waitForURL(`${shopUrl}/return?**`), page.click("#submit")])
  await page.waitForSelector("#back")
  expect(errors).toEqual([])
  const q = returns.at(-1)!
  expect(q).toMatchObject({ result: "0", "3ds_auth_id": auth["3ds_auth_id"] })
  expect(hashMatches(threeDSResultHash({ result: q.result, authId: q["3ds_auth_id"], attemptKbn: q.attempt_kbn }, M.threeDSResultHashKey!), q.hc)).toBe(true)

  const paid = await client.authorize({ tradingId, amount: 3000, capture: false, card: { token: data.token }, threeDS: { authId: auth["3ds_auth_id"] } })
  expect(sim.payments().find((p) => p.paymentId === paid.payment_id)).toMatchObject({ status: "20", amount: 3000, attemptKbn: "" })
  await context.close()
})
