// Reconciliation: payments sent without an answer settle themselves where the gateway can be asked
// (PAYGENT 094 here), through Medusa's cart completion, never with a second charge; what cannot be asked
// (ROBOT PAYMENT) is listed for the merchant until marked resolved.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { PaygentSimulator } from "../../src/simulator/paygent"
import { createPaygentToken, runAcs, type PaygentTestCard } from "../../src/simulator/paygent/shopper"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { cartWithCollection, paymentSession, responseOf, setUpStore, type Store } from "../helpers/store"
import { usePaygentSimulator } from "../helpers/paygent"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"
import { reconcileCardPayments } from "../../src/core/reconcile"
import reconcileJob from "../../src/jobs/reconcile-card-payments"

jest.setTimeout(240_000)

const PG = "pp_paygent_pg"
const RP = "pp_robot-payment_rp"
const LOST_020 = "4000000000008408" // PAYGENT authorizes, its answer to 020 is lost (2008)

const harness = usePaygentSimulator()
const rp = useRobotPaymentSimulator()
let sim: PaygentSimulator

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    beforeEach(async () => {
      sim = harness.sim
      sim.clearFaults()
      s = await setUpStore(api, getContainer(), [PG, RP])
    })

    const telegrams = (kind: string, tradingId: string) => sim.requests().filter((r) => r.kind === kind && r.params.trading_id === tradingId)
    const sessionOf = async (cartId: string, headers: Record<string, string>) =>
      (await api.get(`/store/carts/${cartId}?fields=completed_at,*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]
    const orderOf = async (cartId: string) => {
      const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["order.id"], filters: { id: cartId } })
      return (data[0] as { order?: { id: string } } | undefined)?.order?.id
    }

    /** PAYGENT with 3-D Secure; the 020 answer is lost and no notice comes: the session stays pending. */
    async function lostPaygent(card: PaygentTestCard = { card_number: LOST_020 }) {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const first = await paymentSession(api, collectionId, PG, headers)
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, first.data.jp.browser.merchant_id, first.data.jp.browser.token_generation_key, card)
      const session = await paymentSession(api, collectionId, PG, headers, { ...t })
      await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      const waiting = await sessionOf(cart.id, headers)
      const { termUrl } = await runAcs(waiting.data.jp.redirect.html, sim.certificates.caFile, { simUrl: sim.browserUrl })
      await api.get(termUrl.slice(harness.appUrl.length), { maxRedirects: 0, validateStatus: () => true })
      const done = await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(done.status).toBe(400)
      const pending = await sessionOf(cart.id, headers)
      expect([pending.status, pending.data.jp.attempt]).toEqual(["pending", "unknown"])
      return { cart, headers, id: session.id as string, code: session.data.jp.order_code as string }
    }

    it("the job is off under MEDUSA_PAYMENT_JP_RECONCILE=off (the tests' default) and settles a lost PAYGENT payment when on: 094, the order, one 020", async () => {
      const r = await lostPaygent()
      expect(process.env.MEDUSA_PAYMENT_JP_RECONCILE).toBe("off")
      await reconcileJob(getContainer())
      expect(telegrams("094", r.code)).toHaveLength(0)
      expect(await orderOf(r.cart.id)).toBeUndefined()
      process.env.MEDUSA_PAYMENT_JP_RECONCILE = "on"
      try {
        await reconcileJob(getContainer())
      } finally {
        process.env.MEDUSA_PAYMENT_JP_RECONCILE = "off"
      }
      expect(telegrams("094", r.code)).toHaveLength(1)
      expect(telegrams("020", r.code)).toHaveLength(1)
      const orderId = await orderOf(r.cart.id)
      expect(orderId).toBeDefined()
      // settled: the next run asks nothing
      const again = await reconcileCardPayments(getContainer())
      expect(again.asked).toEqual([])
      expect(telegrams("094", r.code)).toHaveLength(1)
    })

    it("backs off after a question that settles nothing, and asks at most maxPerRun sessions per run", async () => {
      const a = await lostPaygent()
      const b = await lostPaygent()
      sim.inject({ kind: "reset", telegram: "094" })
      const now = new Date()
      const first = await reconcileCardPayments(getContainer(), { now, maxPerRun: 1, backoffMs: 60_000 })
      expect(first).toEqual({ asked: [a.id], settled: [], left: [a.id] }) // the oldest first; 094 lost: nothing settled
      // a's next question waits a minute; b's turn comes first
      const second = await reconcileCardPayments(getContainer(), { now, maxPerRun: 1, backoffMs: 60_000 })
      expect(second).toEqual({ asked: [b.id], settled: [b.id], left: [] })
      expect(await reconcileCardPayments(getContainer(), { now, backoffMs: 60_000 })).toEqual({ asked: [], settled: [], left: [] })
      const later = await reconcileCardPayments(getContainer(), { now: new Date(now.getTime() + 61_000), backoffMs: 60_000 })
      expect(later).toEqual({ asked: [a.id], settled: [a.id], left: [] })
      expect(await orderOf(a.cart.id)).toBeDefined()
      expect(telegrams("094", a.code)).toHaveLength(2)
      expect(telegrams("020", a.code)).toHaveLength(1)
    })

    it("ROBOT PAYMENT cannot be asked: the payment is listed in 'card payments that need you' until marked resolved", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const first = await paymentSession(api, collectionId, RP, headers)
      const tkn = await createToken(rp.sim.url, first.data.jp.browser.aid, { cn: "4444333322221111" })
      await authenticate(rp.sim.url, AID, tkn, first.data.jp.browser.three_ds)
      const session = await paymentSession(api, collectionId, RP, headers, { token: tkn })
      rp.sim.inject({ kind: "reset", path: "/gateway/gateway_token.aspx", after: true })
      expect((await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)).status).toBe(400)
      const calls = () => rp.sim.requests().filter((r) => r.params.cod === session.data.jp.order_code).length
      const before = calls()

      expect(await reconcileCardPayments(getContainer())).toEqual({ asked: [], settled: [], left: [] })
      expect(calls()).toBe(before) // nothing sent to ROBOT PAYMENT
      const listed = (await api.get("/admin/jp-payments/attention", s.admin)).data.payments
      expect(listed).toEqual([
        expect.objectContaining({
          session_id: session.id,
          provider_id: RP,
          order_code: session.data.jp.order_code,
          amount: 1500,
          currency: "jpy",
          cart_id: cart.id,
          why: expect.stringMatching(/cannot be asked/),
          check: expect.stringContaining(session.data.jp.order_code),
        }),
      ])
      expect((await api.post(`/admin/jp-payments/attention/${session.id}/resolve`, {}, s.admin)).data).toEqual({ id: session.id, resolved: true })
      expect((await api.get("/admin/jp-payments/attention", s.admin)).data.payments).toEqual([])
      expect((await api.post(`/admin/jp-payments/attention/nope/resolve`, {}, s.admin).catch(responseOf)).status).toBe(404)
    })
  },
})
