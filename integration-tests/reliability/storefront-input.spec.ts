// R7 — bad input from the storefront: oversized bodies, wrong types, another customer's ids, an amount
// or currency of the storefront's own, the plugin's state keys forged. Each is answered 4xx with a
// message naming the field; nothing is stored (the cart's payment sessions, the customers' saved cards
// are as they were) and nothing reaches a gateway (the simulators' requests are as they were).
// The cases that depend on the gateway (the plugin's state keys forged, the token's companions, another
// customer's saved card) are run for ROBOT PAYMENT, PAYGENT, SBPS and PaymentOptions; 請求管理ロボ, which
// charges the card registered on the customer's 請求先, gets the state keys forged, card data and the
// fields its sessions refuse, and another customer's registered card and 請求先.
// One Medusa app, the ROBOT PAYMENT, PAYGENT, SBPS, 請求管理ロボ and PaymentOptions simulators over HTTP;
// the figure counts the cases.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AxiosResponse } from "axios"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import type { PaygentSimulator } from "../../src/simulator/paygent"
import type { SbpsSimulator } from "../../src/simulator/sbps"
import type { PaymentOptionsSimulator } from "../../src/simulator/payment-options"
import type { BillingRoboSimulator } from "../../src/simulator/billing-robo"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { createPaygentToken } from "../../src/simulator/paygent/shopper"
import { cartWithCollection, logInCustomer, paymentSession, setUpStore, type Store } from "../helpers/store"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"
import { PAYGENT_MERCHANT as M, usePaygentSimulator } from "../helpers/paygent"
import { sbpsTokens, SBPS_MERCHANT, useSbpsSimulator } from "../helpers/sbps"
import { payInBrowser, usePaymentOptionsSimulator } from "../helpers/payment-options"
import { authenticate as brAuthenticate, createToken as brCreateToken, useBillingRoboSimulator } from "../helpers/billing-robo"
import { reportFigure } from "./figures"

jest.setTimeout(240_000)

const RP = "pp_robot-payment_rp"
const PG = "pp_paygent_pg"
const BR = "pp_billing-robo_br"
const SBPS = "pp_sbps_sbps"
const PO = "pp_payment-options_po"

const rpRef = useRobotPaymentSimulator()
const pgRef = usePaygentSimulator()
const sbRef = useSbpsSimulator()
const brRef = useBillingRoboSimulator()
// Last: its app port (PORT) is the one the app boots on, so PaymentOptions' returns and webhooks reach it
// (PAYGENT's term_url, set by usePaygentSimulator, is never visited in this spec).
const poRef = usePaymentOptionsSimulator()

