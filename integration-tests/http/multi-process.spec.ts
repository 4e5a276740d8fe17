// Medusa split across processes, as a store that has outgrown one process runs it: the server of this
// test (server A, MEDUSA_WORKER_MODE=server), a second server process (B) and a worker process (W),
// sharing PostgreSQL and Medusa's Redis event bus, workflow engine and locking. Checks that a gateway
// notification a server takes is completed by the worker, and that the cart lock holds across processes.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { Modules } from "@medusajs/framework/utils"
import axios, { type AxiosInstance } from "axios"
import { createServer, type Server } from "node:http"
import type { PaygentSimulator } from "../../src/simulator/paygent"
import { createPaygentToken, runAcs, type PaygentTestCard } from "../../src/simulator/paygent/shopper"
import { cartWithCollection, paymentSession, responseOf, setUpStore, waitFor, type Store } from "../helpers/store"
import { PAYGENT_MERCHANT as M, usePaygentSimulator } from "../helpers/paygent"
import { ensureRedis, startMedusaProcess, type MedusaProcess } from "../helpers/processes"
import { splitDeploymentProblems } from "../../src/core/deployment"
import { runThreeDS, sbpsTokens, useSbpsSimulator } from "../helpers/sbps"
import { payInBrowser, usePaymentOptionsSimulator } from "../helpers/payment-options"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"

jest.setTimeout(300_000)

const PG = "pp_paygent_pg"
const SBPS = "pp_sbps_sbps"
const PO = "pp_payment-options_po"
const RP = "pp_robot-payment_rp"
const VISA = "4000000000000002"
const LOST_020 = "4000000000008408" // PAYGENT authorizes, its answer to 020 is lost (2008)

// Read by medusa-config.ts when this file's app (server A) boots; the child processes inherit them.
const RUN = `jp-mp-${process.pid}-${Date.now()}`
process.env.JP_TEST_REDIS_URL = "redis://127.0.0.1:6379"
process.env.JP_TEST_REDIS_PREFIX = RUN
process.env.MEDUSA_WORKER_MODE = "server"

let stopRedis = async () => {}
beforeAll(async () => {
  stopRedis = await ensureRedis()
}, 30_000)
afterAll(async () => {
  await stopRedis()
})

