// PAYGENT end to end: a real Medusa app on a real PostgreSQL, the PAYGENT simulator over mutual TLS,
// PaygentToken.js and the ACS page driven over HTTPS as a browser would, and the storefront's and
// admin's own HTTP calls.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import { readFileSync } from "node:fs"
import { request } from "undici"
import { Agent } from "undici"
import type { PaygentSimulator } from "../../src/simulator/paygent"
import { fromOrderCode } from "../../src/core/order-code"
import { resolveCardProvider } from "../../src/core/resolve-provider"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, setUpStore, type Store, waitFor, responseOf } from "../helpers/store"
import { createPaygentToken, runAcs, type PaygentTestCard } from "../../src/simulator/paygent/shopper"
import { PAYGENT_MERCHANT as M, usePaygentSimulator } from "../helpers/paygent"

jest.setTimeout(240_000)

const PG = "pp_paygent_pg" // auth only; attempts with merchant liability refused; no fallback without 3-D Secure
const PGC = "pp_paygent_pgc" // auth_capture; attempts accepted; 31012 falls back to 3dsecure_ryaku=1
const PGBAD = "pp_paygent_pgbad" // a client certificate PAYGENT does not know
const PGI = "pp_paygent_pgi" // paymentMethods { installments: [3, 6, 10], bonus, revolving }; the simulated contract: 3, 6, bonus
const VISA = "4000000000000002"

