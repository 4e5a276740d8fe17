// SBPS end to end: a real Medusa app on a real PostgreSQL, the SBPS simulator over HTTP, the
// storefront's and admin's own HTTP calls, and the shopper's trip through 3-D Secure followed by hand
// (the simulator's page sends the browser to our return route, which sends it to the storefront).
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { AxiosInstance } from "axios"
import type { SbpsSimulator } from "../../src/simulator/sbps"
import { fromOrderCode } from "../../src/core/order-code"
import { resolveCardProvider } from "../../src/core/resolve-provider"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, setUpStore, type Store, responseOf } from "../helpers/store"
import { runThreeDS, sbpsTokens, SBPS_MERCHANT, useSbpsSimulator } from "../helpers/sbps"

jest.setTimeout(240_000)

const SBPS = "pp_sbps_sbps"
const SBPSX = "pp_sbps_sbpsx" // wrong hash key
const SBPSN = "pp_sbps_sbpsn" // no 3-D Secure, 3DES, sold at once
// paymentMethods { installments: [3, 6, 10], bonus }; the simulated contract (helpers/sbps.ts): 3, 6, bonus
const SBPSI = "pp_sbps_sbpsi" // with 3-D Secure
const SBPSNI = "pp_sbps_sbpsni" // as SBPSN
const FRICTIONLESS = "4111111111111111"
const CHALLENGE = "4000000000001091"
const TDS_FAILS = "4000000000001109"
const LIMIT = "4000000000000002" // 101-22 利用限度額超過

