// medusa-payment-jp/storefront for SBPS in a real browser: the helper bundled with esbuild, served from
// the shop's own origin, drives the SBPS simulator's com_sbps_system_token.js and
// com_sbps_system_tds2infotoken.js in Chromium; the tokens are then used server-side (TA02 → the 3-D
// Secure page in the same browser → ST01-00118 → commit) to prove they are real.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { Browser } from "playwright-core"
import { bundleStorefront, launchChromium } from "../helpers/browser"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from "../../src/simulator/sbps"
import { SbpsClient } from "../../src/gateways/sbps/client"

jest.setTimeout(120_000)

let sim: SbpsSimulator
let shop: Server
let shopUrl: string
let browser: Browser
const returned: string[] = []

const PAGE = `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>SBPS checkout (test)</title>
<script src="/storefront.js"></script></head><body>
<label>Number <input id="cc"></label><label>Expiry (YYYYMM) <input id="exp"></label><label>CVC <input id="cvc"></label>
</body></html>`

beforeAll(async () => {
  sim = await startSbpsSimulator()
  const js = bundleStorefront()
  shop = createServer((req, res) => {
    if (req.url === "/storefront.js") {
      res.writeHead(200, { "content-type": "application/javascript; charset=utf-8" })
      return res.end(js)
    }
    if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
      return res.end(PAGE)
    }
    if (req.url?.startsWith("/return")) {
      returned.push(req.url)
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
      return res.end("<p id='back'>back at the shop</p>")
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve))
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()))
  await sim?.close()
})

function session() {
  return {
    data: {
      jp: {
        browser: {
          gateway: "sbps",
          merchant_id: SANDBOX_MERCHANT.merchantId,
          service_id: SANDBOX_MERCHANT.serviceId,
          scripts: [`${sim.url}/sbpstoken/com_sbps_system_token.js`, `${sim.url}/sbpstoken/com_sbps_system_tds2infotoken.js`],
          three_ds: true,
          amount: 3000,
        },
      },
    },
  }
}

describe("storefront helper for SBPS in Chromium", () => {
  it("tokenizes card + cardholder, clears the inputs; the tokens pay through 3-D Secure in the same browser", async () => {
    const page = await browser.newPage()
    try {
      await page.goto(shopUrl + "/")
      await page.fill("#cc", "4000000000001091")
      await page.fill("#exp", "203012")
      await page.fill("#cvc", "123")
      const out = await page.evaluate(async (s) => {
        const m = (window as any).MedusaPaymentJp
        const r = await m.tokenize(s, {
          card: { ccNumber: document.getElementById("cc"), ccExpiration: document.getElementById("exp"), securityCode: document.getElementById("cvc") },
          cardholder: { email: "buyer@example.jp" },
        })
        return { ...r, cleared: ["cc", "exp", "cvc"].map((id) => (document.getElementById(id) as HTMLInputElement).value) }
      }, session())
      expect(out.cleared).toEqual(["", "", ""])
      expect(out.sessionData).toEqual({
        token: out.token,
        token_key: expect.stringMatching(/^[0-9A-F]+$/),
        tds2info_token: expect.stringMatching(/^[0-9A-F]+$/),
        tds2info_token_key: expect.stringMatching(/^[0-9A-F]+$/),
      })

      // server side: the tokens are real
      const client = new SbpsClient({ ...SANDBOX_MERCHANT, baseUrl: sim.url })
      try {
        const d = out.sessionData
        const tds = await client.tdsAuthenticate({
          custCode: "guest-1",
          amount: 3000,
          token: d.token,
          tokenKey: d.token_key,
          tdsInfoToken: d.tds2info_token,
          tdsInfoTokenKey: d.tds2info_token_key,
          okReturnUrl: `${shopUrl}/return?sbps_result=ok`,
          ngReturnUrl: `${shopUrl}/return?sbps_result=ng`,
        })
        // the shopper at SBPS's 3-D Secure page: the challenge, then back to the shop
        await page.goto(tds.redirectUrl)
        await page.fill("#otp", "123456")
        await page.click("#submit")
        await page.locator("#back").waitFor()
        expect(returned).toEqual(["/return?sbps_result=ok"])
        const auth = await client.authorize3ds({ custCode: "guest-1", orderId: "browser-order-1", itemId: "medusa", amount: 3000, tdsAuthenticationId: tds.tdsAuthenticationId })
        await client.commitPayment(auth.trackingId)
        expect(sim.transactions().find((t) => t.trackingId === auth.trackingId)).toMatchObject({ commitStatus: "1", threeDS: true })
      } finally {
        await client.close()
      }
    } finally {
      await page.close()
    }
  })

  it("an invalid card number comes back as SBPS's error code, and guards refuse missing input", async () => {
    const page = await browser.newPage()
    try {
      await page.goto(shopUrl + "/")
      const out = await page.evaluate(async (s) => {
        const m = (window as any).MedusaPaymentJp
        const results: Array<{ code?: string; message?: string }> = []
        for (const input of [
          { card: { ccNumber: "4111111111111112", ccExpiration: "203012" }, cardholder: { email: "a@b.jp" } },
          { card: { ccNumber: "4111111111111111", ccExpiration: "203012" } },
          { mode: "popup" },
        ]) {
          try {
            await m.tokenize(s, input)
            results.push({})
          } catch (e: any) {
            results.push({ code: e.code, message: e.message })
          }
        }
        return results
      }, session())
      expect(out[0]).toEqual({ code: "07003", message: "SBPS refused the card (07003)" })
      expect(out[1].code).toBe("INVALID_INPUT")
      expect(out[1].message).toMatch(/e-mail or phone/)
      expect(out[2].code).toBe("INVALID_INPUT")
    } finally {
      await page.close()
    }
  })
})
