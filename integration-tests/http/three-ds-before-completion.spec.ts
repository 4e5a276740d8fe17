// 3-D Secure (or the gateway's page) starts with the payment session, so the storefront completes the
// cart once: SBPS, PAYGENT and PaymentOptions end to end in one real Medusa app. Each successful
// checkout is one completion, the orders' display ids follow each other (none spent on a refused
// completion), and the app logs no error; an early completion, a failed challenge and a cart whose
// total changed after 3-D Secure make no order.
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosInstance } from "axios"
import { cartWithCollection, paymentSession, setUpStore, type Store, responseOf } from "../helpers/store"
import { runThreeDS, sbpsTokens, useSbpsSimulator } from "../helpers/sbps"
import { usePaygentSimulator } from "../helpers/paygent"
import { payInBrowser, usePaymentOptionsSimulator } from "../helpers/payment-options"
import { createPaygentToken, runAcs } from "../../src/simulator/paygent/shopper"

jest.setTimeout(240_000)

const SBPS = "pp_sbps_sbps"
const PG = "pp_paygent_pg"
const PO = "pp_payment-options_po"
const SBPS_CHALLENGE = "4000000000001091"
const SBPS_FRICTIONLESS = "4111111111111111"
const SBPS_TDS_FAILS = "4000000000001109"