const simulator = useSbpsSimulator()
let sim: SbpsSimulator
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
      s = await setUpStore(api, getContainer(), [SBPS, SBPSX, SBPSN, SBPSI, SBPSNI])
    })

    /** The browser follows a URL of our own server (the return route) without following on. */
    async function visitOurs(url: string) {
      const u = new URL(url)
      return api.get(u.pathname + u.search, { maxRedirects: 0, validateStatus: () => true })
    }

    /**
     * Cart → session → tokens → session with the tokens (TA02 starts 3-D Secure) → complete before the
     * ACS, as a storefront of the two-completion flow does (refused before any order).
     */
    async function startCheckout(
      a: AxiosInstance,
      pan: string,
      opts: { quantity?: number; headers?: Record<string, string>; email?: string; saveCard?: boolean; provider?: string; paymentMethod?: unknown } = {}
    ) {
      const provider = opts.provider ?? SBPS
      const { cart, collectionId, headers } = await cartWithCollection(a, s, { quantity: opts.quantity, headers: opts.headers, email: opts.email })
      const first = await paymentSession(a, collectionId, provider, headers)
      const tokens = await sbpsTokens(sim.url, first.data.jp.browser, pan)
      const session = await paymentSession(a, collectionId, provider, headers, {
        ...tokens,
        ...(opts.saveCard ? { save_card: true } : {}),
        ...(opts.paymentMethod !== undefined ? { payment_method: opts.paymentMethod } : {}),
      })
      const res = await a.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      return { cart, collectionId, headers, session, tokens, first: res }
    }

    async function sessionOf(cartId: string) {
      const cart = (await api.get(`/store/carts/${cartId}?fields=*payment_collection.payment_sessions`, { headers: s.store.headers })).data.cart
      return cart.payment_collection.payment_sessions[0] as { id: string; status: string; data: Record<string, any> }
    }

    /** Whole checkout: 3-D Secure in the "browser", back through our return route, complete again. */
    async function checkout(pan = FRICTIONLESS, opts: Parameters<typeof startCheckout>[2] = {}) {
      const started = await startCheckout(api, pan, opts)
      const waiting = await sessionOf(started.cart.id)
      const back = await runThreeDS(waiting.data.jp.redirect.url)
      const returned = await visitOurs(back)
      const res = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      return { ...started, waiting, back, returned, completed: res.data, status: res.status as number }
    }

    it("hands the browser only public values: ids, script URLs, 3-D Secure on", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const session = await paymentSession(api, collectionId, SBPS, headers)
      expect(session.data.jp.amount).toBe(3000)
      expect(session.data.jp.browser).toEqual({
        gateway: "sbps",
        merchant_id: SBPS_MERCHANT.merchantId,
        service_id: SBPS_MERCHANT.serviceId,
        scripts: [`${sim.url}/sbpstoken/com_sbps_system_token.js`, `${sim.url}/sbpstoken/com_sbps_system_tds2infotoken.js`],
        three_ds: true,
        amount: 3000,
      })
      expect(fromOrderCode(session.data.jp.order_code)).toBe(session.id)
      expect(JSON.stringify(session.data)).not.toMatch(/hash|password|secret|8435dbd4/i)
    })

    it("3-D Secure challenge: requires_more → ACS → return route → storefront → complete → order; admin capture", async () => {
      const { session, tokens, first, waiting, back, returned, completed } = await checkout(CHALLENGE, { quantity: 2 })
      // the session made with the tokens already waits on the redirect SBPS gave (TA02-00101-101)
      expect(session.status).toBe("requires_more")
      expect(session.data.jp.redirect).toEqual(waiting.data.jp.redirect)
      // an early completion: no order, the same redirect stands
      expect(first.data.type).toBe("cart")
      expect(first.data.error.message).toMatch(/REDIRECT_PENDING/)
      expect(waiting.status).toBe("requires_more")
      expect(waiting.data.jp).toMatchObject({ attempt: "redirect", redirect: { url: expect.stringContaining(`${sim.url}/tds2/authenticate/`) } })
      expect(waiting.data.token ?? null).toBeNull()
      expect(waiting.data.token_key ?? null).toBeNull()
      // the URL we gave SBPS, signed by us per order and outcome (SBPS signs nothing it sends the browser back with)
      expect(back).toMatch(new RegExp(`^http://localhost:9000/jp-payments/return/${session.data.jp.order_code}\\?sbps_result=ok&sig=[0-9a-f]{32}$`))
      // our return route records the outcome and sends the shopper back to the storefront
      expect(returned.status).toBe(303)
      expect(returned.headers.location).toBe(`http://localhost:8000/checkout?payment_session_id=${session.id}&jp_result=ok`)
      expect(completed.type).toBe("order")

      const tx = sim.transactions().find((t) => t.orderId === session.data.jp.order_code)!
      expect(tx).toMatchObject({ amount: 3000, commitStatus: "1", paymentStatus: "1", threeDS: true })
      let payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, reference: tx.trackingId, references: { tracking_id: tx.trackingId }, card: { brand: "Visa" } })
      // the spent token and its companions are kept nowhere
      for (const v of Object.values(tokens)) expect(JSON.stringify(payment.data)).not.toContain(v)

      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.captured_at).toBeTruthy()
      expect(payment.data.jp.state).toBe("captured")
      expect(sim.transactions().find((t) => t.trackingId === tx.trackingId)).toMatchObject({ paymentStatus: "2", salesAmount: 3000 })

      // MG01 through Medusa's retrievePayment: the status SBPS holds
      const provider = resolveCardProvider(getContainer(), "sbps_sbps")
      const retrieved = await provider.retrievePayment({ data: payment.data })
      expect((retrieved.data as any).jp).toMatchObject({ state: "captured", card: { masked: "************1091", expiry: "12/30" } })
    })

    it("captures a smaller amount through the admin route; refunds part, then the rest", async () => {
      const { completed, session } = await checkout(FRICTIONLESS, { quantity: 2 })
      const payment = await orderPayment(api, s, completed.order.id)
      const res = await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)
      expect(res.status).toBe(200)
      let now = await orderPayment(api, s, completed.order.id)
      expect(now.captures).toEqual([expect.objectContaining({ amount: 2000 })])
      expect(now.data.jp).toMatchObject({ state: "captured", amount: 2000, sold_amount: 2000 })
      const tx = () => sim.transactions().find((t) => t.orderId === session.data.jp.order_code)!
      expect(tx()).toMatchObject({ paymentStatus: "2", salesAmount: 2000 })

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin)
      now = await orderPayment(api, s, completed.order.id)
      expect(now.data.jp).toMatchObject({ state: "partially_refunded", amount: 1500, refunded_amount: 500 })
      expect(tx()).toMatchObject({ paymentStatus: "5", refundedAmount: 500 })

      // more than what is left is refused by core before SBPS is asked
      const over = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1600 }, s.admin).catch(responseOf)
      expect(over.status).toBeGreaterThanOrEqual(400)
      expect(tx().refundedAmount).toBe(500)

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1500 }, s.admin)
      now = await orderPayment(api, s, completed.order.id)
      expect(now.refunds).toHaveLength(2)
      expect(now.data.jp).toMatchObject({ state: "refunded", amount: 0, refunded_amount: 2000 })
      expect(tx()).toMatchObject({ paymentStatus: "4", refundedAmount: 2000 })
      expect(now.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "capture", "refund", "refund"])
    })

    it("a full refund after capture", async () => {
      const { completed, session } = await checkout()
      const payment = await orderPayment(api, s, completed.order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      await api.post(`/admin/payments/${payment.id}/refund`, {}, s.admin)
      const now = await orderPayment(api, s, completed.order.id)
      expect(now.data.jp).toMatchObject({ state: "refunded", refunded_amount: 3000 })
      expect(sim.transactions().find((t) => t.orderId === session.data.jp.order_code)).toMatchObject({ paymentStatus: "4", refundedAmount: 3000 })
    })

    it("cancels an uncaptured order at SBPS", async () => {
      const { completed, session } = await checkout()
      await api.post(`/admin/orders/${completed.order.id}/cancel`, {}, s.admin)
      const payment = await orderPayment(api, s, completed.order.id)
      expect(payment.canceled_at).toBeTruthy()
      expect(payment.data.jp.state).toBe("canceled")
      expect(sim.transactions().find((t) => t.orderId === session.data.jp.order_code)).toMatchObject({ paymentStatus: "3" })
    })

    it("a declined card: no order, SBPS's code and reason on the session", async () => {
      const { status, completed, cart, session } = await checkout(LIMIT)
      expect(status).toBe(400)
      expect(completed.type).not.toBe("order")
      const ses = await sessionOf(cart.id)
      expect(ses.status).toBe("error")
      expect(ses.data.jp.error).toMatchObject({ code: "10122999", kind: "declined", message_ja: "クレジットカード: 利用限度額超過" })
      expect(sim.transactions().filter((t) => t.orderId === session.data.jp.order_code)).toHaveLength(0)
    })

    it("3-D Secure that fails sends the shopper back with jp_result=failed, and completion fails without charging", async () => {
      const { returned, status, cart, session, back } = await checkout(TDS_FAILS)
      expect(back).toContain("sbps_result=ng")
      expect(returned.headers.location).toContain("jp_result=failed")
      // refused before any order is made; the reason is the recorded return's
      expect(status).toBe(200)
      expect((await sessionOf(cart.id)).data.jp.returned.error).toMatchObject({ code: "TDS_NG" })
      expect(sim.transactions().filter((t) => t.orderId === session.data.jp.order_code)).toHaveLength(0)
    })

    it("a forged return is refused: nothing recorded, no order, and the shopper's real return still works", async () => {
      const started = await startCheckout(api, FRICTIONLESS)
      const waiting = await sessionOf(started.cart.id)
      const authorizations = () => sim.requests().filter((r) => r.id === "ST01-00118-101").length
      const before = authorizations()
      // the shopper skips the ACS page and calls our return route with sbps_result=ok (or ng) by hand
      for (const result of ["ok", "ng"]) {
        const forged = await visitOurs(`http://x/jp-payments/return/${waiting.data.jp.order_code}?sbps_result=${result}`)
        expect(forged.status).toBe(400)
      }
      expect((await sessionOf(started.cart.id)).data.jp.returned).toBeNull()
      const res = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      expect(res.data.type).not.toBe("order")
      expect(authorizations()).toBe(before)
      // the real 3-D Secure and return: an order
      const returned = await visitOurs(await runThreeDS(waiting.data.jp.redirect.url))
      expect(returned.headers.location).toContain("jp_result=ok")
      const done = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      expect(done.data.type).toBe("order")
      // a return that is neither ok nor ng is refused and changes nothing
      const other = await startCheckout(api, FRICTIONLESS)
      const w2 = await sessionOf(other.cart.id)
      const bad = await visitOurs(`http://x/jp-payments/return/${w2.data.jp.order_code}?sbps_result=maybe`)
      expect(bad.status).toBe(400)
      expect((await sessionOf(other.cart.id)).data.jp.returned).toBeNull()
    })

    it("an expired token is refused (101-T2) with a clear message, and nothing is charged", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const first = await paymentSession(api, collectionId, SBPS, headers)
      const tokens = await sbpsTokens(sim.url, first.data.jp.browser, FRICTIONLESS)
      sim.ageTokens(11 * 60_000)
      // TA02 runs as the session is made: its creation fails with SBPS's code, and no order is tried
      const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: SBPS, data: tokens }, { headers }).catch(responseOf)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(/101T2227/)
      expect(res.data.message).toMatch(/expired: make a new token/)
      expect((await api.get(`/store/carts/${cart.id}`, { headers })).data.cart.completed_at ?? null).toBeNull()
    })

    it("a logged-in customer saves the card while paying, pays again with it, then deletes it", async () => {
      const customer = await logInCustomer(api, s, "hanako@example.jp")
      const one = await checkout(FRICTIONLESS, { headers: customer.headers, email: "hanako@example.jp", saveCard: true })
      expect(one.completed.type).toBe("order")
      const custCode = one.session.data.jp.customer_ref as string
      expect(custCode).toBeTruthy()
      expect(sim.customers().map((c) => c.custCode)).toContain(custCode)

      const listed = (await api.get(`/store/jp-payments/payment-methods?provider_id=${SBPS}`, { headers: customer.headers })).data.payment_methods
      expect(listed).toEqual([{ id: custCode, provider_id: SBPS, data: { card: { masked: "************1111", expiry: "12/30", brand: "Visa" } } }])

      // pays again: no token, no 3-D Secure redirect, ST01-00131-101 with cust_code alone
      const two = await cartWithCollection(api, s, { quantity: 1, headers: customer.headers, email: "hanako@example.jp" })
      await paymentSession(api, two.collectionId, SBPS, two.headers, { payment_method_id: custCode })
      const completed = (await api.post(`/store/carts/${two.cart.id}/complete`, {}, { headers: two.headers })).data
      expect(completed.type).toBe("order")
      const payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 1500, saved_card: { customerRef: custCode, cardRef: custCode }, three_ds: { status: "not_performed" } })

      // someone else's card id is refused
      const guest = await cartWithCollection(api, s, { quantity: 1 })
      const res = await api.post(`/store/payment-collections/${guest.collectionId}/payment-sessions`, { provider_id: SBPS, data: { payment_method_id: custCode } }, { headers: guest.headers }).catch(responseOf)
      expect(res.status).toBe(400)

      await api.delete(`/store/jp-payments/payment-methods/${encodeURIComponent(custCode)}?provider_id=${SBPS}`, { headers: customer.headers })
      expect((await api.get(`/store/jp-payments/payment-methods?provider_id=${SBPS}`, { headers: customer.headers })).data.payment_methods).toEqual([])
    })

    it("a contract without 3-D Secure, with 3DES: one completion authorizes, commits and sells; refunds go through", async () => {
      const seen = sim.requests().length
      const { first, session } = await startCheckout(api, "3530111333300000", { provider: SBPSN })
      expect(session.data.jp.browser).toMatchObject({ three_ds: false, merchant_id: "12345", scripts: [`${sim.url}/sbpstoken/com_sbps_system_token.js`] })
      expect(first.data.type).toBe("order")
      let payment = await orderPayment(api, s, first.data.order.id)
      // captured at authorization: Medusa records the capture with the payment
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 3000, card: { brand: "JCB" }, three_ds: { status: "not_performed" } })
      const tx = sim.transactions().find((t) => t.orderId === session.data.jp.order_code)!
      expect(tx).toMatchObject({ merchantKey: "12345001", commitStatus: "1", paymentStatus: "2", salesAmount: 3000, threeDS: false })
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1000 }, s.admin)
      payment = await orderPayment(api, s, first.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 2000 })
      expect(sim.transactions().find((t) => t.trackingId === tx.trackingId)).toMatchObject({ paymentStatus: "5", refundedAmount: 1000 })
      // every request went out for this merchant and was accepted; those with an encrypted_flg had it 1
      const mine = sim.requests().slice(seen)
      expect(mine.map((r) => [r.id, r.result, r.merchant])).toEqual([
        ["ST01-00131-101", "OK", "12345001"],
        ["ST02-00101-101", "OK", "12345001"],
        ["ST02-00201-101", "OK", "12345001"],
        ["ST02-00307-101", "OK", "12345001"],
      ])
      expect(mine[0].encrypted).toBe(true)
    })

    it("支払方法 with 3-D Secure: the session lists sbpsi's choices; 分割 3回 reaches ST01-00118 as 61/3 and stays through a smaller capture and refunds", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s)
      expect((await paymentSession(api, collectionId, SBPSI, headers)).data.jp.payment_methods).toEqual([
        { type: "lump" },
        { type: "installments", count: 3 },
        { type: "installments", count: 6 },
        { type: "installments", count: 10 },
        { type: "bonus" },
      ])
      const three = { type: "installments", count: 3 }
      const { completed, session } = await checkout(FRICTIONLESS, { quantity: 2, provider: SBPSI, paymentMethod: three })
      expect(completed.type).toBe("order")
      const tx = () => sim.transactions().find((t) => t.orderId === session.data.jp.order_code)!
      expect(tx()).toMatchObject({ dealingsType: "61", divideTimes: "3", threeDS: true })
      let payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", payment_method: three })

      await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 2000, payment_method: three })
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 1500, payment_method: three })
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1500 }, s.admin)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", payment_method: three })
      expect(tx()).toMatchObject({ paymentStatus: "4", salesAmount: 2000, refundedAmount: 2000, dealingsType: "61", divideTimes: "3" })
      // MG01 reports the 取引区分 SBPS holds
      const retrieved = await resolveCardProvider(getContainer(), "sbps_sbpsi").retrievePayment({ data: payment.data })
      expect((retrieved.data as any).jp).toMatchObject({ state: "refunded", payment_method: three })
    })

    it("ボーナス一括 on the 3DES contract: pay_method_info goes encrypted as 21, sold at once, refunded in full", async () => {
      const seen = sim.requests().length
      const { first, session } = await startCheckout(api, "3530111333300000", { provider: SBPSNI, paymentMethod: { type: "bonus" } })
      expect(first.data.type).toBe("order")
      const [auth] = sim.requests().slice(seen)
      expect(auth).toMatchObject({ id: "ST01-00131-101", result: "OK", merchant: "12345001", encrypted: true })
      const tx = sim.transactions().find((t) => t.orderId === session.data.jp.order_code)!
      expect(tx).toMatchObject({ dealingsType: "21", divideTimes: "", paymentStatus: "2" })
      let payment = await orderPayment(api, s, first.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", payment_method: { type: "bonus" } })
      await api.post(`/admin/payments/${payment.id}/refund`, {}, s.admin)
      payment = await orderPayment(api, s, first.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", payment_method: { type: "bonus" } })
    })

    it("refused choices: one the provider does not allow is a 400 before any SBPS request; one sbpsni allows but the contract does not (10回) is SBPS's 10132203 on the session, no order", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s)
      const offered = await paymentSession(api, collectionId, SBPSI, headers)
      const tokens = await sbpsTokens(sim.url, offered.data.jp.browser, FRICTIONLESS)
      const before = sim.requests().length
      for (const [provider, choice, why] of [
        [SBPSI, { type: "revolving" }, /payment_method revolving is not allowed for this shop; allowed: lump, installments:3, installments:6, installments:10, bonus/],
        [SBPSNI, { type: "installments", count: 24 }, /payment_method installments:24 is not allowed/],
        [SBPS, { type: "bonus" }, /allowed: lump$/],
      ] as const) {
        const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: provider, data: { ...tokens, payment_method: choice } }, { headers }).catch(responseOf)
        expect([provider, res.status]).toEqual([provider, 400])
        expect(res.data.message).toMatch(why)
      }
      expect(sim.requests().length).toBe(before)

      const { first, session, cart } = await startCheckout(api, "3530111333300000", { provider: SBPSNI, paymentMethod: { type: "installments", count: 10 } })
      expect(first.status).toBe(400)
      expect(first.data.type).not.toBe("order")
      const ses = await sessionOf(cart.id)
      expect(ses.status).toBe("error")
      expect(ses.data.jp.error).toMatchObject({ code: "10132203", message_ja: "クレジットカード: 分割指定不可(分割回数)" })
      expect(sim.requests().filter((r) => r.errCode === "10132203")).not.toHaveLength(0)
      expect(sim.transactions().filter((t) => t.orderId === session.data.jp.order_code)).toHaveLength(0)
    })

    it("the commit's answer is lost: the status query finds it committed, and the order is made", async () => {
      const started = await startCheckout(api, FRICTIONLESS)
      await visitOurs(await runThreeDS((await sessionOf(started.cart.id)).data.jp.redirect.url))
      sim.inject({ kind: "reset", after: true, id: "ST02-00101-101" })
      const seen = sim.requests().length
      const res = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      expect(res.data.type).toBe("order")
      expect(sim.requests().slice(seen).map((r) => r.id)).toEqual(["ST01-00118-101", "ST02-00101-101", "MG01-00101-101"])
      expect(sim.transactions().find((t) => t.orderId === started.session.data.jp.order_code)).toMatchObject({ commitStatus: "1", paymentStatus: "1" })
    })

    it("the authorization's answer is lost: the session stays pending and nothing is sent again", async () => {
      const started = await startCheckout(api, FRICTIONLESS)
      await visitOurs(await runThreeDS((await sessionOf(started.cart.id)).data.jp.redirect.url))
      sim.inject({ kind: "reset", after: true, id: "ST01-00118-101" })
      const seen = sim.requests().length
      const first = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      expect(first.data.type).not.toBe("order")
      let ses = await sessionOf(started.cart.id)
      expect(ses.status).toBe("pending")
      expect(ses.data.jp).toMatchObject({ attempt: "unknown", error: { code: "NO_ANSWER", kind: "unknown_outcome" } })
      const again = await api.post(`/store/carts/${started.cart.id}/complete`, {}, { headers: started.headers }).catch(responseOf)
      expect(again.data.type).not.toBe("order")
      ses = await sessionOf(started.cart.id)
      expect(ses.data.jp.error).toMatchObject({ code: "OUTCOME_UNKNOWN" })
      // one 与信 went out, and only one: SBPS holds it (uncommitted) for the shop owner to check
      expect(sim.requests().slice(seen).map((r) => r.id)).toEqual(["ST01-00118-101"])
      expect(sim.transactions().filter((t) => t.orderId === started.session.data.jp.order_code)).toEqual([expect.objectContaining({ commitStatus: "0" })])
    })

    it("the 3-D Secure start's answer is lost: nothing was charged, and the shopper starts again with a new token", async () => {
      sim.inject({ kind: "reset", after: true, id: "TA02-00101-101" })
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const browser = (await paymentSession(api, collectionId, SBPS, headers)).data.jp.browser
      // TA02 runs as the session is made: its creation fails, saying what to do
      const lost = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: SBPS, data: await sbpsTokens(sim.url, browser, FRICTIONLESS) }, { headers }).catch(responseOf)
      expect(lost.status).toBe(400)
      expect(lost.data.message).toMatch(/NO_ANSWER/)
      expect(lost.data.message).toMatch(/nothing was charged: enter the card again/)
      // again, with a new token: 3-D Secure starts
      const tokens = await sbpsTokens(sim.url, browser, FRICTIONLESS)
      const again = await paymentSession(api, collectionId, SBPS, headers, tokens)
      expect(again.status).toBe("requires_more")
      expect((await sessionOf(cart.id)).data.jp.attempt).toBe("redirect")
    })

    it("a wrong hash key: SBPS refuses with 10109025 and the shop owner is told to check it", async () => {
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const browser = (await paymentSession(api, collectionId, SBPSX, headers)).data.jp.browser
      const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: SBPSX, data: await sbpsTokens(sim.url, browser, FRICTIONLESS) }, { headers }).catch(responseOf)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(/10109025/)
      expect(res.data.message).toMatch(/sps_hashcode does not match \(check the hash key\)/)
      expect(sim.requests().some((r) => r.errCode === "10109025")).toBe(true)
    })

    it("an SBPS error page on capture leaves the payment uncaptured and says what happened", async () => {
      const { completed } = await checkout()
      let payment = await orderPayment(api, s, completed.order.id)
      sim.inject({ kind: "status", status: 503 })
      const res = await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin).catch(responseOf)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.data.message).toMatch(/HTTP_503/)
      payment = await orderPayment(api, s, completed.order.id)
      expect(payment.captured_at).toBeNull()
      await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
      expect((await orderPayment(api, s, completed.order.id)).data.jp.state).toBe("captured")
    })
  },
})
