// 支払方法 (issue 15) end to end with ROBOT PAYMENT: a real Medusa app, real PostgreSQL, the simulator
// over HTTP. The provider `rpi` allows 分割 3, 6 and 12 回 and リボ (medusa-config.ts); the simulated
// store's card contract allows 分割 3 and 6 回 and リボ, not 12 — so one choice passes the plugin and is
// refused by the gateway in its own words.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { AxiosInstance } from "axios"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { tokenFor } from "../../src/simulator/robot-payment/shopper"
import { useRobotPaymentSimulator } from "../helpers/robot-payment"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, responseOf, setUpStore, type Store } from "../helpers/store"

jest.setTimeout(240_000)

const RPI = "pp_robot-payment_rpi" // AUTH, cancel-and-recharge, paymentMethods { installments: [3, 6, 12], revolving: true }
const RP = "pp_robot-payment_rp" // no paymentMethods option: 一括 only
const GOOD = { cn: "4444333322221111" }

const simulator = useRobotPaymentSimulator({ paymentMethods: { installments: [3, 6], revolving: true } })
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
      s = await setUpStore(api, getContainer(), [RPI, RP])
    })

    const payments = () => sim.requests().filter((r) => r.path === "/gateway/gateway_token.aspx" || r.path === "/gateway/onetouch.aspx")

    /** Cart → session (the choices) → token + 3-D Secure → session with the token and the choice → complete. */
    async function checkout(a: AxiosInstance, provider: string, paymentMethod: unknown, opts: { headers?: Record<string, string>; email?: string; saveCard?: boolean } = {}) {
      const { cart, collectionId, headers } = await cartWithCollection(a, s, { headers: opts.headers, email: opts.email })
      const first = await paymentSession(a, collectionId, provider, headers)
      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD, { saveCard: opts.saveCard === true })
      const session = await paymentSession(a, collectionId, provider, headers, { token: tkn, payment_method: paymentMethod, ...(opts.saveCard ? { save_card: true } : {}) })
      const res = await a.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      return { cart, first, session, completed: res.data, status: res.status as number, headers }
    }

    it("分割 3回 reaches the gateway as md=61 pt=3 and stays in the payment through capture and a full refund", async () => {
      const { session, completed } = await checkout(api, RPI, { type: "installments", count: 3 })
      expect(completed.type).toBe("order")
      expect(session.data.jp.payment_method).toEqual({ type: "installments", count: 3 })
      const code = session.data.jp.order_code
      const [req] = payments().filter((r) => r.params.cod === code)
      expect(req.params).toMatchObject({ md: "61", pt: "3" })
      expect(sim.transactions().find((t) => t.cod === code)).toMatchObject({ md: "61", pt: "3", state: "AUTH" })

      let payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp.payment_method).toEqual({ type: "installments", count: 3 })
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", payment_method: { type: "installments", count: 3 } })
      await api.post(`/admin/payments/${payment.id}/refund`, {}, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", payment_method: { type: "installments", count: 3 } })
    })

    it("リボ払い on a saved card: onetouch md=80; a partial refund recharges the rest as リボ too", async () => {
      const customer = await logInCustomer(api, s, "revo@example.jp")
      const { completed, session } = await checkout(api, RPI, { type: "revolving" }, { headers: customer.headers, email: "revo@example.jp", saveCard: true })
      expect(completed.type).toBe("order")
      const code = session.data.jp.order_code
      const charged = payments().filter((r) => r.path === "/gateway/onetouch.aspx" && r.params.cod === code)
      expect(charged).toHaveLength(1)
      expect(charged[0].params.md).toBe("80")
      expect(charged[0].params.pt).toBeUndefined()

      let payment = await orderPayment(api, s, completed.order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 2000, payment_method: { type: "revolving" } })
      const recharge = payments().filter((r) => r.path === "/gateway/onetouch.aspx" && r.params.cod === code)
      expect(recharge).toHaveLength(2)
      expect(recharge[1].params).toMatchObject({ md: "80", am: "2000" })
      expect(sim.transactions().find((t) => t.gid === payment.data.jp.reference)).toMatchObject({ md: "80", am: 2000, state: "CAPTURED" })
    })

    it("the session lists the allowed choices from its creation; any other is refused with 400 naming payment_method, before any gateway call", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s)
      const first = await paymentSession(api, collectionId, RPI, headers)
      expect(first.data.jp.payment_methods).toEqual([
        { type: "lump" },
        { type: "installments", count: 3 },
        { type: "installments", count: 6 },
        { type: "installments", count: 12 },
        { type: "revolving" },
      ])
      expect(first.data.jp.payment_method).toBeNull()
      const other = await cartWithCollection(api, s)
      expect((await paymentSession(api, other.collectionId, RP, other.headers)).data.jp.payment_methods).toEqual([{ type: "lump" }])

      const tkn = await tokenFor(sim.url, first.data.jp.browser, GOOD)
      const before = sim.requests().length
      const txBefore = sim.transactions().length
      const send = (provider: string, payment_method: unknown) =>
        api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: provider, data: { token: tkn, payment_method } }, { headers }).catch(responseOf)

      for (const [provider, choice, why] of [
        [RPI, { type: "installments", count: 5 }, /payment_method installments:5 is not allowed for this shop; allowed: lump, installments:3, installments:6, installments:12, revolving/],
        [RPI, { type: "bonus" }, /payment_method bonus is not allowed/],
        [RPI, { type: "installments" }, /payment_method count/],
        [RPI, "61", /payment_method must be an object/],
        [RP, { type: "installments", count: 3 }, /allowed: lump$/],
      ] as const) {
        const res = await send(provider, choice)
        expect([provider, res.status]).toEqual([provider, 400])
        expect(res.data.message).toMatch(why)
        expect(res.data.message).toMatch(/^robot-payment: payment_method /)
      }
      expect(sim.requests().length).toBe(before)
      expect(sim.transactions()).toHaveLength(txBefore)
    })

    it("a choice the provider allows but the card contract does not: the gateway's ER065 stays on the session, no order, nothing charged", async () => {
      const { status, completed, cart, session } = await checkout(api, RPI, { type: "installments", count: 12 })
      expect(status).toBe(400)
      expect(completed.type).toBe("not_allowed")
      const after = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers: s.store.headers })).data.cart
      const ses = after.payment_collection.payment_sessions[0]
      expect(ses.status).toBe("error")
      expect(ses.data.jp.error).toMatchObject({ code: "ER065", kind: "merchant", message_ja: "分割回数(pt)エラー" })
      expect(ses.data.jp.error.message).toMatch(/not in the shop's card contract/)
      const code = session.data.jp.order_code
      expect(payments().filter((r) => r.params.cod === code).map((r) => [r.params.md, r.params.pt])).toEqual([["61", "12"]])
      expect(sim.transactions().filter((t) => t.cod === code && t.state !== "FAILED")).toHaveLength(0)
    })
  },
})