const sbps = useSbpsSimulator()
const paygent = usePaygentSimulator()
const po = usePaymentOptionsSimulator()
// The last simulator helper chose the app's port: PAYGENT's term_url must name the same one.
beforeAll(() => {
  process.env.PAYGENT_BACKEND_URL = `http://localhost:${process.env.PORT}`
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    let errors: string[]

    beforeEach(async () => {
      sbps.sim.clearFaults()
      paygent.sim.clearFaults()
      s = await setUpStore(api, getContainer(), [SBPS, PG, PO])
      // Every error the app logs from here on (Medusa's logger is one object for the whole app).
      errors = []
      const logger = getContainer().resolve("logger") as { error: (...a: unknown[]) => unknown }
      jest.spyOn(logger, "error").mockImplementation((...a: unknown[]) => {
        errors.push(a.map((x) => (x instanceof Error ? x.stack : String(x))).join(" "))
      })
    })
    afterEach(() => jest.restoreAllMocks())

    const appUrl = () => `http://localhost:${process.env.PORT}`
    const sessionOf = async (cartId: string, headers: Record<string, string>) =>
      (await api.get(`/store/carts/${cartId}?fields=*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]
    const complete = (cartId: string, headers: Record<string, string>) => api.post(`/store/carts/${cartId}/complete`, {}, { headers }).catch(responseOf)
    /** The browser on our return route (path of our own app), not following on to the storefront. */
    const visitOurs = (url: string) => {
      const u = new URL(url)
      return api.get(u.pathname + u.search, { maxRedirects: 0, validateStatus: () => true })
    }

    /** SBPS: cart → session → tokens → session with the tokens: its data holds the 3-D Secure redirect at once. */
    async function sbpsSession(a: AxiosInstance, pan: string, quantity = 1, existing?: { cart: any; collectionId: string; headers: Record<string, string> }) {
      const c = existing ?? (await cartWithCollection(a, s, { quantity }))
      const first = await paymentSession(a, c.collectionId, SBPS, c.headers)
      const tokens = await sbpsTokens(sbps.sim.url, first.data.jp.browser, pan)
      const session = await paymentSession(a, c.collectionId, SBPS, c.headers, tokens)
      return { ...c, session }
    }

    it("SBPS: the session carries TA02's redirect; back from the challenge, one completion makes the order; no error logged", async () => {
      const { cart, headers, session } = await sbpsSession(api, SBPS_CHALLENGE, 2)
      expect(session.status).toBe("requires_more")
      expect(session.data.jp).toMatchObject({ attempt: "redirect", amount: 3000, redirect_amount: 3000, redirect: { url: expect.stringContaining(`${sbps.sim.url}/tds2/authenticate/`) } })
      expect(session.data.token ?? null).toBeNull()
      expect(session.data.token_key ?? null).toBeNull()
      const returned = await visitOurs(await runThreeDS(session.data.jp.redirect.url))
      expect(returned.status).toBe(303)
      const done = await complete(cart.id, headers)
      expect(done.data.type).toBe("order")
      expect(done.data.order.total).toBe(3000)
      expect(errors).toEqual([])
    })

    it("PAYGENT: the session carries 450's out_acs_html; back from the challenge, one completion makes the order; no error logged", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const first = await paymentSession(api, collectionId, PG, headers)
      const b = first.data.jp.browser
      const t = await createPaygentToken(paygent.sim.browserUrl, paygent.sim.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: "4000000000000002", name: "BAVCA" })
      const session = await paymentSession(api, collectionId, PG, headers, { ...t })
      expect(session.status).toBe("requires_more")
      expect(session.data.jp).toMatchObject({ attempt: "redirect", redirect_amount: 3000 })
      expect(session.data.jp.redirect.html).toMatch(/<form name="submitForm"/)
      // PAYGENT's 020 takes the token again after 3-D Secure (tokenAfterRedirect); nothing was authorized yet: 450 only
      expect(paygent.sim.requests().filter((r) => r.params.trading_id === session.data.jp.order_code).map((r) => r.kind)).toEqual(["450"])
      const { termUrl, challenged } = await runAcs(session.data.jp.redirect.html, paygent.sim.certificates.caFile, { simUrl: paygent.sim.browserUrl, password: "14012" })
      expect(challenged).toBe(true)
      await api.get(termUrl.slice(appUrl().length), { maxRedirects: 0, validateStatus: () => true })
      const done = await complete(cart.id, headers)
      expect(done.data.type).toBe("order")
      expect(paygent.sim.requests().filter((r) => r.params.trading_id === session.data.jp.order_code).map((r) => r.kind)).toEqual(["450", "020"])
      expect(errors).toEqual([])
    })

    it("PaymentOptions: hosted_page asks for the page's link with the session; paid there, one completion makes the order; no error logged", async () => {
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
      const plain = await paymentSession(api, collectionId, PO, headers)
      // a session made only to read the browser config starts nothing
      expect(plain.data.jp.attempt).toBeNull()
      const session = await paymentSession(api, collectionId, PO, headers, { hosted_page: true })
      expect(session.status).toBe("requires_more")
      expect(session.data.jp).toMatchObject({ attempt: "redirect", source: "hosted", redirect_amount: 3000 })
      const browser = await payInBrowser(session.data.jp.redirect.url, { number: "4000000000001000" })
      expect(browser.end.searchParams.get("jp_result")).toBe("ok")
      const done = await complete(cart.id, headers)
      expect(done.data.type).toBe("order")
      expect(errors).toEqual([])
    })

    it("a completion before the shopper came back makes no order; the order numbers stay consecutive", async () => {
      const one = await sbpsSession(api, SBPS_FRICTIONLESS)
      await visitOurs(await runThreeDS(one.session.data.jp.redirect.url))
      const first = (await complete(one.cart.id, one.headers)).data
      expect(first.type).toBe("order")

      const two = await sbpsSession(api, SBPS_FRICTIONLESS)
      const early = await complete(two.cart.id, two.headers)
      expect(early.status).toBe(200)
      expect(early.data.type).toBe("cart")
      expect(early.data.error.message).toMatch(/REDIRECT_PENDING: the shopper has not come back/)
      // nothing changed: the session still waits on the same redirect, and SBPS got no authorization
      const still = await sessionOf(two.cart.id, two.headers)
      expect(still.data.jp).toMatchObject({ attempt: "redirect", returned: null, redirect: two.session.data.jp.redirect })
      await visitOurs(await runThreeDS(still.data.jp.redirect.url))
      const second = (await complete(two.cart.id, two.headers)).data
      expect(second.type).toBe("order")
      expect(second.order.display_id).toBe(first.order.display_id + 1)
    })

    it("a failed challenge makes no order and leaves the cart payable with another card", async () => {
      const before = await sbpsSession(api, SBPS_FRICTIONLESS)
      await visitOurs(await runThreeDS(before.session.data.jp.redirect.url))
      const prior = (await complete(before.cart.id, before.headers)).data

      const c = await sbpsSession(api, SBPS_TDS_FAILS)
      const back = await visitOurs(await runThreeDS(c.session.data.jp.redirect.url))
      expect(back.headers.location).toMatch(/jp_result=failed/)
      const refused = await complete(c.cart.id, c.headers)
      expect(refused.data.type).toBe("cart")
      expect(refused.data.error.message).toMatch(/pay with another card/)
      // another card: a new session, a new 3-D Secure, one completion
      const again = await sbpsSession(api, SBPS_FRICTIONLESS, 1, c)
      await visitOurs(await runThreeDS(again.session.data.jp.redirect.url))
      const done = (await complete(c.cart.id, c.headers)).data
      expect(done.type).toBe("order")
      expect(done.order.display_id).toBe(prior.order.display_id + 1)
    })

    it("a cart whose total changed after 3-D Secure is not paid at the old amount: a new authentication for the new total", async () => {
      const c = await sbpsSession(api, SBPS_FRICTIONLESS, 1)
      await visitOurs(await runThreeDS(c.session.data.jp.redirect.url))
      // one more item: Medusa drops the session (its amount no longer fits the cart)
      await api.post(`/store/carts/${c.cart.id}/line-items`, { variant_id: s.variantId, quantity: 1 }, { headers: c.headers })
      const stale = await complete(c.cart.id, c.headers)
      expect(stale.data.type).not.toBe("order")
      // the storefront starts again with the card: 3-D Secure for the new total
      const again = await sbpsSession(api, SBPS_FRICTIONLESS, 1, c)
      expect(again.session.data.jp).toMatchObject({ amount: 3000, redirect_amount: 3000, attempt: "redirect" })
      await visitOurs(await runThreeDS(again.session.data.jp.redirect.url))
      const done = (await complete(c.cart.id, c.headers)).data
      expect(done.type).toBe("order")
      expect(done.order.total).toBe(3000)
    })

    it("a session given a new amount by updatePaymentSession after 3-D Secure is refused (AMOUNT_CHANGED) before any order", async () => {
      const c = await sbpsSession(api, SBPS_FRICTIONLESS, 2)
      await visitOurs(await runThreeDS(c.session.data.jp.redirect.url))
      const payment = getContainer().resolve("payment") as any
      const [ses] = await payment.listPaymentSessions({ id: c.session.id })
      await payment.updatePaymentSession({ id: ses.id, data: ses.data, amount: 1500, currency_code: "jpy" })
      const refused = await complete(c.cart.id, c.headers)
      expect(refused.data.type).toBe("cart")
      expect(refused.data.error.message).toMatch(/AMOUNT_CHANGED: 3-D Secure was done for 3000 but the payment is now 1500/)
      const after = await sessionOf(c.cart.id, c.headers)
      expect(after.data.jp).toMatchObject({ amount: 1500, redirect_amount: 3000, attempt: "redirect" })
    })
  },
})
