// Operations made of several gateway calls, end to end (a real Medusa app, real PostgreSQL, the
// simulators over HTTP with their fault injection): each step is recorded in Medusa's payment before
// the next one, a failure half-way leaves the truth recorded, and a retry resumes from the recorded
// step. Also the 3-D Secure outcome a re-authorization or a one-touch charge really has, and the risk
// data PAYGENT's 450 takes from the cart.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { AxiosInstance } from "axios"
import type { PaygentSimulator } from "../../src/simulator/paygent"
import type { SbpsSimulator } from "../../src/simulator/sbps"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { createPaygentToken, runAcs, type PaygentTestCard } from "../../src/simulator/paygent/shopper"
import { tokenFor } from "../../src/simulator/robot-payment/shopper"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, setUpStore, type Store, responseOf } from "../helpers/store"
import { usePaygentSimulator } from "../helpers/paygent"
import { sbpsTokens, useSbpsSimulator } from "../helpers/sbps"
import { useRobotPaymentSimulator } from "../helpers/robot-payment"

jest.setTimeout(300_000)

const PG = "pp_paygent_pg" // auth only
const SBPSN = "pp_sbps_sbpsn" // no 3-D Secure, sold at once (commit then 売上)
const RPC = "pp_robot-payment_rpc" // CAPTURE, partial refund by cancel-and-recharge