const cases: Array<{ name: string; ok: boolean; error?: string }> = []
afterAll(() => {
  const failed = cases.filter((c) => !c.ok)
  reportFigure({
    id: "R7",
    title: "bad input from the storefront",
    passed: cases.length - failed.length,
    total: cases.length,
    detail: failed.length
      ? failed.map((c) => `FAILED ${c.name}: ${c.error}`).join("\n")
      : "payment-session data (ROBOT PAYMENT, PAYGENT, SBPS, 請求管理ロボ, PaymentOptions), /store/jp-payments/payment-methods, /store/jp-payments/card-registration: 4xx naming the field, nothing stored, nothing sent",
  })
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    let rp: RobotPaymentSimulator
    let pg: PaygentSimulator
    let sb: SbpsSimulator
    let po: PaymentOptionsSimulator
    let br: BillingRoboSimulator

    beforeEach(async () => {
      rp = rpRef.sim
      pg = pgRef.sim
      sb = sbRef.sim
      po = poRef.sim
      br = brRef.sim
      // No credit_status_issue webhooks here (billing-robo.spec and R2 have them): one arriving during a
      // case would change a customer's metadata, which each case compares.
      br.setWebhookUrl(undefined)
      s = await setUpStore(api, getContainer(), [RP, PG, BR, SBPS, PO])
    })

    /** Everything the bad input must leave alone: the collection's sessions, the customers (metadata, account holders), payments, and every simulator's requests. */
    async function world(collectionId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: pcs } = await query.graph({ entity: "payment_collection", fields: ["id", "status", "payment_sessions.*", "payments.id"], filters: { id: collectionId } })
      const { data: customers } = await query.graph({ entity: "customer", fields: ["id", "metadata", "addresses.*", "account_holders.*"] })
      return JSON.parse(
        JSON.stringify({
          pc: pcs[0],
          customers,
          rp: rp.requests().length,
          pg: pg.requests().length,
          sb: sb.requests().length,
          po: po.requests().length,
          br: br.requests().length,
          // what pays, saves or deletes at the gateway (a lookup of the customer's cards is none of these)
          rpWrites: rp.requests().filter((r) => /\/gateway\/(gateway_token|gateway|onetouch|carduser_token)\.aspx$/.test(r.path)).length,
          pgWrites: pg.requests().filter((r) => ["450", "020", "021", "022", "023", "025", "026", "028", "029"].includes(r.kind)).length,
          // SBPS: all but 参照 (MG01) and 顧客情報参照 (MG02-00104); PaymentOptions: every POST (its status call is a GET)
          sbWrites: sb.requests().filter((r) => r.id !== "MG01-00101-101" && r.id !== "MG02-00104-101").length,
          poWrites: po.requests().filter((r) => r.method !== "GET").length,
          // 請求管理ロボ: 請求先 upserts, card registrations, 即時決済; and what it holds (cards on 請求先, bills)
          brWrites: br.requests().filter((r) => r.path !== "/api/v1.0/billing_payment_method/search").length,
          brBillings: br.billings(),
          brBills: br.bills(),
        })
      )
    }

    /** One case: answered 4xx, its message names `field`, and the world is as it was. */
    async function refused(failures: string[], name: string, collectionId: string, send: () => Promise<AxiosResponse>, field: RegExp, status: number | number[] = 400, lookup = false) {
      try {
        const before = await world(collectionId)
        // A case that must find out whose card an id is may look the customer's cards up at the gateway, and nothing more.
        const seen = lookup ? (w: any) => ({ ...w, rp: undefined, pg: undefined, sb: undefined, po: undefined, br: undefined }) : (w: any) => w
        const res = await send()
        const statuses = Array.isArray(status) ? status : [status]
        const message = typeof res.data === "object" ? String(res.data?.message) : String(res.data)
        expect({ status: statuses.includes(res.status) ? statuses[0] : res.status, message }).toEqual({ status: statuses[0], message: expect.stringMatching(field) })
        expect(seen(await world(collectionId))).toEqual(seen(before))
        cases.push({ name, ok: true })
      } catch (e) {
        const error = (e as Error).message.replace(/\s+/g, " ").slice(0, 500)
        cases.push({ name, ok: false, error })
        failures.push(`${name}: ${error}`)
      }
    }

    const opts = (headers: Record<string, string>) => ({ headers, validateStatus: () => true, maxBodyLength: Infinity, maxContentLength: Infinity })

    it("payment-session data: refused with a message naming the field, no session stored, nothing sent to the gateway", async () => {
      const failures: string[] = []
      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 1 })
      const create = (body: unknown) => () => api.post(`/store/payment-collections/${collectionId}/payment-sessions`, body, opts(headers))
      const rpData = (data: unknown) => create({ provider_id: RP, data })
      const paidJp = { v: 1, gateway: "robot-payment", state: "authorized", reference: "1", references: {}, amount: 1, authorized_amount: 1, refunded_amount: 0, history: [] }

      // the plugin's state, what the server sets, an amount or currency
      await refused(failures, "forged paid state (data.jp)", collectionId, rpData({ token: "forgedtoken1234", jp: paidJp }), /^data\.jp /)
      await refused(failures, "forged notification (data.jp.notification)", collectionId, rpData({ token: "forgedtoken1234", jp: { notification: { succeeded: true, amount: 1500 } } }), /^data\.jp /)
      await refused(failures, "forged 3-D Secure amount (data.jp.redirect_amount)", collectionId, rpData({ jp: { redirect_amount: 1 } }), /^data\.jp /)
      await refused(failures, "forged retry (data.retry_of)", collectionId, rpData({ retry_of: { payment_id: "1", trading_id: "x" } }), /^data\.retry_of /)
      await refused(failures, "forged shopper address (data.customer_ip)", collectionId, rpData({ customer_ip: "198.51.100.1" }), /^data\.customer_ip /)
      await refused(failures, "forged billing address", collectionId, rpData({ billing_address: { city: "x" } }), /^data\.billing_address /)
      await refused(failures, "forged shipping address", collectionId, rpData({ shipping_address: { city: "x" } }), /^data\.shipping_address /)
      await refused(failures, "an amount that is not the cart's (data.amount)", collectionId, rpData({ amount: 1 }), /^data\.amount /)
      await refused(failures, "the cart's amount as a string (data.amount)", collectionId, rpData({ amount: "1500" }), /^data\.amount /)
      await refused(failures, "another currency (data.currency)", collectionId, rpData({ currency: "usd" }), /^data\.currency /)
      await refused(failures, "another currency (data.currency_code)", collectionId, rpData({ currency_code: "usd" }), /^data\.currency_code /)
      // wrong types
      await refused(failures, "token a number", collectionId, rpData({ token: 12 }), /token/)
      await refused(failures, "token an object", collectionId, rpData({ token: { $ne: "" } }), /token/)
      await refused(failures, "token far too long", collectionId, rpData({ token: "a".repeat(5000) }), /token/)
      await refused(failures, "payment_method_id a number", collectionId, rpData({ payment_method_id: 1 }), /payment_method_id/)
      await refused(failures, "payment_method_id a path", collectionId, rpData({ payment_method_id: "../../1" }), /payment_method_id/)
      await refused(failures, "save_card a string", collectionId, rpData({ token: "abcdefghijk1234", save_card: "yes" }), /save_card/)
      await refused(failures, "token and payment_method_id both", collectionId, rpData({ token: "abcdefghijk1234", payment_method_id: "1" }), /token or payment_method_id/)
      await refused(failures, "email a number", collectionId, rpData({ email: 5 }), /^data\.email /)
      await refused(failures, "phone an object", collectionId, rpData({ phone: { n: 1 } }), /^data\.phone /)
      await refused(failures, "return_url a script", collectionId, rpData({ return_url: "javascript:alert(1)" }), /return_url/)
      await refused(failures, "return_url a number", collectionId, rpData({ return_url: 5 }), /return_url/)
      await refused(failures, "data a string", collectionId, rpData("token=abc"), /data/)
      await refused(failures, "data a list", collectionId, rpData([{ token: "abcdefghijk1234" }]), /data/)
      await refused(failures, "provider_id a number", collectionId, create({ provider_id: 12 }), /provider_id/)
      await refused(failures, "an amount beside provider_id", collectionId, create({ provider_id: RP, amount: 1 }), /amount/)
      // a guest cannot use or keep saved cards
      await refused(failures, "a guest naming a saved card", collectionId, rpData({ payment_method_id: "1" }), /logged-in customer/)
      await refused(failures, "a guest saving a card", collectionId, rpData({ token: "abcdefghijk1234", save_card: true }), /logged-in customer/)
      // oversized
      await refused(failures, "a body of 2 MB", collectionId, rpData({ token: "abcdefghijk1234", pad: "x".repeat(2 * 1024 * 1024) }), /too large|large|limit/i, [400, 413])
      // PAYGENT: its token's companions are checked too
      const pgt = await createPaygentToken(pg.browserUrl, pg.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number: "4000000000000002" })
      await refused(failures, "PAYGENT token with a forged hc", collectionId, create({ provider_id: PG, data: { ...pgt, hc: "0".repeat(64) } }), /hc/)
      await refused(failures, "PAYGENT token with another card's mask (hc no longer verifies)", collectionId, create({ provider_id: PG, data: { ...pgt, masked_card_number: "************1111" } }), /hc/)

      // The plugin's state keys forged, for the other gateways: each beside what would otherwise make that
      // gateway act (a real PAYGENT token; SBPS token and token_key, which start 3-D Secure at SBPS;
      // PaymentOptions' hosted page, asked for at completion).
      const sbt = await sbpsTokens(sb.url, { merchant_id: SBPS_MERCHANT.merchantId, service_id: SBPS_MERCHANT.serviceId, three_ds: true }, "4111111111111111")
      const others: Array<[string, string, string, Record<string, unknown>]> = [
        ["PAYGENT", PG, "paygent", { ...pgt }],
        ["SBPS", SBPS, "sbps", sbt],
        ["PaymentOptions", PO, "payment-options", {}],
        // nothing in the data makes 請求管理ロボ act: it charges the registered card at completion
        ["請求管理ロボ", BR, "billing-robo", {}],
      ]
      for (const [gw, provider, gateway, source] of others) {
        const data = (d: unknown) => create({ provider_id: provider, data: d })
        const jp = { ...paidJp, gateway }
        await refused(failures, `${gw}: forged paid state (data.jp)`, collectionId, data({ ...source, jp }), /^data\.jp /)
        await refused(failures, `${gw}: forged notification (data.jp.notification)`, collectionId, data({ ...source, jp: { notification: { succeeded: true, amount: 1500 } } }), /^data\.jp /)
        await refused(failures, `${gw}: forged 3-D Secure state (data.jp.redirect_state, returned)`, collectionId, data({ ...source, jp: { attempt: "redirect", redirect_state: { tds_authentication_id: "x", transaction_id: "11111111-2222-3333-4444-555555555555" }, returned: { outcome: "ok" } } }), /^data\.jp /)
        await refused(failures, `${gw}: forged 3-D Secure amount (data.jp.redirect_amount)`, collectionId, data({ ...source, jp: { redirect_amount: 1 } }), /^data\.jp /)
        await refused(failures, `${gw}: forged retry (data.retry_of)`, collectionId, data({ ...source, retry_of: { payment_id: "1", trading_id: "x" } }), /^data\.retry_of /)
        await refused(failures, `${gw}: forged shopper address (data.customer_ip)`, collectionId, data({ ...source, customer_ip: "198.51.100.1" }), /^data\.customer_ip /)
        await refused(failures, `${gw}: forged billing address`, collectionId, data({ ...source, billing_address: { city: "x" } }), /^data\.billing_address /)
        await refused(failures, `${gw}: forged shipping address`, collectionId, data({ ...source, shipping_address: { city: "x" } }), /^data\.shipping_address /)
        await refused(failures, `${gw}: an amount that is not the cart's (data.amount)`, collectionId, data({ ...source, amount: 1 }), /^data\.amount /)
        await refused(failures, `${gw}: another currency (data.currency)`, collectionId, data({ ...source, currency: "usd" }), /^data\.currency /)
        await refused(failures, `${gw}: another currency (data.currency_code)`, collectionId, data({ ...source, currency_code: "usd" }), /^data\.currency_code /)
      }
      // their own input rules
      const sbData = (d: unknown) => create({ provider_id: SBPS, data: d })
      await refused(failures, "SBPS token without token_key", collectionId, sbData({ token: sbt.token }), /token_key/)
      await refused(failures, "SBPS token_key a number", collectionId, sbData({ token: sbt.token, token_key: 12 }), /token_key/)
      await refused(failures, "SBPS tds2info_token without its key", collectionId, sbData({ token: sbt.token, token_key: sbt.token_key, tds2info_token: sbt.tds2info_token }), /tds2info_token/)
      await refused(failures, "SBPS token far too long", collectionId, sbData({ token: "a".repeat(5000), token_key: sbt.token_key }), /token/)
      const poData = (d: unknown) => create({ provider_id: PO, data: d })
      await refused(failures, "PaymentOptions: a card token (it takes none)", collectionId, poData({ token: "abcdefghijk1234" }), /token/)
      await refused(failures, "PaymentOptions: payment_method_id not a stored card id", collectionId, poData({ payment_method_id: "../x" }), /payment_method_id/)
      await refused(failures, "PaymentOptions: save_card a string", collectionId, poData({ save_card: "yes" }), /save_card/)
      // 請求管理ロボ takes no card at checkout: it charges the card registered on the customer's 請求先
      const brData = (d: unknown) => create({ provider_id: BR, data: d })
      await refused(failures, "請求管理ロボ: a card token (it charges the registered card)", collectionId, brData({ token: "abcdefghijk1234" }), /send no token/)
      await refused(failures, "請求管理ロボ: a card number, expiry and CVV", collectionId, brData({ card_number: "4111111111111111", expiry: "3012", cvv: "123" }), /^data\.card_number is card data/)
      await refused(failures, "請求管理ロボ: CPToken.js fields (cn, ed, cvv)", collectionId, brData({ cn: "4111111111111111", ed: "3012", cvv: "123" }), /^data\.cn is card data/)
      await refused(failures, "請求管理ロボ: payment_method_id (a card other than the registered one)", collectionId, brData({ payment_method_id: "1" }), /send no payment_method_id/)
      // an empty id is no saved card either (it once passed as one: a rule of "nothing" matched "")
      await refused(failures, "請求管理ロボ: payment_method_id empty", collectionId, brData({ payment_method_id: "" }), /payment_method_id is empty: .*send no payment_method_id/)
      await refused(failures, "請求管理ロボ: payment_method 分割 (it charges 一括 only)", collectionId, brData({ payment_method: "installments:3" }), /payment_method/)
      await refused(failures, "請求管理ロボ: save_card a string", collectionId, brData({ save_card: "yes" }), /save_card/)

      // a session with the right data still works, and only then is anything stored
      const ok = await paymentSession(api, collectionId, RP, headers, { save_card: false })
      expect(ok.data.jp.amount).toBe(1500)
      expect(failures).toEqual([])
    })

    it("another customer's ids and the plugin's store routes: refused, nothing stored, nothing sent", async () => {
      const failures: string[] = []
      const hanako = await logInCustomer(api, s, "hanako-r7@example.jp")
      const taro = await logInCustomer(api, s, "taro-r7@example.jp")
      // Hanako saves a PAYGENT card and a ROBOT PAYMENT card.
      const holder = (await api.get(`/store/jp-payments/payment-methods?provider_id=${PG}`, { headers: hanako.headers })).data
      expect(holder.payment_methods).toEqual([])
      const t = await createPaygentToken(pg.browserUrl, pg.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number: "4000000000000002" })
      const pgCard = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: PG, data: t }, { headers: hanako.headers })).data.payment_method
      const rpHolder = (await api.get(`/store/jp-payments/payment-methods?provider_id=${RP}`, { headers: hanako.headers })).data.account_holder
      const tkn = await createToken(rp.url, AID, { cn: "4444333322221111", ed: "3012" })
      await authenticate(rp.url, AID, tkn, { uid: rpHolder.ref })
      const rpCard = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: RP, data: { token: tkn } }, { headers: hanako.headers })).data.payment_method
      // … an SBPS card (saved at SBPS under her cust_code) …
      await api.get(`/store/jp-payments/payment-methods?provider_id=${SBPS}`, { headers: hanako.headers })
      const sbt = await sbpsTokens(sb.url, { merchant_id: SBPS_MERCHANT.merchantId, service_id: SBPS_MERCHANT.serviceId }, "5555555555554444")
      const sbCard = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: SBPS, data: sbt }, { headers: hanako.headers })).data.payment_method
      expect(sbCard.id).toBeTruthy()
      // … and a PaymentOptions card (stored with a payment on its hosted page).
      const hc = await cartWithCollection(api, s, { quantity: 1, headers: hanako.headers, email: "hanako-r7@example.jp" })
      await paymentSession(api, hc.collectionId, PO, hc.headers, { save_card: true })
      await api.post(`/store/carts/${hc.cart.id}/complete`, {}, opts(hc.headers)) // requires_more: the hosted page
      const hpp = (await api.get(`/store/carts/${hc.cart.id}?fields=*payment_collection.payment_sessions`, { headers: hc.headers })).data.cart.payment_collection.payment_sessions[0]
      await payInBrowser(hpp.data.jp.redirect.url, { number: "4000000000001000" })
      expect((await api.post(`/store/carts/${hc.cart.id}/complete`, {}, opts(hc.headers))).data.type).toBe("order")
      const poCards = (await api.get(`/store/jp-payments/payment-methods?provider_id=${PO}`, { headers: hanako.headers })).data.payment_methods
      expect(poCards).toHaveLength(1)
      const poCard = poCards[0] as { id: string }
      // Taro already has his account holders (listing made them), so nothing is made on the way.
      await api.get(`/store/jp-payments/payment-methods?provider_id=${PG}`, { headers: taro.headers })
      await api.get(`/store/jp-payments/payment-methods?provider_id=${RP}`, { headers: taro.headers })
      await api.get(`/store/jp-payments/payment-methods?provider_id=${SBPS}`, { headers: taro.headers })
      await api.get(`/store/jp-payments/payment-methods?provider_id=${PO}`, { headers: taro.headers })
      // (請求管理ロボ keeps no saved cards, but the route makes his account holder all the same)
      await api.get(`/store/jp-payments/payment-methods?provider_id=${BR}`, opts(taro.headers))
      const hanakoAddress = (await api.post(`/store/customers/me/addresses`, { first_name: "花子", last_name: "山田", address_1: "梅田1-1", city: "大阪市北区", province: "大阪府", postal_code: "5300001", country_code: "jp", phone: "06-1234-5678" }, { headers: hanako.headers })).data.customer.addresses[0]
      // … and a 請求管理ロボ card on her 請求先 (prepared from that address; CPToken.js, 3-D Secure with amounts 0).
      // An amount from the browser is not taken: 3-D Secure at registration is always for 0 yen.
      const brPrep = (await api.post(`/store/jp-payments/card-registration`, { provider_id: BR, amount: 5000, three_ds: { am: 5000 } }, { headers: hanako.headers })).data
      expect(brPrep.browser.three_ds).toMatchObject({ am: 0, tx: 0, sf: 0 })
      const brTkn = await brCreateToken(br.url, brPrep.browser.aid, { cn: "4111111111111111" })
      await brAuthenticate(br.url, brPrep.browser.aid, brTkn, brPrep.browser.three_ds)
      const brCard = (await api.post(`/store/jp-payments/card-registration/token`, { provider_id: BR, token: brTkn }, { headers: hanako.headers })).data.registration
      expect(brCard).toMatchObject({ registered: true, billing_code: expect.any(String), payment_number: expect.anything() })

      const { collectionId, headers } = await cartWithCollection(api, s, { quantity: 1, headers: taro.headers, email: "taro-r7@example.jp" })
      const pay = (provider: string, data: Record<string, unknown>) => () => api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: provider, data }, opts(headers))
      await refused(failures, "Taro pays with Hanako's saved PAYGENT card", collectionId, pay(PG, { payment_method_id: pgCard.id }), /payment_method_id .* not one of this customer's saved cards/, 400, true)
      await refused(failures, "Taro pays with Hanako's saved ROBOT PAYMENT card", collectionId, pay(RP, { payment_method_id: rpCard.id }), /payment_method_id .* not one of this customer's saved cards/, 400, true)
      await refused(failures, "Taro pays with Hanako's saved SBPS card", collectionId, pay(SBPS, { payment_method_id: sbCard.id }), /payment_method_id .* not one of this customer's saved cards/, 400, true)
      await refused(failures, "Taro pays with Hanako's saved PaymentOptions card", collectionId, pay(PO, { payment_method_id: poCard.id }), /payment_method_id .* not one of this customer's saved cards/, 400, true)
      await refused(failures, "Taro deletes Hanako's saved PAYGENT card", collectionId, () => api.delete(`/store/jp-payments/payment-methods/${pgCard.id}?provider_id=${PG}`, opts(taro.headers)), /payment_method_id .* not one of this customer's saved cards/, 404, true)
      await refused(failures, "Taro deletes Hanako's saved ROBOT PAYMENT card", collectionId, () => api.delete(`/store/jp-payments/payment-methods/${rpCard.id}?provider_id=${RP}`, opts(taro.headers)), /payment_method_id .* not one of this customer's saved cards/, 404, true)
      await refused(failures, "Taro deletes Hanako's saved SBPS card", collectionId, () => api.delete(`/store/jp-payments/payment-methods/${sbCard.id}?provider_id=${SBPS}`, opts(taro.headers)), /payment_method_id .* not one of this customer's saved cards/, 404, true)
      await refused(failures, "Taro deletes Hanako's saved PaymentOptions card", collectionId, () => api.delete(`/store/jp-payments/payment-methods/${poCard.id}?provider_id=${PO}`, opts(taro.headers)), /payment_method_id .* not one of this customer's saved cards/, 404, true)
      await refused(failures, "Taro pays with Hanako's registered 請求管理ロボ card (her 決済情報 number)", collectionId, pay(BR, { payment_method_id: String(brCard.payment_number) }), /send no payment_method_id/)
      await refused(failures, "Taro pays through Hanako's 請求管理ロボ 請求先 (her billing_code)", collectionId, pay(BR, { billing_code: brCard.billing_code }), /billing_code is not taken from the storefront/)
      await refused(failures, "Taro registers a card token onto Hanako's 請求先 (her billing_code)", collectionId, () => api.post(`/store/jp-payments/card-registration/token`, { provider_id: BR, token: "abcdefghijk1234", billing_code: brCard.billing_code }, opts(taro.headers)), /prepare the registration/)
      await refused(failures, "Taro registers a card on Hanako's address", collectionId, () => api.post(`/store/jp-payments/card-registration`, { provider_id: BR, address_id: hanakoAddress.id }, opts(taro.headers)), /address/, 404)

      // the plugin's store routes with bad input
      const methods = (body: unknown) => () => api.post(`/store/jp-payments/payment-methods`, body, opts(taro.headers))
      await refused(failures, "payment-methods: provider_id missing", collectionId, methods({ data: { token: "x" } }), /provider_id/)
      await refused(failures, "payment-methods: provider_id not of this plugin", collectionId, methods({ provider_id: "pp_system_default", data: { token: "x" } }), /provider_id|no card payment provider/, [400, 404])
      await refused(failures, "payment-methods: token a number", collectionId, methods({ provider_id: PG, data: { token: 12 } }), /data\.token/)
      await refused(failures, "payment-methods: no token", collectionId, methods({ provider_id: PG, data: {} }), /data\.token/)
      await refused(failures, "payment-methods: a body of 2 MB", collectionId, methods({ provider_id: PG, data: { token: "x".repeat(2 * 1024 * 1024) } }), /too large|large|limit/i, [400, 413])
      await refused(failures, "payment-methods: list with a bad provider_id", collectionId, () => api.get(`/store/jp-payments/payment-methods?provider_id=../../admin`, opts(taro.headers)), /provider_id/)
      await refused(failures, "payment-methods: list with two provider_ids", collectionId, () => api.get(`/store/jp-payments/payment-methods?provider_id=${PG}&provider_id=${RP}`, opts(taro.headers)), /provider_id/)
      await refused(failures, "payment-methods: delete with no provider_id", collectionId, () => api.delete(`/store/jp-payments/payment-methods/${pgCard.id}`, opts(taro.headers)), /provider_id/)
      await refused(failures, "payment-methods: not logged in", collectionId, () => api.get(`/store/jp-payments/payment-methods?provider_id=${PG}`, opts(s.store.headers)), /auth/i, 401)
      await refused(failures, "card-registration: a provider that registers no card", collectionId, () => api.post(`/store/jp-payments/card-registration`, { provider_id: RP }, opts(taro.headers)), /does not register cards/)
      await refused(failures, "card-registration: address_id a number", collectionId, () => api.post(`/store/jp-payments/card-registration`, { provider_id: BR, address_id: 5 }, opts(taro.headers)), /address/)
      await refused(failures, "card-registration token: token a number", collectionId, () => api.post(`/store/jp-payments/card-registration/token`, { provider_id: BR, token: 12 }, opts(taro.headers)), /token/)
      await refused(failures, "card-registration: card data in the body (cn, ed)", collectionId, () => api.post(`/store/jp-payments/card-registration`, { provider_id: BR, cn: "4111111111111111", ed: "3012" }, opts(taro.headers)), /^cn is card data/)
      await refused(failures, "card-registration token: card data beside the token (cvv)", collectionId, () => api.post(`/store/jp-payments/card-registration/token`, { provider_id: BR, token: "abcdefghijk1234", cvv: "123" }, opts(taro.headers)), /^cvv is card data/)
      await refused(failures, "card-registration token: before the registration was prepared", collectionId, () => api.post(`/store/jp-payments/card-registration/token`, { provider_id: BR, token: "abc" }, opts(taro.headers)), /prepare the registration/)

      // Hanako's cards are still hers, her 請求先 still has her card, and nothing was billed
      const brView = (await api.get(`/store/jp-payments/card-registration?provider_id=${BR}`, { headers: hanako.headers })).data.registration
      expect(brView).toMatchObject({ billing_code: brCard.billing_code, registered: true })
      expect(br.bills()).toEqual([])
      for (const [provider, card] of [[PG, pgCard], [RP, rpCard], [SBPS, sbCard], [PO, poCard]] as const) {
        const still = (await api.get(`/store/jp-payments/payment-methods?provider_id=${provider}`, { headers: hanako.headers })).data.payment_methods
        expect(still.map((m: { id: string }) => m.id)).toEqual([card.id])
      }
      expect(failures).toEqual([])
    })
  },
})
