// 請求管理ロボ end to end: a real Medusa app on a real PostgreSQL and the 請求管理ロボ simulator over
// HTTP. A logged-in customer registers a card through the plugin's store routes (CPToken.js and
// ThreeDSAdapter as the browser calls them, a 3-D Secure challenge included), replaces it, and pays
// an order through the provider (即時決済); the webhook is forged and duplicated; another customer
// reaches only their own 請求先; 429 and 503 are handled.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { AxiosInstance } from "axios"
import type { BillingRoboSimulator } from "../../src/simulator/billing-robo"
import { BR, SIGNATURE_KEY, authenticate, createToken, useBillingRoboSimulator } from "../helpers/billing-robo"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, responseOf, setUpStore, type Store, waitFor } from "../helpers/store"

jest.setTimeout(600_000)

const simulator = useBillingRoboSimulator()
let sim: BillingRoboSimulator
beforeAll(() => {
  sim = simulator.sim
})

const ADDRESS = {
  first_name: "花子",
  last_name: "山田",
  phone: "090-1234-5678",
  postal_code: "150-0001",
  province: "東京都",
  city: "渋谷区",
  address_1: "神宮前1-2-3",
  country_code: "jp",
  is_default_billing: true,
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store

    beforeEach(async () => {
      sim.clearFaults()
      s = await setUpStore(api, getContainer(), [BR])
    })

    async function customerWithAddress(email: string) {
      const c = await logInCustomer(api, s, email)
      await api.post("/store/customers/me/addresses", ADDRESS, { headers: c.headers })
      return c
    }

    /** What the storefront helper does: prepare, CPToken.js, ThreeDSAdapter.authenticate (am 0, em/pn), token. */
    async function registerCard(a: AxiosInstance, headers: Record<string, string>, cn = "4111111111111111") {
      const prep = (await a.post("/store/jp-payments/card-registration", { provider_id: BR }, { headers })).data
      const tkn = await createToken(sim.url, prep.browser.aid, { cn })
      await authenticate(sim.url, prep.browser.aid, tkn, prep.browser.three_ds)
      const done = (await a.post("/store/jp-payments/card-registration/token", { provider_id: BR, token: tkn }, { headers })).data
      return { prep, done, tkn }
    }

    async function metadataOf(customerId: string) {
      return (await api.get(`/admin/customers/${customerId}?fields=+metadata`, s.admin)).data.customer.metadata?.jp_card_registration?.[BR]
    }

    async function checkout(headers: Record<string, string>) {
      const { cart, collectionId } = await cartWithCollection(api, s, { quantity: 2, headers })
      await paymentSession(api, collectionId, BR, headers)
      /** Why the last completion failed, as the provider left it on the session (Medusa's own answer is generic). */
      const reason = async () => {
        const c = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers })).data.cart
        return c.payment_collection.payment_sessions[0].data.jp.error as { code: string; kind: string; message: string }
      }
      /** A new session, as a storefront starts again after a failed payment. */
      const again = () => paymentSession(api, collectionId, BR, headers)
      return { cart, reason, again, complete: () => api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf) }
    }

    it("registers a card with a 3-D Secure challenge, replaces it, and charges an order through 即時決済", async () => {
      const hanako = await customerWithAddress("hanako@example.jp")
      const { prep, done } = await registerCard(api, hanako.headers)
      expect(prep.browser).toMatchObject({ aid: "123456", three_ds: { am: 0, tx: 0, sf: 0, em: "hanako@example.jp", pn: "09012345678" } })
      expect(prep.browser.scripts.cptoken).toBe(`${sim.url}/gateway/js/CPToken.js`)
      expect(prep.registration).toMatchObject({ registered: false, register_status: 1 })
      expect(done.registration).toMatchObject({ registered: true, register_status: 5, register_status_text: { ja: "登録完了" } })
      const billing = sim.billings().find((b) => b.code === done.registration.billing_code)!
      expect(billing.individuals[0]).toMatchObject({ name: "山田 花子", zip_code: "1500001", pref: "東京都", city_address: "渋谷区神宮前1-2-3", tel: "09012345678", email: "hanako@example.jp" })
      // The webhook reached the app and was recorded on the customer.
      const meta = await waitFor(async () => ((await metadataOf(hanako.id))?.credit_status === 2 ? metadataOf(hanako.id) : null))
      expect(meta).toMatchObject({ billing_code: done.registration.billing_code, registered: true, register_status: 5 })
      expect(JSON.stringify(meta)).not.toMatch(/4111|simaccesskey|signature/i)
      // The admin's view of the customer: the 請求先 code and the states in words.
      const adminView = (await api.get(`/admin/jp-payments/customers/${hanako.id}/card-registration`, s.admin)).data.registrations
      expect(adminView).toEqual([
        expect.objectContaining({ provider_id: BR, billing_code: done.registration.billing_code, registered: true, register_status_text: { ja: "登録完了", en: "registered" }, credit_status_text: { ja: "完了", en: "done" }, fetch_error: null }),
      ])

      // Replace the card.
      await registerCard(api, hanako.headers, "5555555555554444")
      expect(sim.billings().find((b) => b.code === done.registration.billing_code)!.payments[0].card!.masked).toMatch(/4444$/)

      // An order: the provider charges the registered card; it appears as a bill of the 請求先.
      const { complete } = await checkout(hanako.headers)
      const order = await complete()
      expect(order.data.type).toBe("order")
      const bill = sim.bills().at(-1)!
      expect(bill).toMatchObject({ billing_code: done.registration.billing_code, total: 3000 })
      const payment = await orderPayment(api, s, order.data.order.id)
      expect(payment.data.jp).toMatchObject({ state: "captured", amount: 3000, reference: String(bill.number) })

      // Refund: 請求管理ロボ's API has none; the answer says what to do in its control panel.
      const refund = await api.post(`/admin/payments/${payment.id}/refund`, { amount: 3000 }, s.admin).catch(responseOf)
      expect(refund.status).toBeGreaterThanOrEqual(400)
      expect(JSON.stringify(refund.data)).toMatch(/control panel/)
    })

    it("tells a customer without a registered card how to register one, and charges nothing", async () => {
      const taro = await customerWithAddress("taro@example.jp")
      const before = sim.bills().length
      const { complete, reason } = await checkout(taro.headers)
      const r = await complete()
      expect(r.status).toBe(400)
      expect(await reason()).toMatchObject({ code: "NO_REGISTERED_CARD", message: expect.stringMatching(/Register a card first \(POST \/store\/jp-payments\/card-registration\)/) })
      expect(sim.bills().length).toBe(before)
    })

    it("lets a customer reach only their own 請求先", async () => {
      const a = await customerWithAddress("a@example.jp")
      const b = await customerWithAddress("b@example.jp")
      const { done } = await registerCard(api, a.headers)
      const bView = (await api.get(`/store/jp-payments/card-registration?provider_id=${BR}`, { headers: b.headers })).data.registration
      expect(bView.billing_code).not.toBe(done.registration.billing_code)
      expect(bView.registered).toBe(false)
      // b's token cannot land on a's 請求先: the route derives the code from b's login; b has none prepared.
      const tkn = await createToken(sim.url, "123456", { cn: "4444333322221111" })
      const r = await api.post("/store/jp-payments/card-registration/token", { provider_id: BR, token: tkn, billing_code: done.registration.billing_code }, { headers: b.headers }).catch(responseOf)
      expect(r.status).toBe(400)
      expect(r.data.message).toMatch(/prepare the registration first/)
      // Without a login, nothing.
      const anon = await api.get(`/store/jp-payments/card-registration?provider_id=${BR}`, { headers: s.store.headers }).catch(responseOf)
      expect(anon.status).toBe(401)
    })

    it("refuses a forged webhook and applies a duplicated one once", async () => {
      const c = await customerWithAddress("webhook@example.jp")
      sim.inject({ kind: "duplicate-webhook", times: 2 })
      const { done } = await registerCard(api, c.headers, "4444333322221111")
      // Two webhooks (the card 決済情報 made, then registered), each sent twice: all four answered.
      const mine = () => sim.webhooks().filter((w) => (w.body.event_detail as any).billing_code === done.registration.billing_code)
      await waitFor(async () => (mine().length === 4 && mine().every((w) => w.status !== null) ? true : null))
      await waitFor(async () => ((await metadataOf(c.id))?.credit_status === 2 ? true : null))
      const meta = await metadataOf(c.id)
      const applied = meta.events.length
      const genuine = sim.webhooks().filter((w) => (w.body.event_detail as any).billing_code === done.registration.billing_code).at(-1)!.body
      expect(sim.webhooks().every((w) => w.status === 200)).toBe(true)
      // The same event again: no change.
      const url = `/jp-payments/card-registration/${BR}/webhook`
      expect((await api.post(url, genuine)).status).toBe(200)
      expect((await metadataOf(c.id)).events.length).toBe(applied)
      // Forged: another key; a status that would unregister the card is refused.
      const forged = { ...genuine, BillingRoboSignaturekey: "not-the-key", event_detail: { ...(genuine.event_detail as object), payment_status: "6", credit_status: "3" } }
      const r = await api.post(url, forged).catch(responseOf)
      expect(r.status).toBe(401)
      expect(await metadataOf(c.id)).toMatchObject({ registered: true, credit_status: 2 })
      expect(SIGNATURE_KEY).not.toBe("not-the-key")
    })

    it("handles 429 (backs off on reads; a refused charge is not resent) and 503 maintenance", async () => {
      const c = await customerWithAddress("limits@example.jp")
      await registerCard(api, c.headers, "4444333322221111")
      // A read answered 429 twice: the client waits and asks again.
      sim.inject({ kind: "status", status: 429, path: "/api/v1.0/billing_payment_method/search", times: 2 })
      const view = (await api.get(`/store/jp-payments/card-registration?provider_id=${BR}`, { headers: c.headers })).data.registration
      expect(view.registered).toBe(true)
      // The charge answered 429: refused before processing, said so; not resent by the plugin.
      const before = sim.requests().filter((r) => r.path === "/api/demand/bulk_register").length
      sim.inject({ kind: "status", status: 429, path: "/api/demand/bulk_register" })
      const { complete, reason, again } = await checkout(c.headers)
      const r1 = await complete()
      expect(r1.status).toBe(400)
      expect(await reason()).toMatchObject({ code: "HTTP_429", kind: "retry", message: expect.stringMatching(/nothing was processed/) })
      expect(sim.requests().filter((r) => r.path === "/api/demand/bulk_register").length).toBe(before + 1)
      // Maintenance (503, code 19): the same.
      sim.inject({ kind: "maintenance", path: "/api/demand/bulk_register" })
      await again()
      const r2 = await complete()
      expect(r2.status).toBe(400)
      expect(await reason()).toMatchObject({ code: "19", kind: "retry", message: expect.stringMatching(/maintenance/) })
      // Afterwards the shopper completes again and pays once.
      const bills = sim.bills().length
      await again()
      const r3 = await complete()
      expect(r3.data.type).toBe("order")
      expect(sim.bills().length).toBe(bills + 1)
    })
  },
})