const paygent = usePaygentSimulator()
const sbps = useSbpsSimulator()
const rp = useRobotPaymentSimulator()
let pg: PaygentSimulator
let sb: SbpsSimulator
let rps: RobotPaymentSimulator

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store

    beforeAll(() => {
      pg = paygent.sim
      sb = sbps.sim
      rps = rp.sim
    })
    beforeEach(async () => {
      pg.clearFaults()
      sb.clearFaults()
      rps.clearFaults()
      s = await setUpStore(api, getContainer(), [PG, SBPSN, RPC])
    })

    const sessionOf = async (a: AxiosInstance, cartId: string, headers: Record<string, string>) =>
      (await a.get(`/store/carts/${cartId}?fields=completed_at,*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]

    /** A PAYGENT order through 450 → ACS → term_url → 020, authorized only. */
    async function paygentOrder(card: PaygentTestCard = { card_number: "5120790000000000" }, opts: { billing?: Record<string, string>; data?: Record<string, unknown> } = {}) {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      if (opts.billing) await api.post(`/store/carts/${cart.id}`, { billing_address: opts.billing }, { headers })
      const first = await paymentSession(api, collectionId, PG, headers)
      const b = first.data.jp.browser
      const t = await createPaygentToken(pg.browserUrl, pg.certificates.caFile, b.merchant_id, b.token_generation_key, card)
      await paymentSession(api, collectionId, PG, headers, { ...t, ...(opts.data ?? {}) })
      await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      const waiting = await sessionOf(api, cart.id, headers)
      const { termUrl } = await runAcs(waiting.data.jp.redirect.html, pg.certificates.caFile, { simUrl: pg.browserUrl })
      await api.get(termUrl.slice(paygent.appUrl.length), { maxRedirects: 0, validateStatus: () => true })
      const done = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(done.type).toBe("order")
      return done.order.id as string
    }

    it("PAYGENT smaller capture: 022 fails after 028 — the new payment_id is recorded, the retry sends only 022 on it; the outcome is no longer the 3-D Secure one", async () => {
      const orderId = await paygentOrder()
      let payment = await orderPayment(api, s, orderId)
      const first = payment.data.jp.reference
      expect(payment.data.jp.three_ds).toMatchObject({ liability: "issuer" })

      pg.inject({ kind: "status", status: 503, telegram: "022" })
      const failed = await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin).catch(responseOf)
      expect(failed.status).toBeGreaterThanOrEqual(400)
      payment = await orderPayment(api, s, orderId)
      // the 028 happened: the old payment is cancelled, the new one is what the payment points at
      expect(pg.payments().find((p) => p.paymentId === first)?.status).toBe("32")
      const second = payment.data.jp.reference
      expect(second).not.toBe(first)
      expect(pg.payments().find((p) => p.paymentId === second)).toMatchObject({ status: "20", amount: 2000 })
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 2000, resume: { op: "capture", amount: 2000 } })
      expect(payment.captures).toHaveLength(0)

      // another amount now is refused: the recorded 028 made 2000 the amount held
      const other = await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2500 }, s.admin).catch(responseOf)
      expect(other.status).toBeGreaterThanOrEqual(400)

      const before028 = pg.requests().filter((r) => r.kind === "028").length
      await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)
      expect(pg.requests().filter((r) => r.kind === "028").length).toBe(before028)
      payment = await orderPayment(api, s, orderId)
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 2000, sold_amount: 2000, reference: second, resume: null })
      expect(pg.payments().find((p) => p.paymentId === second)).toMatchObject({ status: "40", amount: 2000 })
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "recharge", "capture"])
      // pt 7: 028 re-authorized without 3-D Secure; the chargeback is the merchant's
      expect(payment.data.jp.three_ds).toMatchObject({ status: "not_performed", liability: "merchant" })
    })

    const last450 = () => pg.requests().filter((r) => r.kind === "450").at(-1)!.params as Record<string, string | undefined>
    const TOKYO = { address_1: "千代田1-1", city: "千代田区", province: "東京都", postal_code: "100-0001", country_code: "jp" }

    it("PAYGENT 450 risk data: the cart's billing address as bill_address_*, a landline in home_phone_*, no cardholder_name from a Japanese name", async () => {
      // (a storefront's own billing_address in the session data is refused: reliability/storefront-input.spec.ts)
      await paygentOrder(undefined, { billing: { ...TOKYO, first_name: "太郎", last_name: "山田", phone: "03-1234-5678" } })
      const p = last450()
      expect(p).toMatchObject({
        home_phone_cc: "81",
        home_phone_subscriber: "312345678",
        bill_address_city: "千代田区",
        bill_address_line1: "千代田1-1",
        bill_address_post_code: "100-0001",
        bill_address_state: "13",
        bill_address_country: "392",
      })
      expect(p.mobile_phone_cc).toBeUndefined()
      expect(p.mobile_phone_subscriber).toBeUndefined()
      expect(p.cardholder_name).toBeUndefined()
    })

    it("PAYGENT 450 risk data: a Latin billing name becomes cardholder_name (the token carries none), a mobile number goes in mobile_phone_*", async () => {
      await paygentOrder(undefined, { billing: { ...TOKYO, first_name: "Taro", last_name: "Yamada", phone: "090-1234-5678" } })
      const p = last450()
      expect(p).toMatchObject({ cardholder_name: "TARO YAMADA", mobile_phone_cc: "81", mobile_phone_subscriber: "9012345678" })
      expect(p.home_phone_cc).toBeUndefined()
    })

    /** The order as Medusa's admin API shows it (what its order page reads). */
    async function adminOrder(orderId: string) {
      const fields = "id,total,payment_status,summary,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds"
      return (await api.get(`/admin/orders/${orderId}?fields=${encodeURIComponent(fields)}`, s.admin)).data.order
    }

    it("after a smaller capture Medusa's order, payment and summary agree with the gateway; after a partial refund the status is partially refunded", async () => {
      const orderId = await paygentOrder()
      let payment = await orderPayment(api, s, orderId)
      await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)

      let order = await adminOrder(orderId)
      const pc = order.payment_collections[0]
      expect(order.payment_status).toBe("captured")
      expect(pc.status).toBe("completed")
      expect(Number(pc.amount)).toBe(2000)
      expect(Number(pc.captured_amount)).toBe(2000)
      const p = pc.payments[0]
      expect(Number(p.amount)).toBe(2000)
      expect(p.captured_at).toBeTruthy() // nothing left "to capture": Medusa offers no Capture
      expect(Number(order.total)).toBe(2000)
      expect(Number(order.summary.paid_total)).toBe(2000)
      expect(Number(order.summary.pending_difference)).toBe(0)

      // Medusa's own capture has nothing to do now
      const again = await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin).catch(responseOf)
      payment = await orderPayment(api, s, orderId)
      expect(payment.captures).toHaveLength(1)
      expect(again.status === 200 || again.status >= 400).toBe(true)

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, s.admin)
      order = await adminOrder(orderId)
      expect(order.payment_status).toBe("partially_refunded")
      expect(Number(order.payment_collections[0].refunded_amount)).toBe(1000)
      expect(Number(order.summary.pending_difference)).toBe(0)
      expect(Number(order.summary.refunded_total)).toBe(1000)
      payment = await orderPayment(api, s, orderId)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 1000, refunded_amount: 1000 })
    })

    it("PAYGENT partial refund (029) re-authorizes without 3-D Secure: the outcome says merchant liability", async () => {
      const orderId = await paygentOrder()
      let payment = await orderPayment(api, s, orderId)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin)
      payment = await orderPayment(api, s, orderId)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", three_ds: { status: "not_performed", liability: "merchant" } })
    })

    it("SBPS sold at once: 売上 fails after the commit — the 与信 is recorded on the session, the next completion sells it without a second 与信", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const first = await paymentSession(api, collectionId, SBPSN, headers)
      const tokens = await sbpsTokens(sb.url, first.data.jp.browser, "3530111333300000")
      const session = await paymentSession(api, collectionId, SBPSN, headers, tokens)
      sb.inject({ kind: "status", status: 503, id: "ST02-00201-101" })
      const res = await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      expect(res.data.type).not.toBe("order")
      const tx = sb.transactions().find((t) => t.orderId === session.data.jp.order_code)!
      expect(tx).toMatchObject({ commitStatus: "1", paymentStatus: "1" })
      const after = await sessionOf(api, cart.id, headers)
      expect(after.data.jp.recorded).toMatchObject({ reference: tx.trackingId, state: "authorized", amount: 3000 })

      const seen = sb.requests().length
      const done = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(done.type).toBe("order")
      expect(sb.requests().slice(seen).map((r) => r.id)).toEqual(["ST02-00201-101"])
      expect(sb.transactions().filter((t) => t.orderId === session.data.jp.order_code)).toHaveLength(1)
      expect(sb.transactions().find((t) => t.trackingId === tx.trackingId)).toMatchObject({ paymentStatus: "2", salesAmount: 3000 })
      const payment = await orderPayment(api, s, done.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", reference: tx.trackingId, amount: 3000 })
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "capture"])
    })

    it("ROBOT PAYMENT cancel-and-recharge: the cancel fails after the recharge — the new gid is recorded, the retry only cancels; the one-touch charge after registering is the merchant's liability", async () => {
      const customer = await logInCustomer(api, s, "saburo@example.jp")
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2, headers: customer.headers, email: "saburo@example.jp" })
      const first = await paymentSession(api, collectionId, RPC, headers)
      const tkn = await tokenFor(rps.url, first.data.jp.browser, { cn: "4444333322221111" }, { saveCard: true })
      await paymentSession(api, collectionId, RPC, headers, { token: tkn, save_card: true })
      const completed = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(completed.type).toBe("order")
      let payment = await orderPayment(api, s, completed.order.id)
      // pt 7: 3-D Secure authenticated the card's registration, not this one-touch charge
      expect(payment.data.jp.three_ds).toMatchObject({ status: "not_performed", liability: "merchant" })
      const original = payment.data.jp.reference

      rps.inject({ kind: "status", status: 503, path: "/gateway/gateway.aspx" })
      const failed = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, s.admin).catch(responseOf)
      expect(failed.status).toBeGreaterThanOrEqual(400)
      payment = await orderPayment(api, s, completed.order.id)
      const recharged = payment.data.jp.reference
      expect(recharged).not.toBe(original)
      expect(rps.transactions().find((t) => t.gid === recharged)).toMatchObject({ state: "CAPTURED", am: 2000 })
      expect(rps.transactions().find((t) => t.gid === original)?.state).toBe("CAPTURED")
      expect(payment.data.jp).toMatchObject({ amount: 2000, resume: { op: "refund", amount: 1000, values: { cancel: original } } })
      expect(payment.refunds).toHaveLength(0)

      const charges = rps.transactions().length
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, s.admin)
      expect(rps.transactions().length).toBe(charges) // no second recharge
      payment = await orderPayment(api, s, completed.order.id)
      expect(rps.transactions().find((t) => t.gid === original)?.state).toBe("CANCELED")
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", reference: recharged, amount: 2000, refunded_amount: 1000, resume: null })
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "recharge", "refund"])
    })
  },
})
