// PaymentOptions end to end: a real Medusa app on a real PostgreSQL, the PaymentOptions simulator over
// HTTP (its hosted payment page and 3-D Secure page posted like a browser would), and the storefront's
// and admin's own HTTP calls.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import type { PaymentOptionsSimulator } from "../../src/simulator/payment-options"
import { resolveCardProvider } from "../../src/core/resolve-provider"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, setUpStore, type Store, waitFor, responseOf } from "../helpers/store"
import { payInBrowser, usePaymentOptionsSimulator, type Card } from "../helpers/payment-options"

jest.setTimeout(240_000)

const PO = "pp_payment-options_po" // captureMode authorize, hosted page authorises
const POC = "pp_payment-options_poc" // captureMode purchase, hosted page purchases
const FRICTIONLESS: Card = { number: "4000000000001000" }
const CHALLENGE: Card = { number: "5200000000001096" }
const CHALLENGE_FAILS: Card = { number: "4000000000001109" }
const REFUSED: Card = { number: "4000000000001042" }
const EXPIRED: Card = { number: "4000000000001000", month: "01", year: "20" }

const simulator = usePaymentOptionsSimulator()
let sim: PaymentOptionsSimulator
beforeAll(() => {
  sim = simulator.sim
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    /**
     * The order of a completed cart. Medusa 2.21 makes the order before it authorizes and links it to
     * the cart at once, so the link alone can show an order whose payment is not settled yet: wait for
     * the cart's completed_at, set when completion (and its authorization) is done.
     */
    async function completedOrder(cartId: string): Promise<string | undefined> {
      const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["completed_at", "order.id"], filters: { id: cartId } })
      const cart = data[0] as { completed_at?: string | null; order?: { id: string } } | undefined
      return cart?.completed_at ? cart.order?.id : undefined
    }
    let s: Store

    beforeEach(async () => {
      sim.clearFaults()
      s = await setUpStore(api, getContainer(), [PO, POC])
    })

    async function sessionOf(a: AxiosInstance, cartId: string, headers: Record<string, string>) {
      const cart = (await a.get(`/store/carts/${cartId}?fields=*payment_collection.payment_sessions`, { headers })).data.cart
      return cart.payment_collection.payment_sessions[0] as { id: string; status: string; data: Record<string, any> }
    }

    /** Cart → session → complete (requires_more) → the page the storefront must send the shopper to. */
    async function startCheckout(a: AxiosInstance, provider: string, opts: { quantity?: number; headers?: Record<string, string>; data?: Record<string, unknown> } = {}) {
      const { cart, collectionId, headers } = await cartWithCollection(a, s, { quantity: opts.quantity, headers: opts.headers })
      await paymentSession(a, collectionId, provider, headers, opts.data)
      const first = await a.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
      const session = await sessionOf(a, cart.id, headers)
      return { cart, headers, first, session }
    }

    async function complete(a: AxiosInstance, cartId: string, headers: Record<string, string>) {
      return a.post(`/store/carts/${cartId}/complete`, {}, { headers }).catch(responseOf)
    }

    it("hosted page: requires_more → card on the page → return → complete → order; a smaller capture; partial refund; a refund beyond the balance refused; the rest refunded", async () => {
      const { cart, headers, first, session } = await startCheckout(api, PO, { quantity: 2 })
      expect(first.status).toBe(400) // Medusa 2.21: a session that requires more fails this completion
      expect(session.status).toBe("requires_more")
      const jp = session.data.jp
      expect(jp.source).toBe("hosted")
      expect(jp.redirect.url).toMatch(new RegExp(`^${sim.url}/jp/HostedPaymentPage/`))
      // what the gateway was asked: the hosted page link, in major units, with signed URLs back to us
      const link = sim.requests().find((r) => r.path.endsWith("/hpp/generate/link") && (r.body as any).merchant_txn_ref === jp.order_code)!
      expect(link.body).toMatchObject({ amount: 3000, currency: "JPY", merchant_id: "JP00000472", merchant_email: "shop@example.jp" })
      expect((link.body as any).return_url.webhook_url).toMatch(new RegExp(`/jp-payments/notify/${jp.order_code}\\?ref=${jp.order_code}&sig=[0-9a-f]{64}$`))
      expect((link.body as any).return_url.success_url).toMatch(new RegExp(`/jp-payments/return/${jp.order_code}\\?po=ok&sig=`))
      expect(JSON.stringify(session.data)).not.toMatch(/secret|sim-api-key|sig=/i)

      const browser = await payInBrowser(jp.redirect.url, FRICTIONLESS)
      expect(browser.end.searchParams.get("jp_result")).toBe("ok")
      expect(browser.end.searchParams.get("payment_session_id")).toBe(session.id)

      const done = await complete(api, cart.id, headers)
      expect(done.data.type).toBe("order")
      const tx = sim.transactions().find((t) => t.merchantTxnRef === jp.order_code && t.type === "PRE_AUTH")!
      expect(tx).toMatchObject({ status: "succeeded", amount: 3000 })
      let payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, reference: tx.id, card: { brand: "VISA", masked: "************1000" } })

      // the admin's order route offers a smaller capture for this gateway
      const adminView = (await api.get(`/admin/jp-payments/orders/${done.data.order.id}`, s.admin)).data
      expect(adminView.payments[0]).toMatchObject({ provider_id: PO, can_capture_amount: true, jp: { gateway: "payment-options", state: "authorized" } })

      // capture ¥2,000 of the ¥3,000 authorized: the gateway's capture answers a new transaction id
      const cap = await api.post(`/admin/jp-payments/payments/${payment.id}/capture`, { amount: 2000 }, s.admin)
      expect(cap.status).toBe(200)
      payment = await orderPayment(api, s, done.data.order.id)
      const captureTx = sim.transactions().find((t) => t.parentId === tx.id && t.type === "CAPTURE")!
      expect(captureTx).toMatchObject({ amount: 2000, status: "succeeded" })
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 2000, sold_amount: 2000, reference: captureTx.id })
      // Medusa records a capture of ¥2,000 (captured_at stays empty: it marks a payment captured in full)
      expect(payment.captures).toHaveLength(1)
      expect(Number((payment.captures[0] as { amount: number }).amount)).toBe(2000)

      // retrievePayment asks the gateway's status call about the payment's current transaction
      const statusCalls = () => sim.requests().filter((r) => r.method === "GET" && r.path.endsWith(`/transaction/status/${captureTx.id}`)).length
      const asked = statusCalls()
      const retrieved = await resolveCardProvider(getContainer(), "payment-options_po").retrievePayment({ data: payment.data })
      expect(statusCalls()).toBe(asked + 1)
      expect((retrieved.data as any).jp).toMatchObject({ state: "captured", amount: 2000 })

      // partial refund ¥500 → refund of the capture transaction
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 500 }, s.admin)
      payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "partially_refunded", amount: 1500, refunded_amount: 500 })
      expect(sim.transactions().filter((t) => t.parentId === captureTx.id && t.type === "REFUND").map((t) => t.amount)).toEqual([500])

      // beyond the balance: refused by the provider before the gateway is asked
      const tooMuch = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1600 }, s.admin).catch(responseOf)
      expect(tooMuch.status).toBeGreaterThanOrEqual(400)
      expect(tooMuch.data.message).toMatch(/refund|captured/i)
      // …and the gateway's own rule (ERR0204) when asked directly
      const provider = resolveCardProvider(getContainer(), "payment-options_po")
      const direct = await provider.refundPayment({ data: { ...payment.data, jp: { ...payment.data.jp, amount: 9000 } }, amount: 1600 }).catch((e: Error) => e)
      expect(String((direct as Error).message)).toMatch(/ERR0204.*Insufficient refund balance/)
      // the provider writes its pending mark (with the data it was given) to the payment before it sends:
      // put back what Medusa had, since the forged amount above was only to reach the gateway's rule
      await getContainer().resolve(Modules.PAYMENT).updatePayment({ id: payment.id, data: payment.data } as never)

      // the rest: ¥1,500
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 1500 }, s.admin)
      payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", amount: 0, refunded_amount: 2000 })
      expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "capture", "refund", "refund"])
      expect(sim.transactions().find((t) => t.id === captureTx.id)!.refunded).toBe(2000)
    })

    it("the shopper's IP (behind Medusa's trust proxy) and the cart's addresses reach the gateway; a storefront's own copies are refused", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const billing = { first_name: "太郎", last_name: "山田", address_1: "西新宿2-8-1", address_2: "都庁", city: "新宿区", province: "東京都", postal_code: "1600023", country_code: "jp", phone: "03-5321-1111" }
      const shipping = { ...billing, first_name: "Hanako", last_name: "Yamada", address_1: "1-1 Umeda", address_2: "", city: "Osaka", province: "Osaka", postal_code: "5300001", phone: "" }
      await api.post(`/store/carts/${cart.id}`, { billing_address: billing, shipping_address: shipping }, { headers })
      // a storefront's own copies of what the server sets are refused, naming the key
      for (const forged of [{ customer_ip: "198.51.100.1" }, { billing_address: { city: "forged" } }, { shipping_address: { city: "forged" } }]) {
        const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: PO, data: forged }, { headers }).catch(responseOf)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(new RegExp(`^data\\.${Object.keys(forged)[0]} `))
      }
      // its e-mail is dropped: the cart's is the payer's
      await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: PO, data: { email: "x@evil.test" } }, { headers: { ...headers, "x-forwarded-for": "203.0.113.7" } })
      const session = await sessionOf(api, cart.id, headers)
      expect(session.data.jp.payer).toMatchObject({
        email: "buyer@example.jp",
        ip: "203.0.113.7",
        billing: { name: "山田 太郎", postal_code: "1600023", province: "東京都", city: "新宿区", address_1: "西新宿2-8-1", address_2: "都庁", country_code: "jp" },
        shipping: { name: "Hanako Yamada", city: "Osaka", country_code: "jp" },
      })
      await complete(api, cart.id, headers)
      const link = sim.requests().find((r) => r.path.endsWith("/hpp/generate/link") && (r.body as any).merchant_txn_ref === session.data.jp.order_code)!
      expect((link.body as any).billing_address).toEqual({ country: "JP", email: "buyer@example.jp", phone_number: "0353211111", address1: "西新宿2-8-1 都庁", city: "新宿区", state: "東京都", postal_code: "1600023" })
      expect((link.body as any).shipping_address).toMatchObject({ country: "JP", address1: "1-1 Umeda", city: "Osaka", state: "Osaka", postal_code: "5300001" })
    })

    it("3-D Secure challenge succeeds on the purchase provider: the order is captured; a full refund", async () => {
      const { cart, headers, session } = await startCheckout(api, POC)
      const browser = await payInBrowser(session.data.jp.redirect.url, CHALLENGE)
      expect(browser.visited.some((u) => u.includes("/integration/3ds"))).toBe(true)
      expect(browser.end.searchParams.get("jp_result")).toBe("ok")
      const done = await complete(api, cart.id, headers)
      expect(done.data.type).toBe("order")
      let payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 3000, capture: true })
      expect(payment.captured_at).toBeTruthy()
      await api.post(`/admin/payments/${payment.id}/refund`, {}, s.admin)
      payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "refunded", amount: 0 })
    })

    it("3-D Secure challenge fails: back on the decline URL, no order, the reason on the session", async () => {
      const { cart, headers, session } = await startCheckout(api, PO)
      const browser = await payInBrowser(session.data.jp.redirect.url, CHALLENGE_FAILS)
      expect(browser.end.searchParams.get("jp_result")).toBe("failed")
      const res = await complete(api, cart.id, headers)
      expect(res.status).toBe(400)
      const after = await sessionOf(api, cart.id, headers)
      expect(after.status).toBe("error")
      expect(after.data.jp.error).toMatchObject({ code: "DECLINED", kind: "declined" })
      const tx = sim.transactions().find((t) => t.merchantTxnRef === session.data.jp.order_code)!
      expect(tx).toMatchObject({ status: "failed", responseCode: 937 })
    })

    it("a refused card and an expired card: no order", async () => {
      for (const card of [REFUSED, EXPIRED]) {
        const { cart, headers, session } = await startCheckout(api, PO)
        const browser = await payInBrowser(session.data.jp.redirect.url, card)
        expect(browser.end.searchParams.get("jp_result")).toBe("failed")
        expect((await complete(api, cart.id, headers)).status).toBe(400)
        const tx = sim.transactions().find((t) => t.merchantTxnRef === session.data.jp.order_code)!
        expect(tx.responseCode).toBe(card === REFUSED ? 5 : 54)
      }
    })

    it("without a webhook, completion asks the status call; voids an uncaptured order at the gateway", async () => {
      const { cart, headers, session } = await startCheckout(api, PO)
      sim.inject({ kind: "drop-webhook" })
      await payInBrowser(session.data.jp.redirect.url, FRICTIONLESS)
      expect(sim.webhooks().find((w) => (w.body as any).merchant_details.merchant_txn_ref === session.data.jp.order_code)?.dropped).toBe(true)
      const done = await complete(api, cart.id, headers)
      expect(done.data.type).toBe("order")
      await api.post(`/admin/orders/${done.data.order.id}/cancel`, {}, s.admin)
      const payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.canceled_at).toBeTruthy()
      expect(payment.data.jp.state).toBe("canceled")
      const tx = sim.transactions().find((t) => t.merchantTxnRef === session.data.jp.order_code && t.type === "PRE_AUTH")!
      expect(tx.voidedBy).toBeTruthy()
      expect(sim.transactions().find((t) => t.id === tx.voidedBy)).toMatchObject({ type: "VOID", status: "succeeded" })
    })

    it("a card saved on the hosted page is listed and paid again by payment_method_id (3-D Secure when it comes back)", async () => {
      const customer = await logInCustomer(api, s, "saver@example.jp")
      const { cart, headers, session } = await startCheckout(api, PO, { headers: customer.headers, data: { save_card: true } })
      const link = sim.requests().find((r) => r.path.endsWith("/hpp/generate/link") && (r.body as any).merchant_txn_ref === session.data.jp.order_code)!
      expect((link.body as any).payment_method).toEqual({ type: "scheme", store_payment_method: true })
      await payInBrowser(session.data.jp.redirect.url, CHALLENGE)
      const done = await complete(api, cart.id, headers)
      expect(done.data.type).toBe("order")
      const storedId = sim.storedCards()[sim.storedCards().length - 1].id
      const payment = await orderPayment(api, s, done.data.order.id)
      expect(payment.data.jp.saved_card).toEqual({ customerRef: customer.id, cardRef: storedId })

      // the customer's saved cards: the stored ids this customer made
      const provider = resolveCardProvider(getContainer(), "payment-options_po")
      const listed = await provider.listPaymentMethods({ context: { account_holder: { data: { ref: customer.id } } } } as never)
      expect(listed.map((m) => m.id)).toEqual([storedId])
      const other = await provider.listPaymentMethods({ context: { account_holder: { data: { ref: "cus_someone_else" } } } } as never)
      expect(other).toEqual([])
      // the filter runs in the database (JSON path), not over every payment of the shop
      const paymentService = (provider as unknown as { container: { paymentService: { list(f: unknown, c: unknown): Promise<unknown[]> } } }).container.paymentService
      expect(await paymentService.list({}, { select: ["id"] })).not.toHaveLength(0)
      expect(await paymentService.list({ data: { jp: { gateway: "payment-options", saved_card: { customerRef: "cus_someone_else" } } } }, { select: ["id"] })).toHaveLength(0)
      expect(await paymentService.list({ data: { jp: { gateway: "payment-options", saved_card: { customerRef: customer.id } } } }, { select: ["id"] })).toHaveLength(1)

      // pay again with it: the stored card is a challenge card, so 3-D Secure comes back first
      const again = await startCheckout(api, PO, { headers: customer.headers, data: { payment_method_id: storedId } })
      const use = sim.requests().find((r) => r.path.endsWith("/authorizationv2") && (r.body as any).merchant_txn_ref === again.session.data.jp.order_code)!
      expect((use.body as any).payment_method).toEqual({ type: "scheme", stored_payment_method_id: storedId })
      expect((use.body as any).card).toBeUndefined()
      expect(again.session.status).toBe("requires_more")
      expect(again.session.data.jp.redirect.url).toMatch(/\/integration\/3ds\?_token=/)
      const browser = await payInBrowser(again.session.data.jp.redirect.url, null)
      expect(browser.end.searchParams.get("jp_result")).toBe("ok")
      const second = await complete(api, again.cart.id, again.headers)
      expect(second.data.type).toBe("order")
      const p2 = await orderPayment(api, s, second.data.order.id)
      expect(p2.data.jp).toMatchObject({ state: "authorized", amount: 3000, saved_card: { cardRef: storedId } })

      // someone else's stored id is refused before the gateway is asked
      const stranger = await logInCustomer(api, s, "stranger@example.jp")
      const asked = sim.requests().length
      const c = await cartWithCollection(api, s, { headers: stranger.headers })
      const theft = await api.post(`/store/payment-collections/${c.collectionId}/payment-sessions`, { provider_id: PO, data: { payment_method_id: storedId } }, { headers: c.headers }).catch(responseOf)
      expect(theft.status).toBe(400)
      expect(theft.data.message).toMatch(/payment_method_id .* is not one of this customer's saved cards/)
      expect(sim.requests()).toHaveLength(asked)
    })

    it("a saved-card payment whose answer is lost is never sent again: the webhook names the transaction, the status call decides", async () => {
      const customer = await logInCustomer(api, s, "lost@example.jp")
      const first = await startCheckout(api, PO, { headers: customer.headers, data: { save_card: true } })
      await payInBrowser(first.session.data.jp.redirect.url, FRICTIONLESS)
      expect((await complete(api, first.cart.id, first.headers)).data.type).toBe("order")
      const storedId = sim.storedCards()[sim.storedCards().length - 1].id

      // the gateway authorises, but the connection drops before its answer
      sim.inject({ kind: "reset", after: true, path: "/api/v1/server-to-server-interface/authorizationv2" })
      const { cart, headers, first: res, session } = await startCheckout(api, PO, { headers: customer.headers, data: { payment_method_id: storedId } })
      // sent before Medusa makes an order: no order, no order number spent; the webhook completes the cart
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("cart")
      const code = session.data.jp.order_code
      const orderId = await waitFor(() => completedOrder(cart.id))
      const tx = sim.transactions().find((t) => t.merchantTxnRef === code)!
      expect(sim.requests().filter((r) => r.method === "POST" && (r.body as any)?.merchant_txn_ref === code)).toHaveLength(1)
      const asked = sim.requests().filter((r) => r.method === "GET" && r.path.includes("/transaction/status/")).map((r) => r.path.split("/").pop())
      expect(asked).toContain(tx.id)
      const payment = await orderPayment(api, s, orderId)
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, reference: tx.id })
      expect((await complete(api, cart.id, headers)).data.order.id).toBe(orderId)
    })

    it("refuses a forged webhook; a webhook delivered twice is processed once and completes a shopper who never came back", async () => {
      const handed: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe("payment.webhook_received", async (e: unknown) => {
          handed.push(e)
        })
      const { cart, headers, session } = await startCheckout(api, PO)
      const code = session.data.jp.order_code
      const body = JSON.stringify({
        success: true,
        status_code: 200,
        transaction_type: "PRE_AUTH",
        gateway_response: { code: "INFO0000", message: "Payment Successful." },
        payment_details: { amount: 3000, currency: "JPY", response_code: 0 },
        transaction_details: { id: "00000000-0000-0000-0000-000000000000", merchant_txn_ref: code },
      })
      const forged = await api
        .post(`/jp-payments/notify/${code}?ref=${code}&sig=${"0".repeat(64)}`, body, { headers: { "content-type": "application/json" } })
        .catch(responseOf)
      expect(forged.status).toBe(400)
      const unsigned = await api.post(`/jp-payments/notify/${code}`, body, { headers: { "content-type": "application/json" } }).catch(responseOf)
      expect(unsigned.status).toBe(400)
      expect((await sessionOf(api, cart.id, headers)).data.jp.notification).toBeNull()

      // The shopper pays but closes the browser on the way back: only the (duplicated) webhook arrives.
      sim.inject({ kind: "duplicate-webhook" })
      const page = session.data.jp.redirect.url as string
      const hpp = await fetch(page)
      const action = new URL((await hpp.text()).match(/action="([^"]+)" id="hpp"/)![1], page).toString()
      const paid = await fetch(action, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ card_number: FRICTIONLESS.number, expiry_month: "12", expiry_year: "2030", cvc: "123", card_name: "TARO YAMADA" }),
      })
      expect(paid.status).toBe(303) // to the success URL, which nobody follows
      const hooks = sim.webhooks().filter((w) => (w.body as any).merchant_details.merchant_txn_ref === code)
      expect(hooks).toHaveLength(2)
      expect(hooks.every((w) => w.status === 200)).toBe(true)

      const orderId = await waitFor(() => completedOrder(cart.id))
      expect(handed).toHaveLength(1)
      const payment = await orderPayment(api, s, orderId)
      const tx = sim.transactions().find((t) => t.merchantTxnRef === code && t.type === "PRE_AUTH")!
      expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, reference: tx.id })
      // the webhook was only a hint: the status call decided
      expect(sim.requests().filter((r) => r.method === "GET" && r.path.endsWith(`/transaction/status/${tx.id}`)).length).toBeGreaterThanOrEqual(1)
      // the storefront's completion now finds the order
      const again = await complete(api, cart.id, headers)
      expect(again.data.type).toBe("order")
      expect(again.data.order.id).toBe(orderId)
    })

    it("a return with a forged or another order's signature is refused and changes nothing", async () => {
      const { cart, headers, session } = await startCheckout(api, PO)
      const code = session.data.jp.order_code
      const bad = await api.get(`/jp-payments/return/${code}?po=ok&sig=${"a".repeat(64)}`).catch(responseOf)
      expect(bad.status).toBe(400)
      const other = await startCheckout(api, PO)
      const link = sim.requests().find((r) => r.path.endsWith("/hpp/generate/link") && (r.body as any).merchant_txn_ref === other.session.data.jp.order_code)!
      const otherOk = new URL((link.body as any).return_url.success_url)
      const replay = await api.get(`/jp-payments/return/${code}${otherOk.search}`).catch(responseOf)
      expect(replay.status).toBe(400)
      expect((await sessionOf(api, cart.id, headers)).data.jp.returned).toBeNull()
    })
  },
})