const harness = usePaygentSimulator()
const sbps = useSbpsSimulator()
const po = usePaymentOptionsSimulator()
const rp = useRobotPaymentSimulator()
let sim: PaygentSimulator
beforeAll(() => {
  // every gateway comes back to the same app (server A): the port the PAYGENT harness chose
  process.env.PORT = new URL(harness.appUrl).port
  process.env.PAYMENT_OPTIONS_BACKEND_URL = harness.appUrl
  process.env.SBPS_BACKEND_URL = harness.appUrl
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConfig, dbUtils }) => {
    let s: Store
    let serverB: MedusaProcess
    let worker: MedusaProcess
    let b: AxiosInstance

    beforeAll(async () => {
      sim = harness.sim
      s = await setUpStore(api, getContainer(), [PG, SBPS, PO, RP])
      // The test runner restores the database before each test from this snapshot; the other processes
      // stay connected, so every test ends by snapshotting again (afterEach) instead.
      await dbUtils.snapshot()
      const env = { DATABASE_URL: dbConfig.clientUrl }
      ;[serverB, worker] = await Promise.all([startMedusaProcess("server", env), startMedusaProcess("worker", env)])
      b = axios.create({ baseURL: serverB.url })
    })
    afterEach(async () => {
      worker?.resume()
      await dbUtils.snapshot()
    })
    afterAll(async () => {
      await Promise.all([serverB?.stop(), worker?.stop()])
    })

    const telegrams = (kind: string, tradingId: string) => sim.requests().filter((r) => r.kind === kind && r.params.trading_id === tradingId)
    const sessionOf = async (a: AxiosInstance, cartId: string, headers: Record<string, string>) =>
      (await a.get(`/store/carts/${cartId}?fields=completed_at,*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]
    const ordersOf = async (cartId: string) => {
      const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["id", "order.id"], filters: { id: cartId } })
      return data.map((c: { order?: { id: string } }) => c.order?.id).filter(Boolean) as string[]
    }

    /**
     * A PAYGENT checkout with 3-D Secure: the storefront talks to server B, PAYGENT's term_url (the
     * browser's return) reaches server A, the cart is completed on B.
     */
    let shoppers = 0
    async function paygentCheckout(card: PaygentTestCard, password?: string) {
      const email = `shopper${++shoppers}@example.jp`
      const { cart, collectionId, headers } = await cartWithCollection(b, s, { quantity: 1, email })
      const first = await paymentSession(b, collectionId, PG, headers)
      const br = first.data.jp.browser
      const token = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, br.merchant_id, br.token_generation_key, card)
      const session = await paymentSession(b, collectionId, PG, headers, { ...token })
      const before = await b.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      // 3-D Secure started with the session: a completion before the shopper is back makes no order
      expect(before.status).toBe(200)
      expect(before.data.type).toBe("cart")
      const waiting = await sessionOf(b, cart.id, headers)
      expect(waiting.data.jp.attempt).toBe("redirect")
      const { termUrl } = await runAcs(waiting.data.jp.redirect.html, sim.certificates.caFile, { simUrl: sim.browserUrl, password })
      expect(termUrl.startsWith(`${harness.appUrl}/jp-payments/return/`)).toBe(true)
      const back = await api.get(termUrl.slice(harness.appUrl.length), { maxRedirects: 0, validateStatus: () => true })
      expect(back.status).toBe(303)
      const done = await b.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      return { cart, headers, email, code: session.data.jp.order_code as string, done }
    }

    it("PAYGENT: a checkout with 3-D Secure across the server processes makes the order", async () => {
      const r = await paygentCheckout({ card_number: VISA, name: "BAVCA" }, "14012")
      expect(r.done.status).toBe(200)
      expect(r.done.data.type).toBe("order")
      expect(telegrams("020", r.code)).toHaveLength(1)
    })

    /** The browser's return to our URL on server A (3-D Secure pages send the shopper back there). */
    const visitA = (url: string) => {
      const u = new URL(url)
      expect(u.origin).toBe(harness.appUrl)
      return api.get(u.pathname + u.search, { maxRedirects: 0, validateStatus: () => true })
    }

    it("SBPS: a checkout with 3-D Secure across the server processes makes the order", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(b, s, { quantity: 1, email: "sbps@example.jp" })
      const first = await paymentSession(b, collectionId, SBPS, headers)
      const tokens = await sbpsTokens(sbps.sim.url, first.data.jp.browser, "4111111111111111")
      await paymentSession(b, collectionId, SBPS, headers, { ...tokens })
      const waiting = await sessionOf(b, cart.id, headers)
      expect((await visitA(await runThreeDS(waiting.data.jp.redirect.url))).status).toBe(303)
      const done = await b.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(done.data.type).toBe("order")
    })

    it("PaymentOptions: the hosted page with 3-D Secure, its return on server A, completion on server B", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(b, s, { quantity: 1, email: "po@example.jp" })
      await paymentSession(b, collectionId, PO, headers, { hosted_page: true })
      const waiting = await sessionOf(b, cart.id, headers)
      const browser = await payInBrowser(waiting.data.jp.redirect.url, { number: "5200000000001096" })
      expect(browser.end.searchParams.get("jp_result")).toBe("ok")
      const done = await b.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(done.data.type).toBe("order")
    })

    it("ROBOT PAYMENT: 3-D Secure in the browser, the order made on server B", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(b, s, { quantity: 1, email: "rp@example.jp" })
      const first = await paymentSession(b, collectionId, RP, headers)
      const tkn = await createToken(rp.sim.url, first.data.jp.browser.aid, { cn: "4111111111111111" })
      await authenticate(rp.sim.url, AID, tkn, first.data.jp.browser.three_ds)
      await paymentSession(b, collectionId, RP, headers, { token: tkn })
      const done = await b.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(done.data.type).toBe("order")
    })

    it("the plugin's boot check reads this deployment's configuration: Redis modules pass, the in-memory defaults are named", () => {
      const { configManager } = require("@medusajs/framework/config")
      const { workerMode, } = configManager.config.projectConfig
      expect(workerMode).toBe("server")
      expect(splitDeploymentProblems(workerMode, configManager.config.modules)).toEqual([])
      const { locking, event_bus, workflows, ...rest } = configManager.config.modules
      expect([locking, event_bus, workflows].every(Boolean)).toBe(true)
      expect(splitDeploymentProblems(workerMode, rest)).toHaveLength(3)
    })

    it("a notification taken by a server (Windows-31J form, hc) is processed by the worker, which completes the order", async () => {
      sim.setNoticeUrl(M.merchantId, `${harness.appUrl}/jp-payments/paygent_pg/notify`)
      const emit = jest.spyOn(getContainer().resolve(Modules.EVENT_BUS), "emit")
      try {
        worker.pause()
        const r = await paygentCheckout({ card_number: LOST_020 })
        expect(r.done.status).toBe(400) // 2008: outcome unknown, no order yet
        await sim.settle()
        const [notice] = sim.notices().filter((n) => n.fields.trading_id === r.code)
        expect(notice.deliveries[0]).toMatchObject({ status: 200, body: "result=0" }) // verified and taken by server A
        // Taken, recorded, and handed to the event bus; no server consumes it: no order while the worker sleeps.
        await new Promise((res) => setTimeout(res, 3000))
        expect(await ordersOf(r.cart.id)).toEqual([])
        // handed off with the Payment Module's webhook_delay / webhook_retries (medusa-config.ts: 1 ms, 4)
        const handed = emit.mock.calls.filter(([e]) => !Array.isArray(e) && e.name === "payment.webhook_received")
        expect(handed).toHaveLength(1)
        expect(handed[0][1]).toEqual({ delay: 1, attempts: 4 })
        worker.resume()
        const orderId = await waitFor(async () => (await ordersOf(r.cart.id))[0], 60_000)
        const payment = await waitFor(async () => {
          const order = (await api.get(`/admin/orders/${orderId}?fields=*payment_collections.payments`, s.admin)).data.order
          return order.payment_collections[0]?.payments?.[0]
        })
        expect(payment.amount).toBe(1500)
        expect(telegrams("020", r.code)).toHaveLength(1)
      } finally {
        emit.mockRestore()
        worker.resume()
        sim.setNoticeUrl(M.merchantId, undefined)
      }
    })

    it("the same notification at the same moment on two servers, racing a cart completion: one order, one authorization", async () => {
      // Catch PAYGENT's notice (its exact bytes) instead of letting it reach the app, then deliver it ourselves.
      const caught: { body: Buffer; contentType: string }[] = []
      const catcher: Server = createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on("data", (c) => chunks.push(c))
        req.on("end", () => {
          caught.push({ body: Buffer.concat(chunks), contentType: String(req.headers["content-type"]) })
          res.end("result=0")
        })
      })
      await new Promise<void>((res) => catcher.listen(0, "127.0.0.1", res))
      sim.setNoticeUrl(M.merchantId, `http://127.0.0.1:${(catcher.address() as { port: number }).port}/`)
      try {
        const r = await paygentCheckout({ card_number: LOST_020 })
        expect(r.done.status).toBe(400)
        await sim.settle()
        const notice = caught.find((c) => c.body.toString("latin1").includes(`trading_id=${r.code}`))!
        expect(notice.contentType).toMatch(/Windows-31J/i)
        const deliver = (base: string) =>
          axios.post(`${base}/jp-payments/paygent_pg/notify`, notice.body, { headers: { "content-type": notice.contentType }, validateStatus: () => true, transformRequest: (d) => d })
        const [atA, atB, completion] = await Promise.all([
          deliver(harness.appUrl),
          deliver(serverB.url),
          b.post(`/store/carts/${r.cart.id}/complete`, {}, { headers: r.headers }).catch(responseOf),
        ])
        expect([atA.status, atA.data, atB.status, atB.data]).toEqual([200, "result=0", 200, "result=0"])
        const orderId = await waitFor(async () => (await ordersOf(r.cart.id))[0], 60_000)
        if (completion.status === 200) expect(completion.data.order.id).toBe(orderId)
        // let the worker finish whatever the notifications handed it, then count
        await new Promise((res) => setTimeout(res, 3000))
        expect(await ordersOf(r.cart.id)).toEqual([orderId])
        const { data: orders } = await getContainer().resolve("query").graph({ entity: "order", fields: ["id"], filters: { email: r.email } })
        expect(orders.map((o: { id: string }) => o.id)).toEqual([orderId])
        expect(telegrams("020", r.code)).toHaveLength(1)
        expect(sim.payments().filter((p) => p.tradingId === r.code)).toHaveLength(1)
      } finally {
        sim.setNoticeUrl(M.merchantId, undefined)
        await new Promise((res) => catcher.close(res))
      }
    })
  },
})
