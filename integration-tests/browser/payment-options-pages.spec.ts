// The PaymentOptions simulator's hosted payment page and 3-D Secure page in a real browser (Chromium):
// the shopper types the card, answers the challenge, and lands on the shop's success URL after the
// webhook; a failed challenge lands on the decline URL. The storefront helper's followRedirect takes
// the browser there from a payment session, as a storefront would.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { Browser } from "playwright-core"
import { bundleStorefront, launchChromium } from "../helpers/browser"
import { startPaymentOptionsSimulator, CHALLENGE_OTP, type PaymentOptionsSimulator } from "../../src/simulator/payment-options"

jest.setTimeout(120_000)

const MID = "JP00000472"
const AUTH = { authorization: `Basic ${Buffer.from("k").toString("base64")}`, "x-api-key": "x", "content-type": "application/json" }

let sim: PaymentOptionsSimulator
let shop: Server
let shopUrl: string
let browser: Browser
const hooks: string[] = []

beforeAll(async () => {
  sim = await startPaymentOptionsSimulator({ merchants: [{ merchantId: MID, apiKey: "k", xApiKey: "x", hppTransactionType: "PRE_AUTH" }] })
  const helper = bundleStorefront()
  shop = createServer((req, res) => {
    if (req.url?.startsWith("/hook")) {
      req.resume()
      req.on("end", () => {
        hooks.push(req.url!)
        res.writeHead(200).end("ok")
      })
      return
    }
    if (req.url === "/storefront.js") return void res.writeHead(200, { "content-type": "application/javascript" }).end(helper)
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><meta charset="utf-8"><script src="/storefront.js"></script><h1 id="where">${req.url}</h1>`)
  })
  await new Promise<void>((r) => shop.listen(0, "127.0.0.1", r))
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await sim?.close()
  shop?.closeAllConnections()
  await new Promise((r) => shop?.close(r))
})

async function link(ref: string): Promise<string> {
  const res = await fetch(`${sim.url}/api/v1/server-to-server-interface/hpp/generate/link`, {
    method: "POST",
    headers: AUTH,
    body: JSON.stringify({
      amount: 3000,
      currency: "JPY",
      merchant_id: MID,
      merchant_email: "shop@example.jp",
      merchant_txn_ref: ref,
      billing_address: { country: "JP", email: "buyer@example.jp" },
      return_url: { webhook_url: `${shopUrl}/hook?ref=${ref}`, success_url: `${shopUrl}/ok?ref=${ref}`, decline_url: `${shopUrl}/ng?ref=${ref}`, cancel_url: `${shopUrl}/cancel?ref=${ref}` },
    }),
  })
  return ((await res.json()) as { url: string }).url
}

async function pay(ref: string, card: string, otp: string | null) {
  const url = await link(ref)
  const page = await browser.newPage()
  try {
    // a storefront page sends the browser on with the helper, from the session's data.jp.redirect
    await page.goto(`${shopUrl}/checkout`)
    await page.evaluate((u) => (window as any).MedusaPaymentJp.followRedirect({ data: { jp: { attempt: "redirect", redirect: { url: u } } } }), url)
    await page.waitForURL(/HostedPaymentPage/)
    await page.fill("#card_number", card)
    await page.fill("#expiry_month", "12")
    await page.fill("#expiry_year", "2030")
    await page.fill("#cvc", "123")
    await page.fill("#card_name", "TARO YAMADA")
    await page.click("#pay")
    if (otp !== null) {
      await page.waitForURL(/\/integration\/3ds/)
      await page.fill("#otp", otp)
      await page.click("#submit")
    }
    await page.waitForURL((u) => u.origin === shopUrl && !u.pathname.startsWith("/checkout"))
    return new URL(page.url())
  } finally {
    await page.close()
  }
}

it("a challenge card: the card on the hosted page, the code on the 3-D Secure page, then the success URL (after the webhook)", async () => {
  const end = await pay("CH1", "5200000000001096", CHALLENGE_OTP)
  expect(end.pathname).toBe("/ok")
  expect(hooks).toContain("/hook?ref=CH1")
  expect(sim.transactions().find((t) => t.merchantTxnRef === "CH1")).toMatchObject({ status: "succeeded", type: "PRE_AUTH", amount: 3000, threeDS: "challenge" })
})

it("a frictionless card goes straight to the success URL; a failed challenge to the decline URL", async () => {
  expect((await pay("FR1", "4000000000001000", null)).pathname).toBe("/ok")
  expect((await pay("CF1", "4000000000001109", "000000")).pathname).toBe("/ng")
  expect(sim.transactions().find((t) => t.merchantTxnRef === "CF1")).toMatchObject({ status: "failed", responseCode: 937 })
})
