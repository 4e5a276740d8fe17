// The whole purchase as a shopper makes it: a storefront page in Chromium calls Medusa's store API,
// tokenizes the card in the gateway's own popup form (simulator's CPToken.js), passes a 3-D Secure
// challenge (EMV3DSAdapter.js), and completes the cart; the order's payment is then captured from the
// admin API. Real Medusa app, real PostgreSQL, the simulator over HTTP, the built storefront helper.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { Browser } from "playwright-core"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { bundleStorefront, launchChromium } from "../helpers/browser"
import { useRobotPaymentSimulator } from "../helpers/robot-payment"
import { orderPayment, setUpStore, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const RP = "pp_robot-payment_rp"

let sim: RobotPaymentSimulator
let shop: Server
let shopUrl: string
let browser: Browser

// The storefront's own code: Medusa's store API with fetch, and the plugin's helper for the card.
const PAGE = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>Shop</title><script src="/storefront.js"></script></head>
<body><h1>ご注文手続き</h1><div id="payment"></div>
<script>
async function checkout(cfg) {
  const headers = { "content-type": "application/json", "x-publishable-api-key": cfg.pk }
  async function post(path, body) {
    const res = await fetch(cfg.api + path, { method: "POST", headers, body: JSON.stringify(body) })
    const json = await res.json()
    if (!res.ok) throw new Error(path + " " + res.status + " " + JSON.stringify(json))
    return json
  }
  let { cart } = await post("/store/carts", { region_id: cfg.regionId, sales_channel_id: cfg.salesChannelId, email: "web@example.jp", currency_code: "jpy" })
  ;({ cart } = await post("/store/carts/" + cart.id + "/line-items", { variant_id: cfg.variantId, quantity: 2 }))
  const { payment_collection: pc } = await post("/store/payment-collections", { cart_id: cart.id })
  const first = await post("/store/payment-collections/" + pc.id + "/payment-sessions", { provider_id: cfg.provider })
  const { sessionData } = await MedusaPaymentJp.tokenize(first.payment_collection.payment_sessions[0], {
    mode: "popup",
    container: document.getElementById("payment"),
  })
  await post("/store/payment-collections/" + pc.id + "/payment-sessions", { provider_id: cfg.provider, data: sessionData })
  return await post("/store/carts/" + cart.id + "/complete", {})
}
</script></body></html>`

const simulator = useRobotPaymentSimulator()

beforeAll(async () => {
  sim = simulator.sim
  const js = bundleStorefront()
  shop = createServer((req, res) => {
    const body = req.url === "/storefront.js" ? js : req.url === "/" ? PAGE : null
    if (body === null) return void res.writeHead(404).end()
    res.writeHead(200, { "content-type": req.url === "/" ? "text/html; charset=utf-8" : "application/javascript; charset=utf-8" }).end(body)
  })
  await new Promise<void>((r) => shop.listen(0, "127.0.0.1", r))
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
  process.env.STORE_CORS = shopUrl // Medusa must let the storefront's origin call the store API
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((r) => (shop ? shop.close(() => r()) : r()))
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store

    beforeEach(async () => {
      s = await setUpStore(api, getContainer(), [RP])
    })

    it("a shopper buys in Chromium: gateway popup, 3-D Secure challenge, order; the admin captures it", async () => {
      const page = await browser.newPage()
      const cardSeenBy: string[] = []
      page.on("request", (r) => {
        if ((r.postData() ?? "").includes("4111111111111111")) cardSeenBy.push(new URL(r.url()).origin + new URL(r.url()).pathname)
      })
      try {
        await page.goto(shopUrl)
        const cfg = {
          api: api.defaults.baseURL,
          pk: s.store.headers["x-publishable-api-key"],
          regionId: s.regionId,
          salesChannelId: s.salesChannelId,
          variantId: s.variantId,
          provider: RP,
        }
        const done = page.evaluate((c) => (window as unknown as { checkout(c: unknown): Promise<any> }).checkout(c), cfg)

        await page.locator("#CARD_INPUT_FORM #rp-card-form").waitFor({ state: "visible" })
        await page.fill("#rp-cn", "4111111111111111")
        await page.fill("#rp-ed", "3012")
        await page.fill("#rp-fn", "HANAKO")
        await page.fill("#rp-ln", "SATO")
        await page.fill("#rp-cvv", "123")
        await page.click("#rp-submit")
        const challenge = page.frameLocator("#EMV3DS_INPUT_FORM iframe#rp-3ds-frame")
        await challenge.locator("#rp-3ds-otp").fill("123456")
        await challenge.locator("#rp-3ds-submit").click()

        const completed = await done
        expect(completed.type).toBe("order")
        expect(cardSeenBy).toEqual([`${sim.url}/gateway/token/create`]) // the card went to the gateway only

        let payment = await orderPayment(api, s, completed.order.id)
        expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000 })
        const tx = sim.transactions().find((t) => t.gid === payment.data.jp.reference)
        expect(tx).toMatchObject({ jb: "AUTH", am: 3000, threeDS: "challenge", state: "AUTH" })

        await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
        payment = await orderPayment(api, s, completed.order.id)
        expect(payment.data.jp.state).toBe("captured")
        expect(sim.transactions().find((t) => t.gid === payment.data.jp.reference)?.state).toBe("CAPTURED")
      } finally {
        await page.close()
      }
    })
  },
})
