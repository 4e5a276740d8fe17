// 請求管理ロボ card registration in Chromium: the storefront helper's registerCard, on a shop page of its
// own origin, against a real Medusa app (the plugin's store routes) and the 請求管理ロボ simulator's
// CPToken.js / EMV3DSAdapter.js, through a 3-D Secure challenge; then the card is replaced.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { Browser, Page } from "playwright-core"
import { bundleStorefront, launchChromium } from "../helpers/browser"
import { BR, useBillingRoboSimulator } from "../helpers/billing-robo"
import { logInCustomer, setUpStore } from "../helpers/store"

jest.setTimeout(600_000)

const PAGE = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>カード登録 (test)</title>
<style>body{font-family:sans-serif;margin:24px}label{display:block;margin:6px 0}</style>
<script src="/storefront.js"></script></head>
<body><h1>お支払いカードの登録</h1>
<label>カード番号 <input id="cn"></label><label>有効期限 (YYMM) <input id="ed"></label>
<label>名 <input id="fn"></label><label>姓 <input id="ln"></label>
<div id="area"></div></body></html>`

const simulator = useBillingRoboSimulator()
let shop: Server
let shopUrl: string
const savedCors = process.env.STORE_CORS
beforeAll(async () => {
  const bundle = bundleStorefront()
  shop = createServer((req, res) => {
    if (req.url === "/storefront.js") res.writeHead(200, { "content-type": "application/javascript" }).end(bundle)
    else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE)
  })
  await new Promise<void>((r) => shop.listen(0, "127.0.0.1", r))
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
  // The app's store CORS must let the shop's page call the plugin's routes.
  process.env.STORE_CORS = shopUrl
})
afterAll(async () => {
  if (savedCors === undefined) delete process.env.STORE_CORS
  else process.env.STORE_CORS = savedCors
  await new Promise((r) => shop.close(r))
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let browser: Browser
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
    })

    async function register(page: Page, headers: Record<string, string>, backendUrl: string, card: { cn: string; ed: string; fn: string; ln: string }) {
      for (const [k, v] of Object.entries(card)) await page.fill(`#${k}`, v)
      await page.evaluate(
        ({ headers, backendUrl, providerId }) => {
          const w = window as unknown as Record<string, any>
          const el = (id: string) => document.getElementById(id)
          w.__result = w.MedusaPaymentJp.registerCard({ backendUrl, providerId, headers }, { mode: "custom", card: { cn: el("cn"), ed: el("ed"), fn: el("fn"), ln: el("ln") } }).then(
            (r: unknown) => ({ ok: true, registration: r }),
            (e: { code?: string; message?: string }) => ({ ok: false, code: e.code, message: e.message })
          )
        },
        { headers, backendUrl, providerId: BR }
      )
    }
    const result = (page: Page) => page.evaluate(() => (window as unknown as { __result: Promise<any> }).__result)

    it("registers a card through a 3-D Secure challenge with the helper, then replaces it", async () => {
      const sim = simulator.sim
      const s = await setUpStore(api, getContainer(), [BR])
      const customer = await logInCustomer(api, s, "browser@example.jp")
      await api.post(
        "/store/customers/me/addresses",
        { first_name: "花子", last_name: "山田", phone: "03-1111-2222", postal_code: "1500001", province: "東京都", city: "渋谷区", address_1: "神宮前1-2-3", country_code: "jp" },
        { headers: customer.headers }
      )
      const backendUrl = api.defaults.baseURL as string
      const context = await browser.newContext({ locale: "ja-JP" })
      const page = await context.newPage()
      const sent: Array<{ url: string; body: string | null }> = []
      page.on("request", (r) => sent.push({ url: r.url(), body: r.postData() }))
      await page.goto(shopUrl)
      await page.waitForFunction(() => typeof (window as unknown as { MedusaPaymentJp?: unknown }).MedusaPaymentJp === "object")

      await register(page, customer.headers, backendUrl, { cn: "4111111111111111", ed: "3012", fn: "HANAKO", ln: "YAMADA" })
      const frame = page.frameLocator("#EMV3DS_INPUT_FORM iframe#rp-3ds-frame")
      await frame.locator("#rp-3ds-otp").waitFor({ state: "visible" })
      await frame.locator("#rp-3ds-otp").fill("123456")
      await page.screenshot({ path: "/tmp/billing-robo-challenge.png" })
      await frame.locator("#rp-3ds-submit").click()
      const first = await result(page)
      expect(first).toMatchObject({ ok: true, registration: { registered: true, register_status: 5 } })
      expect(await page.inputValue("#cn")).toBe("")
      // The 3-D Secure call ran with amounts 0 and the 部署's em/pn.
      const auth = sent.find((r) => r.url.endsWith("/gateway/3ds/authenticate"))!
      expect(JSON.parse(auth.body!)).toMatchObject({ am: "0", tx: "0", sf: "0", em: "browser@example.jp", pn: "0311112222" })
      // The card number went to the gateway's script only, never to Medusa.
      expect(sent.filter((r) => r.url.startsWith(backendUrl)).map((r) => r.body ?? "").join("")).not.toContain("4111111111111111")

      await register(page, customer.headers, backendUrl, { cn: "5555555555554444", ed: "3012", fn: "HANAKO", ln: "YAMADA" })
      const second = await result(page)
      expect(second).toMatchObject({ ok: true, registration: { registered: true } })
      const billing = sim.billings().find((b) => b.code === second.registration.billing_code)!
      expect(billing.payments[0].card!.masked).toMatch(/4444$/)
      await context.close()
    })
  },
})
