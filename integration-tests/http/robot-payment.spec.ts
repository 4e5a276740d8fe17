// ROBOT PAYMENT end to end: a real Medusa app on a real PostgreSQL, the ROBOT PAYMENT simulator over
// HTTP, and the storefront's and admin's own HTTP calls.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { resolveCardProvider } from "../../src/core/resolve-provider"
import { fromOrderCode } from "../../src/core/order-code"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, setUpStore, type Store, waitFor, responseOf } from "../helpers/store"
import { authenticate, createToken, tokenFor } from "../../src/simulator/robot-payment/shopper"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"

jest.setTimeout(240_000)

const RP = "pp_robot-payment_rp" // jobType AUTH
const RPC = "pp_robot-payment_rpc" // jobType CAPTURE, partialRefund cancel-and-recharge
const GOOD = { cn: "4444333322221111" }
const CHALLENGE = { cn: "4111111111111111" }
const LIMIT = { cn: "4000000000009995" } // G5542G550000 限度額オーバー

const simulator = useRobotPaymentSimulator()
let sim: RobotPaymentSimulator
beforeAll(() => {
  sim = simulator.sim
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store

    beforeEach(async () => {
      sim.clearFaults()
      s = await setUpStore(api, getContainer(), [RP, RPC])
    })

    /** Cart → session → token + 3-D Secure in the "browser" → session with the token → complete. */
    async function checkout(a: AxiosInstance, provider: string, card = GOOD, opts: { quantity?: number; threeDS?: Record<string, number> } = {}) {
      const { cart, collectionId, headers } = await cartWithCollection(a, s, { quantity: opts.quantity })
      const first = await paymentSession(a, collectionId, provider, headers)
      const tkn = await createToken(sim.url, first.data.jp.browser.aid, card)
      await authenticate(sim.url, AID, tkn, opts.threeDS ?? first.data.jp.browser.three_ds)
      const session = await paymentSession(a, collectionId, provider, headers, { token: tkn })
      const res = await a.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      return { cart, session, completed: res.data, status: res.status as number, headers }
    }

    it("lists both providers and hands the browser only public values", async () => {
      const res = await api.get("/admin/payments/payment-providers", s.admin)
      expect(res.data.payment_providers.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([RP, RPC]))

      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const session = await paymentSession(api, collectionId, RP, headers)
      const jp = session.data.jp
      expect(jp.amount).toBe(3000)
      expect(jp.browser).toEqual({
        gateway: "robot-payment",
        aid: AID,
        scripts: [`${sim.url}/gateway/js/jquery.js`, `${sim.url}/gateway/js/CPToken.js`, `${sim.url}/gateway/js/EMV3DSAdapter.js`],
        // the em the payment will send (the cart's e-mail): ThreeDSAdapter.authenticate must repeat it
        three_ds: { am: 3000, tx: 0, sf: 0, em: "buyer@example.jp" },
        uid: null,
      })
      expect(fromOrderCode(jp.order_code)).toBe(session.id)
      expect(JSON.stringify(session.data)).not.toMatch(/key|password|secret/i)
    })

    it("cart → token → 3-D Secure challenge → order; admin capture; capture again is a no-op; admin full refund", async () => {
      const { session, completed } = await checkout(api, RP, CHALLENGE, { quantity: 2 })
      expect(completed.type).toBe("order")
      const order = completed.order

      const [tx] = sim.transactions().filter((t) => t.cod === session.data.jp.order_code)
      expect(tx).toMatchObject({ jb: "AUTH", am: 3000, tx: 0, sf: 0 })
      expect(sim.requests().filter((r) => r.path === "/gateway/gateway_token.aspx")).toHaveLength(1)

      let payment = await orderPayment(api, s, order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, order_code: session.data.jp.order_code, reference: tx.gid })
      expect(payment.data.token ?? null).toBeNull()

      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      payment = await orderPayment(api, s, order.id)
      expect(payment.captured_at).toBeTruthy()
      expect(payment.data.jp.state).toBe("captured")
      expect(sim.transactions().find((t) => t.gid === tx.gid)?.state).toBe("CAPTURED")

      // The provider itself: capturing a captured payment succeeds without a second SALES.
      const provider = resolveCardProvider(getContainer(), "robot-payment_rp")
      const sales = () => sim.requests().filter((r) => r.path === "/gateway/gateway.aspx" && r.params.jb === "SALES").length
      const before = sales()
      const again = await provider.capturePayment({ data: payment.data })
      expect(again.data).toEqual(payment.data)
      expect(sales()).toBe(before)

      await api.post(`/admin/payments/${payment.id}/refund`, {}, s.admin)
      payment = await orderPayment(api, s, order.id)
      expect(payment.refunds).toHaveLength(1)
      expect(payment.data.jp).toMatchObject({ state: "refunded", refunded_amount: 3000, amount: 0 })
      expect(sim.transactions().find((t) => t.gid === tx.gid)?.state).toBe("CANCELED")
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "capture", "refund"])
    })

    it("cancels an uncaptured order at the gateway", async () => {
      const { completed, session } = await checkout(api, RP)
      await api.post(`/admin/orders/${completed.order.id}/cancel`, {}, s.admin)
      const payment = await orderPayment(api, s, completed.order.id)
      expect(payment.canceled_at).toBeTruthy()
      expect(payment.data.jp.state).toBe("canceled")
      const tx = sim.transactions().find((t) => t.cod === session.data.jp.order_code)
      expect(tx?.state).toBe("CANCELED")
    })

    it("a declined card: no order, the gateway's code and reason stay on the session", async () => {
      const { completed, cart, status } = await checkout(api, RP, LIMIT)
      // Medusa 2.21 answers a failed authorization with 400 not_allowed; the reason is on the session.
      expect(status).toBe(400)
      expect(completed.type).toBe("not_allowed")
      const after = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers: s.store.headers })).data.cart
      const ses = after.payment_collection.payment_sessions[0]
      expect(ses.status).toBe("error")
      expect(ses.data.jp.error).toMatchObject({ code: "G5542G550000", kind: "declined", message_ja: "限度額オーバー" })
      expect(ses.data.token).toBeNull() // the used token left the session
    })

    it("an expired token (15 minutes) is refused with ER585 and nothing is charged", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s)
      const first = await paymentSession(api, collectionId, RP, headers)
      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD)
      await paymentSession(api, collectionId, RP, headers, { token: tkn })
      sim.advanceClock(16 * 60_000)
      const res = await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(res.status).toBe(400)
      const after = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers })).data.cart
      const jp = after.payment_collection.payment_sessions[0].data.jp
      expect(jp.error.code).toBe("ER585")
      expect(sim.transactions().filter((t) => t.cod === jp.order_code && t.state !== "FAILED")).toHaveLength(0)
    })

    it("3-D Secure run for another amount than Medusa's fails as the gateway fails", async () => {
      const { status, cart } = await checkout(api, RP, GOOD, { threeDS: { am: 1, tx: 0, sf: 0 } })
      expect(status).toBe(400)
      const after = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers: s.store.headers })).data.cart
      expect(after.payment_collection.payment_sessions[0].data.jp.error.code).toMatch(/^ER90[01]$/)
    })

    it("a storefront can neither forge our state nor name the amount", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      // a forged "paid" state, a forged notification, an amount: refused with a message naming the key, no session, nothing sent
      const requests = sim.requests().length
      for (const data of [
        { token: "forgedtoken1234", jp: { v: 1, state: "authorized", reference: "1", amount: 1 } },
        { token: "forgedtoken1234", jp: { notification: { succeeded: true, dedupe_key: "1", amount: 1500, charge: { reference: "1", state: "captured", amount: 1500, references: {}, operations: [] } } } },
        { token: "forgedtoken1234", amount: 1 },
      ]) {
        const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: RP, data }, { headers }).catch(responseOf)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/^data\.(jp|amount) /)
      }
      const after = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers })).data.cart
      expect(after.payment_collection.payment_sessions).toHaveLength(0)
      const res = await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(res.status).toBe(400)
      expect(sim.requests()).toHaveLength(requests)

      const bad = await api
        .post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: RP, data: { token: 12 } }, { headers })
        .catch(responseOf)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/token must be/)
    })

    it("a kickback delivered twice is processed once, and completes the order whose answer was lost", async () => {
      sim.setKickbackUrl(AID, `${api.defaults.baseURL}/jp-payments/robot-payment_rp/notify`)
      const handed: unknown[] = []
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      eventBus.subscribe("payment.webhook_received", async (e: unknown) => {
        handed.push(e)
      })
      // The gateway charges, but the connection drops before its answer; then it kicks back twice.
      sim.inject({ kind: "reset", path: "/gateway/gateway_token.aspx", after: true })
      sim.inject({ kind: "duplicate-kickback" })
      const { status, cart, session } = await checkout(api, RP)
      expect(status).toBe(400) // outcome unknown: no order yet, and no second charge

      const orderId = await waitFor(async () => {
        // completed_at, not the order link: Medusa links the order before it authorizes
        const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["completed_at", "order.id"], filters: { id: cart.id } })
        const c = data[0] as { completed_at?: string | null; order?: { id: string } } | undefined
        return c?.completed_at ? c.order?.id : undefined
      })
      const kicks = sim.kickbacks().filter((k) => k.query.cod === session.data.jp.order_code)
      expect(kicks.length).toBeGreaterThanOrEqual(2)
      expect(kicks.map((k) => [k.status, k.body])).toEqual(kicks.map(() => [200, "OK"]))
      expect(handed).toHaveLength(1)
      const payment = await orderPayment(api, s, orderId)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 1500 * 2, reference: kicks[0].query.gid })
      expect(sim.requests().filter((r) => r.path === "/gateway/gateway_token.aspx" && r.params.cod === session.data.jp.order_code)).toHaveLength(1)
    })

    it("refuses a kickback whose amount differs from the session", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s)
      const session = await paymentSession(api, collectionId, RP, headers)
      const q = new URLSearchParams({ gid: "999", rst: "1", ap: "x", ec: "", god: "1", cod: session.data.jp.order_code, am: "1", tx: "0", sf: "0", ta: "1" })
      const res = await api.get(`/jp-payments/robot-payment_rp/notify?${q}`).catch(responseOf)
      expect(res.status).toBe(409)
      const after = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers })).data.cart
      expect(after.payment_collection.payment_sessions[0].data.jp.notification).toBeNull()
      // the right amount, but for a session never sent to the gateway: acknowledged, not believed
      const forged = new URLSearchParams({ gid: "998", rst: "1", ap: "x", ec: "", god: "1", cod: session.data.jp.order_code, am: "3000", tx: "0", sf: "0", ta: "3000" })
      expect((await api.get(`/jp-payments/robot-payment_rp/notify?${forged}`)).data).toBe("OK")
      const still = (await api.get(`/store/carts/${cart.id}?fields=completed_at,*payment_collection.payment_sessions`, { headers })).data.cart
      expect(still.payment_collection.payment_sessions[0].data.jp.notification).toBeNull()
      expect(still.payment_collection.payment_sessions[0].status).toBe("pending")
      expect(still.completed_at).toBeNull()
      const foreign = await api.get(`/jp-payments/robot-payment_rp/notify?${new URLSearchParams({ gid: "1", rst: "1", cod: "someone-else", ta: "1" })}`)
      expect(foreign.status).toBe(200)
      expect(foreign.data).toBe("OK")
    })

    it("CAPTURE job; partial refund by cancel-and-recharge on the saved card; the rest refunded in full", async () => {
      const customer = await logInCustomer(api, s, "hanako@example.jp")
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2, headers: customer.headers, email: "hanako@example.jp" })
      const first = await paymentSession(api, collectionId, RPC, headers)
      expect(first.data.jp.browser.uid).toMatch(/^cus/)
      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD, { saveCard: true })
      await paymentSession(api, collectionId, RPC, headers, { token: tkn, save_card: true })
      const completed = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(completed.type).toBe("order")

      let payment = await orderPayment(api, s, completed.order.id)
      expect(payment.captured_at).toBeTruthy()
      expect(payment.data.jp).toMatchObject({ state: "captured", saved_card: { customerRef: first.data.jp.browser.uid, cardRef: "1" } })
      const original = payment.data.jp.reference

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 2000, refunded_amount: 1000 })
      expect(payment.data.jp.reference).not.toBe(original)
      expect(sim.transactions().find((t) => t.gid === original)?.state).toBe("CANCELED")
      expect(sim.transactions().find((t) => t.gid === payment.data.jp.reference)).toMatchObject({ state: "CAPTURED", am: 2000 })

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 2000 }, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", amount: 0, refunded_amount: 3000 })
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "recharge", "refund", "refund"])
    })

    it("refuses a partial refund by default with an error that says why, and refunds nothing", async () => {
      const { completed } = await checkout(api, RP)
      let payment = await orderPayment(api, s, completed.order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      const res = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin).catch(responseOf)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.data.message).toMatch(/no documented partial refund/)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.refunds).toHaveLength(0)
      expect(sim.transactions().find((t) => t.gid === payment.data.jp.reference)?.state).toBe("CAPTURED")
    })

    it("a logged-in customer saves a card and pays again with it in one touch", async () => {
      const customer = await logInCustomer(api, s, "jiro@example.jp")
      // 1. pays and saves the card
      const one = await cartWithCollection(api, s, { headers: customer.headers, email: "jiro@example.jp" })
      const first = await paymentSession(api, one.collectionId, RP, one.headers)
      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD, { saveCard: true })
      await paymentSession(api, one.collectionId, RP, one.headers, { token: tkn, save_card: true })
      expect((await api.post(`/store/carts/${one.cart.id}/complete`, {}, { headers: one.headers })).data.type).toBe("order")

      const listed = (await api.get(`/store/jp-payments/payment-methods?provider_id=${RP}`, { headers: customer.headers })).data
      expect(listed.payment_methods).toEqual([{ id: "1", provider_id: RP, data: { card: { masked: expect.stringMatching(/1111$/), expiry: "12/30" } } }])

      // 2. pays again with the saved card: no token, no card data
      const two = await cartWithCollection(api, s, { quantity: 1, headers: customer.headers, email: "jiro@example.jp" })
      await paymentSession(api, two.collectionId, RP, two.headers, { payment_method_id: "1" })
      const completed = (await api.post(`/store/carts/${two.cart.id}/complete`, {}, { headers: two.headers })).data
      expect(completed.type).toBe("order")
      const payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 1500, three_ds: { status: "not_performed", liability: "merchant" } })
      const uid = first.data.jp.browser.uid
      expect(sim.requests().filter((r) => r.path === "/gateway/onetouch.aspx" && r.params.uid === uid)).toHaveLength(2)

      // 3. saves a second card outside checkout, then deletes it
      const tkn2 = await createToken(sim.url, AID, { cn: "4111111111111111", ed: "2911" })
      await authenticate(sim.url, AID, tkn2, { uid: first.data.jp.browser.uid })
      const saved = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: RP, data: { token: tkn2 } }, { headers: customer.headers })).data
      expect(saved.payment_method).toMatchObject({ id: "2", data: { card: { expiry: "11/29" } } })
      await api.delete(`/store/jp-payments/payment-methods/1?provider_id=${RP}`, { headers: customer.headers })
      const left = (await api.get(`/store/jp-payments/payment-methods?provider_id=${RP}`, { headers: customer.headers })).data.payment_methods
      expect(left.map((m: { id: string }) => m.id)).toEqual(["2"])

      // someone else's saved card id cannot be used: the uid comes from the logged-in customer
      const guest = await cartWithCollection(api, s, { quantity: 1 })
      const res = await api
        .post(`/store/payment-collections/${guest.collectionId}/payment-sessions`, { provider_id: RP, data: { payment_method_id: "2" } }, { headers: guest.headers })
        .catch(responseOf)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(/logged-in customer/)
    })

    it("a gateway error page on capture leaves the payment uncaptured and says what happened; the retry is refused until the merchant checked the control panel", async () => {
      const { completed } = await checkout(api, RP)
      let payment = await orderPayment(api, s, completed.order.id)
      sim.inject({ kind: "status", status: 503, path: "/gateway/gateway.aspx" })
      const res = await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin).catch(responseOf)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.data.message).toMatch(/HTTP_503/)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.captured_at).toBeNull()
      expect(payment.captures).toHaveLength(0)
      // An error page to a SALES leaves its outcome unknown, and ROBOT PAYMENT has no status query:
      // Medusa's retry (a new request, a new idempotency key) is refused, nothing is sent again.
      const sales = () => sim.requests().filter((r) => r.path === "/gateway/gateway.aspx").length
      const sent = sales()
      const retry = await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin).catch(responseOf)
      expect(retry.status).toBeGreaterThanOrEqual(400)
      expect(retry.data.message).toMatch(/check the payment in the gateway's control panel/)
      expect(sales()).toBe(sent)
      // the merchant found no sale in the control panel and clears the mark: the capture goes through
      await api.delete(`/admin/jp-payments/payments/${payment.id}/pending`, s.admin)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      expect((await orderPayment(api, s, completed.order.id)).data.jp).toMatchObject({ state: "captured", pending: null })
    })
  },
})
