// The plugin's admin routes (what the order and customer widgets show), on a real Medusa app with a
// real PostgreSQL and the ROBOT PAYMENT simulator.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { CardProvider } from "../../src/core/card-provider"
import { resolveCardProvider } from "../../src/core/resolve-provider"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { cartWithCollection, logInCustomer, paymentSession, setUpStore, type Store } from "../helpers/store"
import { authenticate, createToken, tokenFor } from "../../src/simulator/robot-payment/shopper"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"

jest.setTimeout(240_000)

const RP = "pp_robot-payment_rp"
const SYSTEM = "pp_system_default"
const GOOD = { cn: "4444333322221111" }

const simulator = useRobotPaymentSimulator()
let sim: RobotPaymentSimulator
beforeAll(() => {
  sim = simulator.sim
})

type HttpError = { response: { status: number; data: any } }

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store

    beforeEach(async () => {
      sim.clearFaults()
      s = await setUpStore(api, getContainer(), [RP, SYSTEM])
    })

    /**
     * A guest's cart of 3000 yen paid by card: cart → session → token + 3-D Secure → session with
     * the token → complete. Asserts nothing itself (each test checks what it needs of the result).
     */
    async function paidOrder() {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const first = await paymentSession(api, collectionId, RP, headers)
      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD)
      const session = await paymentSession(api, collectionId, RP, headers, { token: tkn })
      const completed = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      return { completed, session, tkn }
    }

    // The plugin reaches provider instances through a private field of Medusa's Payment Module
    // (src/core/resolve-provider.ts): this fails when a Medusa release changes it.
    it("reaches its provider instances inside Medusa's Payment Module", () => {
      const provider = resolveCardProvider(getContainer(), RP)
      expect(provider).toBeInstanceOf(CardProvider)
      expect(provider.definition.name).toBe("robot-payment")
      expect(resolveCardProvider(getContainer(), "robot-payment_rp")).toBe(provider)
      expect(() => resolveCardProvider(getContainer(), SYSTEM)).toThrow(/no card payment provider pp_system_default/)
    })

    it("GET /admin/jp-payments/orders/:id shows the order's card payment as the gateway holds it", async () => {
      const { completed, session, tkn } = await paidOrder()
      expect(completed.type).toBe("order")
      const orderId = completed.order.id
      const [tx] = sim.transactions().filter((t) => t.cod === session.data.jp.order_code)

      let body = (await api.get(`/admin/jp-payments/orders/${orderId}`, s.admin)).data
      expect(body.payments).toHaveLength(1)
      const p = body.payments[0]
      expect(p).toMatchObject({
        id: expect.stringMatching(/^pay_/),
        provider_id: RP,
        amount: 3000,
        currency_code: "jpy",
        captured_at: null,
        canceled_at: null,
        created_at: expect.any(String),
        captures: [],
        refunds: [],
        can_capture_amount: false, // ROBOT PAYMENT sells only the whole authorization
        last_error: null,
        gateway_name: { en: "ROBOT PAYMENT", ja: "ロボットペイメント" },
      })
      expect(p.jp).toMatchObject({
        v: 1,
        gateway: "robot-payment",
        state: "authorized",
        authorized_amount: 3000,
        amount: 3000,
        refunded_amount: 0,
        order_code: session.data.jp.order_code,
        reference: tx.gid,
        references: { gid: tx.gid },
      })
      expect(p.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize"])
      expect(JSON.stringify(body)).not.toContain(tkn) // the used token is nowhere

      // after a capture the route shows it too
      await api.post(`/admin/payments/${p.id}/capture`, {}, s.admin)
      body = (await api.get(`/admin/jp-payments/orders/${orderId}`, s.admin)).data
      expect(body.payments[0].captured_at).toEqual(expect.any(String))
      expect(body.payments[0].captures).toEqual([expect.objectContaining({ id: expect.any(String), amount: 3000 })])
      expect(body.payments[0].jp.state).toBe("captured")
    })

    it("POST /admin/jp-payments/payments/:id/capture refuses what the gateway cannot sell and changes nothing", async () => {
      const { completed, session } = await paidOrder()
      const [p] = (await api.get(`/admin/jp-payments/orders/${completed.order.id}`, s.admin)).data.payments
      const calls = () => sim.transactions().filter((t) => t.cod === session.data.jp.order_code).length
      const before = calls()

      // ROBOT PAYMENT has no smaller sale: a clear refusal, the payment still waits for capture
      const partial = await api.post(`/admin/jp-payments/payments/${p.id}/capture`, { amount: 1000 }, s.admin).catch((e: HttpError) => e.response)
      expect(partial.status).toBe(400)
      expect(partial.data.message).toMatch(/no sale of a smaller amount/)
      const bad = await api.post(`/admin/jp-payments/payments/${p.id}/capture`, { amount: -5 }, s.admin).catch((e: HttpError) => e.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/send \{ amount \}/)
      const anonymous = await api.post(`/admin/jp-payments/payments/${p.id}/capture`, { amount: 3000 }).catch((e: HttpError) => e.response)
      expect(anonymous.status).toBe(401)
      let now = (await api.get(`/admin/jp-payments/orders/${completed.order.id}`, s.admin)).data.payments[0]
      expect(now).toMatchObject({ captured_at: null, captures: [], jp: { state: "authorized", amount: 3000 } })
      expect(calls()).toBe(before)

      // the whole amount through the same route is an ordinary capture, recorded once by Medusa
      const whole = await api.post(`/admin/jp-payments/payments/${p.id}/capture`, { amount: 3000 }, s.admin)
      expect(whole.status).toBe(200)
      now = (await api.get(`/admin/jp-payments/orders/${completed.order.id}`, s.admin)).data.payments[0]
      expect(now.captured_at).toEqual(expect.any(String))
      expect(now.captures).toEqual([expect.objectContaining({ amount: 3000 })])
      expect(now.jp).toMatchObject({ state: "captured", sold_amount: 3000 })
      const again = await api.post(`/admin/jp-payments/payments/${p.id}/capture`, { amount: 3000 }, s.admin).catch((e: HttpError) => e.response)
      expect(again.status).toBe(400)
      expect(again.data.message).toMatch(/already captured/)
    })

    it("GET /admin/jp-payments/attention lists a payment whose capture lost its answer (jp.pending) until the mark goes", async () => {
      const { completed, session } = await paidOrder()
      const orderId = completed.order.id
      const code = session.data.jp.order_code
      const [p] = (await api.get(`/admin/jp-payments/orders/${orderId}`, s.admin)).data.payments
      expect((await api.get("/admin/jp-payments/attention", s.admin)).data.payments).toEqual([])

      // ROBOT PAYMENT sells, and the answer is lost: the plugin keeps the mark and cannot ask
      sim.inject({ kind: "reset", path: "/gateway/gateway.aspx", after: true })
      const lost = await api.post(`/admin/payments/${p.id}/capture`, {}, s.admin).catch((e: HttpError) => e.response)
      sim.clearFaults()
      expect(lost.status).toBeGreaterThanOrEqual(400)
      const listed = (await api.get("/admin/jp-payments/attention", s.admin)).data.payments
      expect(listed).toEqual([
        {
          kind: "operation",
          session_id: null,
          payment_id: p.id,
          order_id: orderId,
          pending: { op: "capture", amount: 3000, at: expect.any(String), confirmed: null },
          provider_id: RP,
          gateway: "robot-payment",
          gateway_name: { en: "ROBOT PAYMENT", ja: "ロボットペイメント" },
          order_code: code,
          amount: 3000,
          currency: "jpy",
          created_at: expect.any(String),
          cart_id: null,
          why: expect.stringMatching(/capture of 3000 .* answer was lost; ROBOT PAYMENT cannot be asked/),
          check: expect.stringContaining(code),
        },
      ])
      const anonymous = await api.get("/admin/jp-payments/attention").catch((e: HttpError) => e.response)
      expect(anonymous.status).toBe(401)

      // the merchant found it not done and cleared the mark on the order: no longer listed
      await api.delete(`/admin/jp-payments/payments/${p.id}/pending`, s.admin)
      expect((await api.get("/admin/jp-payments/attention", s.admin)).data.payments).toEqual([])
    })

    it("a refund whose answer was lost, confirmed done at the gateway, is recorded by Medusa's refund repeated, never sent twice", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const first = await paymentSession(api, collectionId, RP, headers)
      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD)
      await paymentSession(api, collectionId, RP, headers, { token: tkn })
      const completed = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      const orderId = completed.order.id
      const [p] = (await api.get(`/admin/jp-payments/orders/${orderId}`, s.admin)).data.payments
      await api.post(`/admin/payments/${p.id}/capture`, {}, s.admin)
      // ROBOT PAYMENT refunds the whole sale with jb=CANCEL on its gid
      const refunds = () => sim.requests().filter((r) => r.path === "/gateway/gateway.aspx" && r.params.jb === "CANCEL" && r.params.tid === p.jp.reference).length
      const payment = async () => (await api.get(`/admin/jp-payments/orders/${orderId}`, s.admin)).data.payments[0]
      const listed = async () => (await api.get("/admin/jp-payments/attention", s.admin)).data.payments.filter((a: { payment_id: string }) => a.payment_id === p.id)

      // the refund reaches the gateway (which refunds) and its answer is lost
      sim.inject({ kind: "reset", path: "/gateway/gateway.aspx", after: true })
      const lost = await api.post(`/admin/payments/${p.id}/refund`, { amount: 3000 }, s.admin).catch((e: HttpError) => e.response)
      sim.clearFaults()
      expect(lost.status).toBeGreaterThanOrEqual(400)
      expect(refunds()).toBe(1)
      expect(await payment()).toMatchObject({ refunds: [], jp: { state: "captured", pending: { op: "refund", amount: 3000, from: "captured", held: 3000 } } })
      const [mark] = await listed()
      expect(mark.pending).toEqual({ op: "refund", amount: 3000, at: expect.any(String), confirmed: null })
      // nobody can tell: the retry is refused, not sent, and says what the merchant can do
      const blind = await api.post(`/admin/payments/${p.id}/refund`, { amount: 3000 }, s.admin).catch((e: HttpError) => e.response)
      expect(blind.status).toBe(400)
      expect(blind.data.message).toMatch(/not sent again .*"done at the gateway"/)

      // the merchant's word: a clear 400 for a body that does not say it, or for a mark they did not see
      for (const bad of [{}, { done: "yes" }, { done: false }, { done: true, extra: 1 }]) {
        const res = await api.post(`/admin/jp-payments/payments/${p.id}/pending`, bad, s.admin).catch((e: HttpError) => e.response)
        expect({ bad, status: res.status, message: res.data.message }).toEqual({ bad, status: 400, message: expect.stringMatching(/send \{ "done": true \}/) })
      }
      const stale = await api.post(`/admin/jp-payments/payments/${p.id}/pending`, { done: true, at: "2020-01-01T00:00:00.000Z" }, s.admin).catch((e: HttpError) => e.response)
      expect(stale.status).toBe(400)
      expect(stale.data.message).toMatch(/not the one sent at 2020-01-01/)
      const anonymous = await api.post(`/admin/jp-payments/payments/${p.id}/pending`, { done: true }).catch((e: HttpError) => e.response)
      expect(anonymous.status).toBe(401)
      const done = (await api.post(`/admin/jp-payments/payments/${p.id}/pending`, { done: true, at: mark.pending.at }, s.admin)).data
      expect(done).toEqual({
        payment_id: p.id,
        pending: { op: "refund", amount: 3000, at: mark.pending.at, from: "captured", held: 3000, confirmed: { by: expect.stringMatching(/^user_/), at: expect.any(String) } },
        next: expect.stringMatching(/repeat the refund of 3000/),
      })
      expect((await listed())[0]).toMatchObject({ pending: { confirmed: done.pending.confirmed }, check: expect.stringMatching(/Repeat the refund of 3000/) })

      // another amount never takes the confirmation
      const other = await api.post(`/admin/payments/${p.id}/refund`, { amount: 1000 }, s.admin).catch((e: HttpError) => e.response)
      expect(other.status).toBe(400)
      expect(other.data.message).toMatch(/confirmed done at the gateway .* only the same refund of 3000 records it, not a refund of 1000/)
      expect((await payment()).refunds).toEqual([])

      // the same refund repeated in Medusa: recorded from the mark, nothing sent
      await api.post(`/admin/payments/${p.id}/refund`, { amount: 3000 }, s.admin)
      const now = await payment()
      expect(now.refunds).toEqual([expect.objectContaining({ amount: 3000 })])
      expect(now.jp).toMatchObject({ state: "refunded", amount: 0, refunded_amount: 3000, pending: null })
      expect(now.jp.history.at(-1)).toEqual({ op: "refund", reference: p.jp.reference, amount: 3000, at: expect.any(String), confirmed: done.pending.confirmed })
      expect(refunds()).toBe(1)
      expect(await listed()).toEqual([])
      const gone = await api.post(`/admin/jp-payments/payments/${p.id}/pending`, { done: true }, s.admin).catch((e: HttpError) => e.response)
      expect(gone.status).toBe(400)
      expect(gone.data.message).toMatch(/no operation waiting/)
      // and Medusa holds nothing more to refund
      const more = await api.post(`/admin/payments/${p.id}/refund`, { amount: 1 }, s.admin).catch((e: HttpError) => e.response)
      expect(more.status).toBe(400)
      expect(refunds()).toBe(1)
    })

    it("the return route answers only for a session that waits on the gateway", async () => {
      const missing = await api.get(`/jp-payments/return/MJ0000000000000000000000`).catch((e: HttpError) => e.response)
      expect(missing.status).toBe(404)
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const session = await paymentSession(api, collectionId, RP, headers)
      const notWaiting = await api.post(`/jp-payments/return/${session.data.jp.order_code}`, "a=1").catch((e: HttpError) => e.response)
      expect(notWaiting.status).toBe(409)
      const after = await paymentSession(api, collectionId, RP, headers)
      expect(after.data.jp).toMatchObject({ attempt: null, returned: null })
    })

    it("an order paid without a card payment of this plugin lists none; an unknown order is 404", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      await paymentSession(api, collectionId, SYSTEM, headers)
      const completed = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(completed.type).toBe("order")
      const body = (await api.get(`/admin/jp-payments/orders/${completed.order.id}`, s.admin)).data
      expect(body).toEqual({ payments: [] })

      const missing = await api.get(`/admin/jp-payments/orders/order_01NOTTHERE`, s.admin).catch((e: HttpError) => e.response)
      expect(missing.status).toBe(404)
      const anonymous = await api.get(`/admin/jp-payments/orders/${completed.order.id}`).catch((e: HttpError) => e.response)
      expect(anonymous.status).toBe(401)
    })

    it("GET /admin/jp-payments/customers/:id/payment-methods lists the cards the customer saved", async () => {
      const customer = await logInCustomer(api, s, "saver@example.jp")
      let listed = (await api.get(`/admin/jp-payments/customers/${customer.id}/payment-methods`, s.admin)).data
      expect(listed).toEqual({ payment_methods: [] })

      // the storefront learns the customer's gateway uid from a payment session, then saves a card
      const { collectionId, headers } = await cartWithCollection(api, s, { headers: customer.headers, email: "saver@example.jp" })
      const first = await paymentSession(api, collectionId, RP, headers)
      const uid = first.data.jp.browser.uid
      expect(uid).toMatch(/^cus/)
      const tkn = await createToken(sim.url, AID, { cn: "4111111111111111", ed: "2911" })
      await authenticate(sim.url, AID, tkn, { uid })
      const saved = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: RP, data: { token: tkn } }, { headers: customer.headers })).data
      expect(saved.payment_method.id).toBe("1")

      listed = (await api.get(`/admin/jp-payments/customers/${customer.id}/payment-methods`, s.admin)).data
      expect(listed).toEqual({
        payment_methods: [{ provider_id: RP, gateway_name: { en: "ROBOT PAYMENT", ja: "ロボットペイメント" }, id: "1", data: { card: expect.objectContaining({ masked: expect.stringMatching(/1111$/), expiry: "11/29" }) } }],
      })

      const missing = await api.get(`/admin/jp-payments/customers/cus_01NOTTHERE/payment-methods`, s.admin).catch((e: HttpError) => e.response)
      expect(missing.status).toBe(404)
    })
  },
})