const harness = usePaygentSimulator()
let sim: PaygentSimulator

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store

    beforeAll(() => {
      sim = harness.sim
    })
    beforeEach(async () => {
      sim.clearFaults()
      s = await setUpStore(api, getContainer(), [PG, PGC, PGBAD, PGI])
    })

    const sessionOf = async (a: AxiosInstance, cartId: string, headers: Record<string, string>) =>
      (await a.get(`/store/carts/${cartId}?fields=completed_at,*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]

    /**
     * Cart → session → PaygentToken.createToken → session with the token (450 starts 3-D Secure) →
     * complete before the ACS, as a storefront of the two-completion flow does (refused, no order).
     */
    async function start(
      a: AxiosInstance,
      provider: string,
      card: PaygentTestCard,
      opts: { quantity?: number; headers?: Record<string, string>; email?: string; data?: Record<string, unknown>; paymentMethod?: unknown } = {}
    ) {
      const { cart, collectionId, headers } = await cartWithCollection(a, s, { quantity: opts.quantity, headers: opts.headers, email: opts.email })
      let session = await paymentSession(a, collectionId, provider, headers)
      let data = opts.data
      if (!data) {
        const b = session.data.jp.browser
        const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, b.merchant_id, b.token_generation_key, card)
        data = { ...t, ...(opts.paymentMethod !== undefined ? { payment_method: opts.paymentMethod } : {}) }
      }
      session = await paymentSession(a, collectionId, provider, headers, data)
      const res = await a.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      return { cart, collectionId, headers, session, completed: res.data, status: res.status as number }
    }

    /** The browser shows out_acs_html, goes through the ACS and comes back to our term_url (the return route). */
    async function threeDS(a: AxiosInstance, cartId: string, headers: Record<string, string>, password?: string) {
      const waiting = await sessionOf(a, cartId, headers)
      expect(waiting.data.jp.attempt).toBe("redirect")
      const { termUrl, challenged } = await runAcs(waiting.data.jp.redirect.html, sim.certificates.caFile, { simUrl: sim.browserUrl, password })
      expect(termUrl.startsWith(`${harness.appUrl}/jp-payments/return/${waiting.data.jp.order_code}?`)).toBe(true)
      const back = await a.get(termUrl.slice(harness.appUrl.length), { maxRedirects: 0, validateStatus: () => true })
      return { back, termUrl, challenged, waiting }
    }

    async function checkout(a: AxiosInstance, provider: string, card: PaygentTestCard, opts: { quantity?: number; password?: string; paymentMethod?: unknown } = {}) {
      const started = await start(a, provider, card, opts)
      await expectRequiresMore(a, started)
      const tds = await threeDS(a, started.cart.id, started.headers, opts.password)
      const res = await a.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      return { ...started, ...tds, completed: res.data, status: res.status as number }
    }

    /** A completion before the shopper is back is refused before any order; the session says what the browser must do. */
    async function expectRequiresMore(a: AxiosInstance, r: { status: number; completed: any; cart: { id: string }; headers: Record<string, string> }) {
      expect(r.status).toBe(200)
      expect(r.completed.type).toBe("cart")
      expect(r.completed.error.message).toMatch(/REDIRECT_PENDING/)
      const ses = await sessionOf(a, r.cart.id, r.headers)
      expect(ses.status).toBe("requires_more")
      expect(ses.data.jp.redirect.html).toMatch(/<form name="submitForm"/)
    }

    const telegrams = (kind: string, tradingId: string) => sim.requests().filter((r) => r.kind === kind && r.params.trading_id === tradingId)

    it("lists the providers and hands the browser only public values", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const session = await paymentSession(api, collectionId, PG, headers)
      const jp = session.data.jp
      expect(jp.browser).toEqual({
        gateway: "paygent",
        merchant_id: M.merchantId,
        token_generation_key: M.tokenGenerationKey,
        scripts: [`${sim.browserUrl}/js/PaygentToken.js`],
        amount: 3000,
        three_d_secure: true,
      })
      expect(fromOrderCode(jp.order_code)).toBe(session.id)
      const text = JSON.stringify(session.data)
      for (const secret of [M.connectPassword, M.threeDSResultHashKey!, M.noticeHashKey!, M.tokenReceiptHashKey, "paygent-simulator-test"]) expect(text).not.toContain(secret)
    })

    it("checkout with a 3-D Secure challenge: 450 → ACS → term_url (hc verified) → 020 → order; capture 022; partial refund 029 with a new payment_id", async () => {
      const r = await checkout(api, PG, { card_number: VISA, name: "BAVCA" }, { quantity: 2, password: "14012" })
      expect(r.challenged).toBe(true)
      expect(r.back.status).toBe(303)
      expect(r.back.headers.location).toBe(`http://localhost:8000/?payment_session_id=${r.waiting.id}&jp_result=ok`)
      expect(r.completed.type).toBe("order")
      const code = r.session.data.jp.order_code
      const [auth] = telegrams("450", code)
      expect(auth.params).toMatchObject({ card_set_method: "token", payment_amount: "3000", term_url: `${harness.appUrl}/jp-payments/return/${code}`, authentication_type: "01" })
      const [pay] = telegrams("020", code)
      expect(pay.params).toMatchObject({ "3dsecure_use_type": "2", "3ds_auth_id": r.waiting.data.jp.redirect_state["3ds_auth_id"], card_token: auth.params.card_token, sales_mode: "0", payment_amount: "3000" })

      let payment = await orderPayment(api, s, r.completed.order.id)
      const first = payment.data.jp.reference
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, three_ds: { liability: "issuer" }, card: { masked: "************0002" } })
      expect(payment.data.token ?? null).toBeNull()
      expect(JSON.stringify(payment.data)).not.toContain(auth.params.card_token)

      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp.state).toBe("captured")
      expect(sim.payments().find((p) => p.paymentId === first)?.status).toBe("40")

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 2500, refunded_amount: 500 })
      const second = payment.data.jp.reference
      expect(second).not.toBe(first)
      expect(sim.payments().find((p) => p.paymentId === first)?.status).toBe("60")
      expect(sim.payments().find((p) => p.paymentId === second)).toMatchObject({ status: "40", amount: 2500, basePaymentId: first })

      // the rest, refunded in full on the new payment_id
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 2500 }, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", amount: 0 })
      expect(sim.payments().find((p) => p.paymentId === second)?.status).toBe("60")
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "capture", "refund", "recharge", "refund"])
    })

    it("frictionless success; a smaller capture through 028 then 022 on the new payment_id", async () => {
      const r = await checkout(api, PG, { card_number: "5120790000000000" }, { quantity: 2 })
      expect(r.challenged).toBe(false)
      expect(r.completed.type).toBe("order")
      let payment = await orderPayment(api, s, r.completed.order.id)
      const first = payment.data.jp.reference
      await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.captures).toEqual([expect.objectContaining({ amount: 2000 })])
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 2000, sold_amount: 2000 })
      expect(payment.data.jp.reference).not.toBe(first)
      expect(sim.payments().find((p) => p.paymentId === first)?.status).toBe("32")
      expect(sim.payments().find((p) => p.paymentId === payment.data.jp.reference)).toMatchObject({ status: "40", amount: 2000 })
    })

    it("支払区分: the session lists pgi's choices; 分割 3回 goes as payment_class=61 split_count=3 and stays through a smaller capture (028) and refunds (029)", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s)
      expect((await paymentSession(api, collectionId, PGI, headers)).data.jp.payment_methods).toEqual([
        { type: "lump" },
        { type: "installments", count: 3 },
        { type: "installments", count: 6 },
        { type: "installments", count: 10 },
        { type: "bonus" },
        { type: "revolving" },
      ])
      const three = { type: "installments", count: 3 }
      const r = await checkout(api, PGI, { card_number: "5120790000000000" }, { quantity: 2, paymentMethod: three })
      expect(r.completed.type).toBe("order")
      const code = r.session.data.jp.order_code
      expect(telegrams("020", code).map((t) => [t.params.payment_class, t.params.split_count])).toEqual([["61", "3"]])
      // 450 starts 3-D Secure only: the class goes with the 020
      expect(telegrams("450", code)[0].params.payment_class).toBeUndefined()
      let payment = await orderPayment(api, s, r.completed.order.id)
      const first = payment.data.jp.reference
      expect(payment.data.jp).toMatchObject({ state: "authorized", payment_method: three })
      expect(sim.payments().find((p) => p.paymentId === first)).toMatchObject({ paymentClass: "61", splitCount: "3" })

      await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 2000, payment_method: three })
      expect(sim.payments().find((p) => p.paymentId === payment.data.jp.reference)).toMatchObject({ status: "40", amount: 2000, paymentClass: "61", splitCount: "3" })

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 1500, payment_method: three })
      const after = sim.payments().find((p) => p.paymentId === payment.data.jp.reference)!
      expect(after).toMatchObject({ status: "40", amount: 1500, paymentClass: "61", splitCount: "3" })
      // 094 tells the same as the payment data
      const provider = resolveCardProvider(getContainer(), "paygent_pgi")
      const retrieved = await provider.retrievePayment({ data: payment.data })
      expect((retrieved.data as any).jp).toMatchObject({ payment_method: three })

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1500 }, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", amount: 0, payment_method: three })
    })

    it("ボーナス1回 goes as payment_class=23 without split_count, captured at once by 022", async () => {
      const r = await checkout(api, PGI, { card_number: "5120790000000000" }, { paymentMethod: { type: "bonus" } })
      expect(r.completed.type).toBe("order")
      const [pay] = telegrams("020", r.session.data.jp.order_code)
      expect(pay.params.payment_class).toBe("23")
      expect(pay.params.split_count).toBeUndefined()
      let payment = await orderPayment(api, s, r.completed.order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", payment_method: { type: "bonus" } })
      expect(sim.payments().find((p) => p.paymentId === payment.data.jp.reference)).toMatchObject({ status: "40", paymentClass: "23", splitCount: "" })
    })

    it("refused choices: one the provider does not allow is a 400 before any telegram; one pgi allows but the contract does not (10回, リボ) is PAYGENT's P030 after 3-D Secure, no order", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s)
      const b = (await paymentSession(api, collectionId, PGI, headers)).data.jp.browser
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: VISA })
      const before = sim.requests().length
      for (const [provider, choice, why] of [
        [PGI, { type: "installments", count: 5 }, /payment_method installments:5 is not allowed for this shop; allowed: lump, installments:3, installments:6, installments:10, bonus, revolving/],
        [PGI, { type: "bonus", count: 2 }, /payment_method count is for installments only/],
        [PG, { type: "installments", count: 3 }, /allowed: lump$/],
      ] as const) {
        const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: provider, data: { ...t, payment_method: choice } }, { headers }).catch(responseOf)
        expect([provider, res.status]).toEqual([provider, 400])
        expect(res.data.message).toMatch(why)
      }
      expect(sim.requests().length).toBe(before)

      for (const choice of [{ type: "installments", count: 10 }, { type: "revolving" }]) {
        const r = await checkout(api, PGI, { card_number: "5120790000000000" }, { paymentMethod: choice })
        expect(r.status).toBe(400)
        expect(r.completed.type).not.toBe("order")
        const ses = await sessionOf(api, r.cart.id, r.headers)
        expect(ses.status).toBe("error")
        expect(ses.data.jp.error).toMatchObject({ code: "P030", kind: "merchant", message_ja: expect.stringContaining("支払区分・分割回数") })
        expect(ses.data.jp.error.message).toMatch(/card contract/)
        const code = r.session.data.jp.order_code
        const sent = telegrams("020", code)
        expect(sent.map((t) => t.params.payment_class)).toEqual([choice.type === "revolving" ? "80" : "61"])
        expect(sim.payments().filter((p) => p.tradingId === code)).toHaveLength(0)
      }
    })

    it("an attempt with merchant liability (attempt_kbn=1): refused by default, accepted with acceptMerchantLiability", async () => {
      const refused = await checkout(api, PG, { card_number: VISA, name: "BAVUA" }, { quantity: 1 })
      expect(refused.back.headers.location).toMatch(/jp_result=failed/)
      // refused before any order is made; the reason is the recorded return's
      expect(refused.completed.type).toBe("cart")
      expect(refused.completed.error.message).toMatch(/ATTEMPT_REFUSED/)
      const ses = await sessionOf(api, refused.cart.id, refused.headers)
      expect(ses.data.jp.returned.error).toMatchObject({ code: "ATTEMPT_REFUSED" })
      // the refusal changed nothing: the session still holds the failed return, never usable again
      expect(ses.data.jp).toMatchObject({ attempt: "redirect", returned: { outcome: "failed" } })
      expect(telegrams("020", refused.session.data.jp.order_code)).toHaveLength(0)

      const accepted = await checkout(api, PGC, { card_number: VISA, name: "BAVUA" }, { quantity: 1 })
      expect(accepted.completed.type).toBe("order")
      const payment = await orderPayment(api, s, accepted.completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", three_ds: { status: "attempt", liability: "merchant" } })
      expect(telegrams("020", accepted.session.data.jp.order_code)[0].params.sales_mode).toBe("1")
    })

    it("a failed authentication (31007): no authorization is sent, the reason stays on the session", async () => {
      const r = await checkout(api, PG, { card_number: VISA, name: "BAVNA" }, { quantity: 1 })
      expect(r.back.headers.location).toMatch(/jp_result=failed/)
      expect(r.completed.type).toBe("cart")
      expect(r.completed.error.message).toMatch(/31007/)
      const ses = await sessionOf(api, r.cart.id, r.headers)
      expect(ses.data.jp.returned.error).toMatchObject({ code: "31007", messageJa: "3Dセキュア認証失敗" })
      expect(ses.data.jp.returned).toMatchObject({ outcome: "failed", threeDS: { status: "failed" } })
      expect(telegrams("020", r.session.data.jp.order_code)).toHaveLength(0)
    })

    /** A checkout whose 020 answers 2003 (wrong security code): no order, the payment kept in 申込済 for a retry. */
    async function failWith2003() {
      const r = await checkout(api, PG, { card_number: "4000000000008344" }, { quantity: 1 })
      expect(r.status).toBe(400) // no order
      const code = r.session.data.jp.order_code
      const failed = await sessionOf(api, r.cart.id, r.headers)
      expect(failed.data.jp.error).toMatchObject({ code: "2003", kind: "declined" })
      const kept = sim.payments().filter((p) => p.tradingId === code)
      expect(kept).toEqual([expect.objectContaining({ status: "10" })])
      expect(failed.data.jp.retry).toEqual({ payment_id: kept[0].paymentId, trading_id: code, count: "0" })
      return { r, code, kept, failed }
    }

    it("a card-input error (2003) is retried by its payment_id: the corrected card in a new session makes ONE payment at PAYGENT and one order", async () => {
      const { r, code, kept, failed } = await failWith2003()

      // The shopper corrects the card: a new session (new token, new 3-D Secure). A retry_of of the storefront's own is refused.
      const forged = await api
        .post(`/store/payment-collections/${r.collectionId}/payment-sessions`, { provider_id: PG, data: { retry_of: { payment_id: "1", trading_id: "X", count: "0" } } }, { headers: r.headers })
        .catch(responseOf)
      expect(forged.status).toBe(400)
      expect(forged.data.message).toMatch(/^data\.retry_of /)
      await paymentSession(api, r.collectionId, PG, r.headers)
      const empty = await sessionOf(api, r.cart.id, r.headers)
      expect(empty.data.jp.retry_of).toEqual(failed.data.jp.retry)
      const b = empty.data.jp.browser
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: VISA })
      const second = await paymentSession(api, r.collectionId, PG, r.headers, { ...t })
      expect(second.data.jp.order_code).not.toBe(code)
      const tds = await threeDS(api, r.cart.id, r.headers)
      expect(tds.back.headers.location).toMatch(/jp_result=ok/)
      const done = await api.post(`/store/carts/${r.cart.id}/complete`, {}, { headers: r.headers }).catch(responseOf)
      expect(done.data.type).toBe("order")

      // 450 and 020 of the retry name the kept payment: one payment at PAYGENT, authorized.
      expect(telegrams("450", code)).toHaveLength(2)
      const pays = telegrams("020", code)
      expect(pays.map((x) => x.params.payment_id ?? "")).toEqual(["", kept[0].paymentId])
      expect(telegrams("020", second.data.jp.order_code)).toHaveLength(0)
      expect(sim.payments().filter((p) => p.tradingId === code || p.tradingId === second.data.jp.order_code)).toEqual([expect.objectContaining({ paymentId: kept[0].paymentId, status: "20" })])
      const payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", reference: kept[0].paymentId, amount: 1500 })
      const { data: carts } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["order.id"], filters: { id: r.cart.id } })
      expect((carts[0] as { order?: { id: string } }).order?.id).toBe(done.data.order.id)
    })

    it("a retried payment whose 020 times out (2008) is found by its kept trading_id: the notification completes the retrying session's order", async () => {
      sim.setNoticeUrl(M.merchantId, `${harness.appUrl}/jp-payments/paygent_pg/notify`)
      try {
        const { r, code, kept } = await failWith2003()
        const b = r.session.data.jp.browser
        const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: "4000000000008408" })
        const second = await paymentSession(api, r.collectionId, PG, r.headers, { ...t })
        expect(second.data.jp.retry_of).toMatchObject({ payment_id: kept[0].paymentId })
        await threeDS(api, r.cart.id, r.headers)
        const res = await api.post(`/store/carts/${r.cart.id}/complete`, {}, { headers: r.headers }).catch(responseOf)
        expect(res.status).toBe(400) // 2008: outcome unknown, no order yet and no second 020
        const orderId = await waitFor(async () => {
          // completed_at, not the order link: Medusa links the order before it authorizes
          const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["completed_at", "order.id"], filters: { id: r.cart.id } })
          const c = data[0] as { completed_at?: string | null; order?: { id: string } } | undefined
          return c?.completed_at ? c.order?.id : undefined
        })
        await sim.settle()
        const notices = sim.notices().filter((n) => n.fields.trading_id === code && n.fields.payment_status === "20")
        expect(notices).toHaveLength(1)
        const payment = await orderPayment(api, s, orderId)
        expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 1500, reference: kept[0].paymentId })
        expect(telegrams("020", code).map((x) => x.params.payment_id ?? "")).toEqual(["", kept[0].paymentId])
        expect(sim.payments().filter((p) => p.tradingId === code || p.tradingId === second.data.jp.order_code)).toHaveLength(1)
      } finally {
        sim.setNoticeUrl(M.merchantId, undefined)
      }
    })

    it("a forged term_url call (bad hc, or another 3ds_auth_id) is refused and changes nothing", async () => {
      const started = await start(api, PG, { card_number: VISA }, { quantity: 1 })
      const waiting = await sessionOf(api, started.cart.id, started.headers)
      const code = waiting.data.jp.order_code
      const authId = waiting.data.jp.redirect_state["3ds_auth_id"]
      const forged = await api.get(`/jp-payments/return/${code}?result=0&3ds_auth_id=${authId}&hc=${"0".repeat(64)}`, { maxRedirects: 0, validateStatus: () => true })
      expect(forged.status).toBe(400)
      // a hash made right, but for another authentication
      const { createHash } = await import("node:crypto")
      const other = "11111111-1111-1111-1111-111111111111"
      const hc = createHash("sha256").update(`0${other}${M.threeDSResultHashKey}`).digest("hex")
      const wrongId = await api.get(`/jp-payments/return/${code}?result=0&3ds_auth_id=${other}&hc=${hc}`, { maxRedirects: 0, validateStatus: () => true })
      expect(wrongId.status).toBe(400)
      const after = await sessionOf(api, started.cart.id, started.headers)
      expect(after.data.jp).toMatchObject({ attempt: "redirect", returned: null, error: null })
      // completing now only asks for the redirect again: nothing is sent to PAYGENT
      const again = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      await expectRequiresMore(api, { ...again, completed: again.data, cart: started.cart, headers: started.headers })
      expect(telegrams("020", code)).toHaveLength(0)
    })

    it("cancels an uncaptured order with 021", async () => {
      const r = await checkout(api, PG, { card_number: VISA }, { quantity: 1 })
      await api.post(`/admin/orders/${r.completed.order.id}/cancel`, {}, s.admin)
      const payment = await orderPayment(api, s, r.completed.order.id)
      expect(payment.canceled_at).toBeTruthy()
      expect(payment.data.jp.state).toBe("canceled")
      expect(sim.payments().find((p) => p.paymentId === payment.data.jp.reference)?.status).toBe("32")
    })

    it("a saved card (025) is paid again with 3-D Secure: 450 card_set_method=customer, 020 stock_card_mode=1", async () => {
      const customer = await logInCustomer(api, s, "hanako@example.jp")
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number: "3540111111111111", expire_month: "11", expire_year: "29" })
      const saved = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: PG, data: { token: t.token } }, { headers: customer.headers })).data.payment_method
      expect(saved).toMatchObject({ id: expect.stringMatching(/^\d{18}$/), data: { card: { masked: "************1111", expiry: "11/29" } } })
      const listed = (await api.get(`/store/jp-payments/payment-methods?provider_id=${PG}`, { headers: customer.headers })).data.payment_methods
      expect(listed.map((m: { id: string }) => m.id)).toEqual([saved.id])

      const r = await start(api, PG, { card_number: "" }, { quantity: 1, headers: customer.headers, email: "hanako@example.jp", data: { payment_method_id: saved.id } })
      await expectRequiresMore(api, r)
      const tds = await threeDS(api, r.cart.id, r.headers)
      expect(tds.back.status).toBe(303)
      const done = (await api.post(`/store/carts/${r.cart.id}/complete`, {}, { headers: r.headers })).data
      expect(done.type).toBe("order")
      const code = r.session.data.jp.order_code
      expect(telegrams("450", code)[0].params).toMatchObject({ card_set_method: "customer", customer_card_id: saved.id })
      expect(telegrams("020", code)[0].params).toMatchObject({ stock_card_mode: "1", customer_card_id: saved.id, "3dsecure_use_type": "2" })
      const payment = await orderPayment(api, s, done.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", saved_card: { cardRef: saved.id } })

      await api.delete(`/store/jp-payments/payment-methods/${saved.id}?provider_id=${PG}`, { headers: customer.headers })
      expect((await api.get(`/store/jp-payments/payment-methods?provider_id=${PG}`, { headers: customer.headers })).data.payment_methods).toEqual([])
    })

    it("a logged-in customer pays and keeps the card at once: 025, then 3-D Secure and 020 on the saved card", async () => {
      const customer = await logInCustomer(api, s, "saburo@example.jp")
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1, headers: customer.headers, email: "saburo@example.jp" })
      const first = await paymentSession(api, collectionId, PG, headers)
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number: VISA, name: "BAVCA" })
      const second = await paymentSession(api, collectionId, PG, headers, { ...t, save_card: true })
      const res = await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      await expectRequiresMore(api, { ...res, completed: res.data, cart, headers })
      const tds = await threeDS(api, cart.id, headers, "14012")
      expect(tds.challenged).toBe(true)
      const done = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(done.type).toBe("order")
      expect(first.data.jp.browser.merchant_id).toBe(M.merchantId)
      const code = second.data.jp.order_code
      const saved = sim.requests().filter((r) => r.kind === "025" && r.params.card_token === t.token)
      expect(saved).toHaveLength(1)
      expect(telegrams("450", code)[0].params).toMatchObject({ card_set_method: "customer", customer_id: saved[0].params.customer_id })
      expect(telegrams("020", code)[0].params).toMatchObject({ stock_card_mode: "1", "3dsecure_use_type": "2" })
      const listed = (await api.get(`/store/jp-payments/payment-methods?provider_id=${PG}`, { headers: customer.headers })).data.payment_methods
      expect(listed).toEqual([expect.objectContaining({ data: { card: expect.objectContaining({ masked: "************0002", expiry: "12/30" }) } })])
    })

    it("a notification delivered twice is processed once, and completes the order whose 020 timed out (2008)", async () => {
      sim.setNoticeUrl(M.merchantId, `${harness.appUrl}/jp-payments/paygent_pg/notify`)
      const handed: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe("payment.webhook_received", async (e: unknown) => {
          handed.push(e)
        })
      try {
        sim.inject({ kind: "duplicate-notice" })
        const r = await checkout(api, PG, { card_number: "4000000000008408" }, { quantity: 1 })
        expect(r.status).toBe(400) // 2008: outcome unknown, no order yet and no second 020
        const orderId = await waitFor(async () => {
          // completed_at, not the order link: Medusa links the order before it authorizes
          const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["completed_at", "order.id"], filters: { id: r.cart.id } })
          const c = data[0] as { completed_at?: string | null; order?: { id: string } } | undefined
          return c?.completed_at ? c.order?.id : undefined
        })
        await sim.settle()
        const code = r.session.data.jp.order_code
        const notices = sim.notices().filter((n) => n.fields.trading_id === code)
        expect(notices).toHaveLength(1)
        expect(notices[0].deliveries.length).toBeGreaterThanOrEqual(2)
        expect(notices[0].deliveries.every((d) => d.status === 200 && d.body === "result=0")).toBe(true)
        expect(handed).toHaveLength(1)
        const payment = await orderPayment(api, s, orderId)
        expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 1500, reference: notices[0].fields.payment_id })
        expect(telegrams("020", code)).toHaveLength(1)
      } finally {
        sim.setNoticeUrl(M.merchantId, undefined)
      }
    })

    it("refuses a notification whose hc does not verify", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const session = await paymentSession(api, collectionId, PG, headers)
      const body = new URLSearchParams({ payment_notice_id: "9", payment_id: "1", trading_id: session.data.jp.order_code, payment_type: "02", payment_status: "20", payment_amount: "1500", hc: "0".repeat(64) })
      const res = await api.post(`/jp-payments/paygent_pg/notify`, body.toString(), { headers: { "content-type": "application/x-www-form-urlencoded" }, validateStatus: () => true })
      expect(res.status).toBe(400)
      expect(res.data).not.toBe("result=0")
    })

    it("PAYGENT's 30-minute timeout call (31013) fails the session once, however often it comes", async () => {
      const started = await start(api, PG, { card_number: VISA }, { quantity: 1 })
      await sim.advanceClock(31 * 60_000)
      const [auth] = sim.auths().filter((a) => a.tradingId === started.session.data.jp.order_code)
      expect(auth.timeoutCalls).toEqual([expect.objectContaining({ status: 200 })])
      const after = await sessionOf(api, started.cart.id, started.headers)
      expect(after.data.jp.returned).toMatchObject({ outcome: "failed", error: { code: "31013" } })
      const at = after.data.jp.returned.at
      // a resend (or a replay) of the same call: answered the same, nothing recorded again
      await sim.advanceClock(61 * 60_000)
      const replay = await api.get(`/jp-payments/return/${after.data.jp.order_code}?${new URLSearchParams({ result: "1", "3ds_auth_id": auth.authId, response_code: "31013", hc: hcFor("1", auth.authId) })}`)
      expect(replay.status).toBe(200)
      expect((await sessionOf(api, started.cart.id, started.headers)).data.jp.returned.at).toBe(at)
      const res = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      expect(res.data.type).toBe("cart")
      expect(res.data.error.message).toMatch(/31013/)
      // the shopper's browser is too late: the ACS refuses
      await expect(runAcs(started.session.data.jp ? after.data.jp.redirect.html : "", sim.certificates.caFile, { simUrl: sim.browserUrl })).rejects.toThrow(/409/)
    })

    it("a brand without 3-D Secure (31012): refused by default, authorized with 3dsecure_ryaku=1 when allowWithout3DS", async () => {
      // 450 runs as the session is made: the refusal is the session's creation failing, before any order
      const c = await cartWithCollection(api, s, { quantity: 1 })
      const b = (await paymentSession(api, c.collectionId, PG, c.headers)).data.jp.browser
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: "6011000000000004" })
      const refused = await api.post(`/store/payment-collections/${c.collectionId}/payment-sessions`, { provider_id: PG, data: { ...t } }, { headers: c.headers }).catch(responseOf)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/31012/)
      const ok = await start(api, PGC, { card_number: "6011000000000004" }, { quantity: 1 })
      expect(ok.completed.type).toBe("order")
      expect(telegrams("020", ok.session.data.jp.order_code)[0].params["3dsecure_ryaku"]).toBe("1")
      const payment = await orderPayment(api, s, ok.completed.order.id)
      expect(payment.data.jp.three_ds).toMatchObject({ status: "not_performed", liability: "merchant" })
    })

    it("a tampered token (hc) is refused before anything reaches PAYGENT", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number: VISA })
      const res = await api
        .post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: PG, data: { ...t, masked_card_number: "************9999" } }, { headers })
        .catch(responseOf)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(/hc does not verify/)
    })

    it("a connection without a valid client certificate fails with a clear error (P016)", async () => {
      // 450 runs as the session is made: its creation fails with PAYGENT's code
      const c = await cartWithCollection(api, s, { quantity: 1 })
      const b = (await paymentSession(api, c.collectionId, PGBAD, c.headers)).data.jp.browser
      const t = await createPaygentToken(sim.browserUrl, sim.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: VISA })
      const r = await api.post(`/store/payment-collections/${c.collectionId}/payment-sessions`, { provider_id: PGBAD, data: { ...t } }, { headers: c.headers }).catch(responseOf)
      expect(r.status).toBe(400)
      expect(r.data.message).toMatch(/P016/)
      expect(r.data.message).toMatch(/client certificate/i)
      // and the simulator itself, asked with no certificate at all
      const res = await request(`${sim.url}/n/ref/paymentref`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ merchant_id: M.merchantId, connect_id: M.connectId, connect_password: M.connectPassword, telegram_kind: "094", telegram_version: "1.0", trading_id: "x" }).toString(),
        dispatcher: new Agent({ connect: { ca: readFileSync(sim.certificates.caFile) } }),
      })
      expect(await res.body.text()).toMatch(/^result=1\r\nresponse_code=P016\r\n/)
    })
  },
})

function hcFor(result: string, authId: string, attemptKbn = ""): string {
  return require("node:crypto").createHash("sha256").update(result + authId + attemptKbn + M.threeDSResultHashKey).digest("hex")
}
