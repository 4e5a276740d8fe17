// R2 — forged and repeated notifications and returns, for every gateway that sends them (ROBOT PAYMENT
// kickback, PAYGENT 差分通知 and 3-D Secure result, PaymentOptions webhook and return, SBPS 3-D Secure
// return, 請求管理ロボ credit_status_issue webhook): each forged one (bad hash or signature, wrong amount,
// unknown order code, a source address not allowed) is refused and changes nothing — not the session,
// the payment, the order, the customer's card registration, nor what was handed to Medusa; one
// delivered again and again, out of order, or replayed after the order exists is acted on once.
// SBPS sends no result notification for API型 card payments (polled with MG01), and signs nothing on its
// way back from 3-D Secure: the plugin signs the return URLs it gives SBPS, and refuses any notification.
// One Medusa app, the five simulators over HTTP; the figure counts the cases.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { AxiosInstance, AxiosResponse } from "axios"
import { createHash, createHmac } from "node:crypto"
import net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { toOrderCode } from "../../src/core/order-code"
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { DEFAULT_MERCHANT, startPaygentSimulator, type PaygentSimulator } from "../../src/simulator/paygent"
import { createPaygentToken, runAcs } from "../../src/simulator/paygent/shopper"
import { startPaymentOptionsSimulator, type PaymentOptionsSimulator } from "../../src/simulator/payment-options"
import { PO_MERCHANTS } from "../helpers/payment-options"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from "../../src/simulator/sbps"
import { runThreeDS, sbpsTokens } from "../../src/simulator/sbps/shopper"
import { startBillingRoboSimulator, type BillingRoboSimulator } from "../../src/simulator/billing-robo"
import { billingRoboCustomer } from "./harness"
import { cartWithCollection, paymentSession, responseOf, setUpStore, waitFor, type Store } from "../helpers/store"
import { reportFigure } from "./figures"
import { freePort } from "../helpers/free-port"

jest.setTimeout(240_000)

const AID = "123456"
const RP = "pp_robot-payment_rp"
const PG = "pp_paygent_pg"
const PO = "pp_payment-options_po"
const SBPS = "pp_sbps_sbps"
const BR = "pp_billing-robo_br"
const BR_KEY = "billing-robo-test-signature-key"
const M = DEFAULT_MERCHANT
const ALLOWED = "192.0.2.10" // the only address rpip, rpxf, pgip and brip take notifications from

let rp: RobotPaymentSimulator
let pg: PaygentSimulator
let po: PaymentOptionsSimulator
let sb: SbpsSimulator
let br: BillingRoboSimulator
let appUrl = ""
const savedPort = process.env.PORT

// Before the app boots: medusa-config.ts reads the simulators' URLs and the app's own from the environment.
beforeAll(async () => {
  const certDir = join(tmpdir(), "medusa-payment-jp-paygent-certs")
  const port = await freePort()
  appUrl = `http://localhost:${port}`
  ;[rp, pg, po, sb, br] = await Promise.all([
    startRobotPaymentSimulator({ stores: [{ aid: AID }] }),
    startPaygentSimulator({ certDir, noticeRetryMs: 200 }),
    startPaymentOptionsSimulator({ merchants: PO_MERCHANTS }),
    startSbpsSimulator({ merchants: [SANDBOX_MERCHANT] }),
    startBillingRoboSimulator({ signatureKey: BR_KEY, webhookUrl: `${appUrl}/jp-payments/card-registration/${BR}/webhook` }),
  ])
  Object.assign(process.env, {
    PORT: String(port),
    ROBOT_PAYMENT_BASE_URL: rp.url,
    PAYGENT_BASE_URL: pg.url,
    PAYGENT_TOKEN_SCRIPT_URL: `${pg.browserUrl}/js/PaygentToken.js`,
    PAYGENT_CERT_DIR: certDir,
    PAYGENT_BACKEND_URL: appUrl,
    PAYMENT_OPTIONS_BASE_URL: po.url,
    PAYMENT_OPTIONS_BACKEND_URL: appUrl,
    PAYMENT_OPTIONS_STOREFRONT_URL: "http://storefront.test",
    SBPS_BASE_URL: sb.url,
    SBPS_BACKEND_URL: appUrl,
    BILLING_ROBO_BASE_URL: br.url,
  })
})
afterAll(async () => {
  if (savedPort === undefined) delete process.env.PORT
  else process.env.PORT = savedPort
  await Promise.all([rp?.close(), pg?.close(), po?.close(), sb?.close(), br?.close()])
})

// ---- the figure: every case counted, and each `it` fails when one of its cases did ----------------
const cases: Array<{ name: string; ok: boolean; error?: string }> = []
afterAll(() => {
  const failed = cases.filter((c) => !c.ok)
  reportFigure({
    id: "R2",
    title: "forged and repeated notifications",
    passed: cases.length - failed.length,
    total: cases.length,
    detail: failed.length ? failed.map((c) => `FAILED ${c.name}: ${c.error}`).join("\n") : "ROBOT PAYMENT kickback, PAYGENT 差分通知 + 3DS result, PaymentOptions webhook + return, SBPS 3DS return (+ refused notifications), 請求管理ロボ webhook",
  })
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    /** Every payment.webhook_received handed to Medusa, by order code. */
    const handed: string[] = []
    let subscribed = false

    beforeEach(async () => {
      rp.clearFaults()
      pg.clearFaults()
      po.clearFaults()
      sb.clearFaults()
      br.clearFaults()
      s = await setUpStore(api, getContainer(), [RP, PG, PO, SBPS, BR])
      if (!subscribed) {
        subscribed = true
        getContainer()
          .resolve(Modules.EVENT_BUS)
          .subscribe("payment.webhook_received", async (e: any) => {
            handed.push(e?.data?.payload?.data?.order_code ?? e?.payload?.data?.order_code ?? "")
          })
      }
    })

    /** Runs one case; a failure is recorded and reported by the `it` at its end. */
    async function kase(failures: string[], name: string, f: () => Promise<void>) {
      try {
        await f()
        cases.push({ name, ok: true })
      } catch (e) {
        const error = (e as Error).message.replace(/\s+/g, " ").slice(0, 600)
        cases.push({ name, ok: false, error })
        failures.push(`${name}: ${error}`)
      }
    }

    /** What a notification could change: the cart's order, its sessions and payments (with captures), and what was handed to Medusa. */
    async function stateOf(cartId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "cart",
        fields: [
          "completed_at",
          "order.id",
          "payment_collection.status",
          "payment_collection.payment_sessions.*",
          "payment_collection.payments.*",
          "payment_collection.payments.captures.*",
        ],
        filters: { id: cartId },
      })
      return JSON.parse(JSON.stringify({ cart: data[0], handed: handed.length }))
    }

    /** The leaf paths where two states differ (a readable failure instead of a 300-line diff). */
    function changes(a: unknown, b: unknown, at = ""): string[] {
      if (a === b) return []
      if (a && b && typeof a === "object" && typeof b === "object") {
        const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)])
        return [...keys].flatMap((k) => changes((a as any)[k], (b as any)[k], `${at}.${k}`))
      }
      return [`${at}: ${JSON.stringify(a)?.slice(0, 80)} → ${JSON.stringify(b)?.slice(0, 80)}`]
    }

    /** The case: `send` is answered `status` and the cart's payment state is as it was. */
    async function refused(failures: string[], name: string, cartId: string, send: () => Promise<AxiosResponse>, status: number, body?: RegExp | string) {
      await kase(failures, name, async () => {
        const before = await stateOf(cartId)
        const res = await send()
        expect(res.status).toBe(status)
        if (body !== undefined) expect(String(res.data)).toMatch(body)
        // a late worker would show here: give the event bus its 1 ms delay and a little more
        await new Promise((r) => setTimeout(r, 150))
        expect(changes(before, await stateOf(cartId))).toEqual([])
      })
    }

    async function completedOrder(cartId: string): Promise<string | undefined> {
      const { data } = await getContainer().resolve("query").graph({ entity: "cart", fields: ["completed_at", "order.id"], filters: { id: cartId } })
      const c = data[0] as { completed_at?: string | null; order?: { id: string } } | undefined
      return c?.completed_at ? c.order?.id : undefined
    }

    /** The cart's state once Medusa is done with the order it made (the collection's status follows completed_at). */
    async function settled(cartId: string) {
      await waitFor(() => completedOrder(cartId))
      await waitFor(async () => (await stateOf(cartId)).cart.payment_collection.status !== "not_paid")
      return stateOf(cartId)
    }

    const get = (path: string, headers: Record<string, string> = {}) => api.get(path, { headers, maxRedirects: 0, validateStatus: () => true })
    const form = (path: string, fields: Record<string, string>) =>
      api.post(path, new URLSearchParams(fields).toString(), { headers: { "content-type": "application/x-www-form-urlencoded" }, validateStatus: () => true })

    // ---- ROBOT PAYMENT: unsigned GET kickbacks; the source address is what can be checked --------------

    it("ROBOT PAYMENT kickbacks: forged ones refused with nothing changed; repeated, out of order or replayed ones acted on once", async () => {
      const failures: string[] = []
      const kick = (q: Record<string, string>, provider = "robot-payment_rp", headers: Record<string, string> = {}) => get(`/jp-payments/${provider}/notify?${new URLSearchParams(q)}`, headers)

      // A session never sent to the gateway.
      const idle = await cartWithCollection(api, s, { quantity: 1 })
      const session = await paymentSession(api, idle.collectionId, RP, idle.headers)
      const code = session.data.jp.order_code
      const good = { gid: "900001", rst: "1", ap: "AP0001", ec: "", god: "1", cod: code, am: "1500", tx: "0", sf: "0", ta: "1500" }
      await refused(failures, "rp: wrong amount", idle.cart.id, () => kick({ ...good, am: "1", ta: "1" }), 409)
      await refused(failures, "rp: the right amount for a session never sent to the gateway (acknowledged, not believed)", idle.cart.id, () => kick(good), 200, "OK")
      await refused(failures, "rp: an order code not of this plugin", idle.cart.id, () => kick({ ...good, cod: "someone-else" }), 200, "OK")
      await refused(failures, "rp: an order code of no session", idle.cart.id, () => kick({ ...good, cod: toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ") }), 200, "OK")
      await refused(failures, "rp: not a kickback (no gid, rst)", idle.cart.id, () => kick({ cod: code }), 400)
      await refused(failures, "rp: source address not in kickbackAllowedIps", idle.cart.id, () => kick(good, "robot-payment_rpip"), 403)
      await refused(failures, "rp: an allowed address in a forged X-Forwarded-For (no trustProxy)", idle.cart.id, () => kick(good, "robot-payment_rpip", { "x-forwarded-for": ALLOWED }), 403)
      await refused(failures, "rp: a notification to a provider that is not a card provider of this plugin", idle.cart.id, () => kick(good, "system_default"), 404)
      await kase(failures, "rp: trustProxy takes the proxy's X-Forwarded-For (control)", async () => {
        expect((await kick({ ...good, cod: "someone-else" }, "robot-payment_rpxf", { "x-forwarded-for": ALLOWED })).status).toBe(200)
        expect((await kick({ ...good, cod: "someone-else" }, "robot-payment_rpxf")).status).toBe(403)
      })

      // The gateway charges, the answer is lost, the kickback arrives twice (the simulator's duplicate).
      rp.setKickbackUrl(AID, `${appUrl}/jp-payments/robot-payment_rp/notify`)
      try {
        rp.inject({ kind: "reset", path: "/gateway/gateway_token.aspx", after: true })
        rp.inject({ kind: "duplicate-kickback" })
        const paid = await cartWithCollection(api, s, { quantity: 1 })
        const first = await paymentSession(api, paid.collectionId, RP, paid.headers)
        const tkn = await createToken(rp.url, AID, { cn: "4444333322221111" })
        await authenticate(rp.url, AID, tkn, first.data.jp.browser.three_ds)
        const withToken = await paymentSession(api, paid.collectionId, RP, paid.headers, { token: tkn })
        const paidCode = withToken.data.jp.order_code
        const res = await api.post(`/store/carts/${paid.cart.id}/complete`, {}, { headers: paid.headers }).catch(responseOf)
        expect(res.status).toBe(400) // outcome unknown: no order, no second charge
        await waitFor(async () => rp.kickbacks().filter((k) => k.query.cod === paidCode).length >= 2)
        const kick0 = rp.kickbacks().find((k) => k.query.cod === paidCode)!.query
        const after = await settled(paid.cart.id)
        await kase(failures, "rp: delivered twice by the gateway and three times more: one order, one payment, handed to Medusa once", async () => {
          for (let i = 0; i < 3; i++) {
            const r = await kick(kick0)
            expect([r.status, r.data]).toEqual([200, "OK"])
          }
          await new Promise((r) => setTimeout(r, 150))
          expect(changes(after, await stateOf(paid.cart.id))).toEqual([])
          expect(after.cart.payment_collection.payments).toHaveLength(1)
          expect(handed.filter((c) => c === paidCode)).toHaveLength(1)
          expect(rp.requests().filter((r) => r.path === "/gateway/gateway_token.aspx" && r.params.cod === paidCode)).toHaveLength(1)
        })
        await refused(failures, "rp: a failure after the success (out of order)", paid.cart.id, () => kick({ ...kick0, gid: "0", rst: "2", ec: "ER030" }), 200, "OK")
        await refused(failures, "rp: another success replayed after the order exists", paid.cart.id, () => kick({ ...kick0, gid: "900002" }), 200, "OK")
        await refused(failures, "rp: the wrong amount after the order exists", paid.cart.id, () => kick({ ...kick0, am: "1", ta: "1" }), 200, "OK")
      } finally {
        rp.setKickbackUrl(AID, undefined)
      }

      // The answer is lost and the gateway's kickback does not come: the shop gets the success, then at
      // once a failure for the same order (forged, or late): the success stands, one order.
      rp.inject({ kind: "reset", path: "/gateway/gateway_token.aspx", after: true })
      const raced = await cartWithCollection(api, s, { quantity: 1 })
      const first = await paymentSession(api, raced.collectionId, RP, raced.headers)
      const tkn = await createToken(rp.url, AID, { cn: "4444333322221111" })
      await authenticate(rp.url, AID, tkn, first.data.jp.browser.three_ds)
      const racedCode = (await paymentSession(api, raced.collectionId, RP, raced.headers, { token: tkn })).data.jp.order_code
      expect((await api.post(`/store/carts/${raced.cart.id}/complete`, {}, { headers: raced.headers }).catch(responseOf)).status).toBe(400)
      const tx = rp.transactions().find((t) => t.cod === racedCode)!
      await kase(failures, "rp: a failure right after the success, before Medusa processed it: the success stands", async () => {
        const ok = await kick({ gid: tx.gid, rst: "1", ap: tx.ap, ec: "", god: tx.god, cod: racedCode, am: "1500", tx: "0", sf: "0", ta: "1500" })
        const ko = await kick({ gid: "0", rst: "2", ap: "", ec: "ER030", god: "", cod: racedCode, am: "1500", tx: "0", sf: "0", ta: "1500" })
        expect([ok.status, ko.status]).toEqual([200, 200])
        // Medusa makes the order before its payment collection shows the payment: wait for both (settled)
        const st = await settled(raced.cart.id)
        expect(st.cart.order?.id).toBeTruthy()
        expect(st.cart.payment_collection.payments).toHaveLength(1)
        expect(st.cart.payment_collection.payments[0].data.jp).toMatchObject({ state: "authorized", reference: tx.gid })
      })
      expect(failures).toEqual([])
    })

    // ---- PAYGENT: 差分通知 signed with hc; the 3-D Secure result (term_url) signed with hc ----------------

    const noticeHc = (f: { id: string; paymentId: string; tradingId: string; amount: string }, key = M.noticeHashKey!) =>
      createHash("sha256").update(f.id + f.paymentId + f.tradingId + "02" + f.amount + key).digest("hex")
    const threeDSHc = (result: string, authId: string, attemptKbn = "") => createHash("sha256").update(result + authId + attemptKbn + M.threeDSResultHashKey!).digest("hex")

    async function paygentWaiting(a: AxiosInstance, card: string) {
      const c = await cartWithCollection(a, s, { quantity: 1 })
      const first = await paymentSession(a, c.collectionId, PG, c.headers)
      const b = first.data.jp.browser
      const t = await createPaygentToken(pg.browserUrl, pg.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: card })
      const session = await paymentSession(a, c.collectionId, PG, c.headers, { ...t })
      expect(session.status).toBe("requires_more")
      return { ...c, session, code: session.data.jp.order_code as string }
    }

    it("PAYGENT notices and 3-D Secure results: forged ones refused with nothing changed; repeated ones acted on once", async () => {
      const failures: string[] = []
      const notice = (provider: string, fields: Record<string, string>) => form(`/jp-payments/${provider}/notify`, fields)

      // A session waiting for 3-D Secure: a signed notice may wake it, so forging one must not.
      const w = await paygentWaiting(api, "4000000000000002")
      const base = { id: "800001", paymentId: "700001", tradingId: w.code, amount: "1500" }
      const fields = (f = base, extra: Record<string, string> = {}) => ({
        payment_notice_id: f.id,
        payment_id: f.paymentId,
        trading_id: f.tradingId,
        payment_type: "02",
        payment_status: "20",
        payment_amount: f.amount,
        hc: noticeHc(f),
        ...extra,
      })
      await refused(failures, "pg: bad hc", w.cart.id, () => notice("paygent_pg", fields(base, { hc: "0".repeat(64) })), 400)
      await refused(failures, "pg: no hc", w.cart.id, () => notice("paygent_pg", { ...fields(), hc: "" }), 400)
      await refused(failures, "pg: hc made with another key", w.cart.id, () => notice("paygent_pg", fields(base, { hc: noticeHc(base, "not-the-key") })), 400)
      await refused(failures, "pg: signed amount changed after signing", w.cart.id, () => notice("paygent_pg", { ...fields(), payment_amount: "1" }), 400)
      await refused(failures, "pg: signed, wrong amount", w.cart.id, () => notice("paygent_pg", fields({ ...base, amount: "1" })), 409)
      await refused(failures, "pg: signed, unknown trading_id", w.cart.id, () => notice("paygent_pg", fields({ ...base, tradingId: "someone_else_1" })), 200, "result=0")
      await refused(failures, "pg: signed, trading_id of no session", w.cart.id, () => notice("paygent_pg", fields({ ...base, tradingId: toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ") })), 200, "result=0")
      await refused(failures, "pg: source address not in notificationIps", w.cart.id, () => notice("paygent_pgip", fields()), 403)
      await refused(failures, "pg: an allowed address in a forged X-Forwarded-For", w.cart.id, () => api.post(`/jp-payments/paygent_pgip/notify`, new URLSearchParams(fields()).toString(), { headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ALLOWED }, validateStatus: () => true }), 403)
      await refused(failures, "pg: a body beyond the size limit", w.cart.id, () => notice("paygent_pg", { ...fields(), pad: "x".repeat(300 * 1024) }), 400)

      // 3-D Secure results at term_url
      const [auth] = pg.auths().filter((a) => a.tradingId === w.code)
      await refused(failures, "pg return: bad hc", w.cart.id, () => get(`/jp-payments/return/${w.code}?result=0&3ds_auth_id=${auth.authId}&hc=${"0".repeat(64)}`), 400)
      await refused(failures, "pg return: signed for another authentication", w.cart.id, () => get(`/jp-payments/return/${w.code}?result=0&3ds_auth_id=other1&hc=${threeDSHc("0", "other1")}`), 400)
      await refused(failures, "pg return: unknown order code", w.cart.id, () => get(`/jp-payments/return/${toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ")}?result=0&3ds_auth_id=${auth.authId}&hc=${threeDSHc("0", auth.authId)}`), 404)
      await refused(failures, "pg return: not an order code", w.cart.id, () => get(`/jp-payments/return/..%2F..%2Fadmin?result=0`), 404)

      // The real return, three times: recorded once, answered alike.
      const { termUrl } = await runAcs(w.session.data.jp.redirect.html, pg.certificates.caFile, { simUrl: pg.browserUrl })
      const back = () => get(termUrl.slice(appUrl.length))
      const firstBack = await back()
      const afterReturn = await stateOf(w.cart.id)
      await kase(failures, "pg return: the same return three more times: recorded once, answered as the first", async () => {
        expect(firstBack.status).toBe(303)
        for (let i = 0; i < 3; i++) {
          const r = await back()
          expect([r.status, r.headers.location]).toEqual([303, firstBack.headers.location])
        }
        expect(changes(afterReturn, await stateOf(w.cart.id))).toEqual([])
      })
      const done = (await api.post(`/store/carts/${w.cart.id}/complete`, {}, { headers: w.headers })).data
      expect(done.type).toBe("order")
      const paidState = await settled(w.cart.id)
      const paymentId = pg.requests().find((r) => r.kind === "020" && r.params.trading_id === w.code)
      expect(paymentId).toBeTruthy()
      await refused(failures, "pg return: replayed after the order exists", w.cart.id, back, 303)
      await refused(failures, "pg: a signed notice replayed after the order exists, three times", w.cart.id, async () => {
        let r!: AxiosResponse
        for (let i = 0; i < 3; i++) r = await notice("paygent_pg", fields({ ...base, id: `80010${i}` }))
        return r
      }, 200, "result=0")
      await refused(failures, "pg: a signed オーソリNG after the order exists (out of order)", w.cart.id, () => notice("paygent_pg", { ...fields({ ...base, id: "800200" }), payment_status: "11" }), 200, "result=0")
      expect((await stateOf(w.cart.id)).cart.order.id).toBe(paidState.cart.order.id)

      // Lost 020 answer (2008); the simulator's notice arrives twice; sent three times more.
      pg.setNoticeUrl(M.merchantId, `${appUrl}/jp-payments/paygent_pg/notify`)
      try {
        pg.inject({ kind: "duplicate-notice" })
        const lost = await paygentWaiting(api, "4000000000008408")
        const { termUrl: t2 } = await runAcs(lost.session.data.jp.redirect.html, pg.certificates.caFile, { simUrl: pg.browserUrl })
        await get(t2.slice(appUrl.length))
        expect((await api.post(`/store/carts/${lost.cart.id}/complete`, {}, { headers: lost.headers }).catch(responseOf)).status).toBe(400)
        await pg.settle()
        const n = pg.notices().find((x) => x.fields.trading_id === lost.code)!
        const after = await settled(lost.cart.id)
        await kase(failures, "pg: delivered twice by the gateway and three times more: one order, one payment, handed to Medusa once", async () => {
          expect(n.deliveries.length).toBeGreaterThanOrEqual(2)
          for (let i = 0; i < 3; i++) {
            const r = await notice("paygent_pg", n.fields)
            expect([r.status, r.data]).toEqual([200, "result=0"])
          }
          await new Promise((r) => setTimeout(r, 150))
          expect(changes(after, await stateOf(lost.cart.id))).toEqual([])
          expect(after.cart.payment_collection.payments).toHaveLength(1)
          expect(handed.filter((c) => c === lost.code)).toHaveLength(1)
          expect(pg.requests().filter((r) => r.kind === "020" && r.params.trading_id === lost.code)).toHaveLength(1)
        })
      } finally {
        pg.setNoticeUrl(M.merchantId, undefined)
      }
      expect(failures).toEqual([])
    })

    // ---- PaymentOptions: the webhook URL carries our signature per order; returns signed per outcome ------

    it("PaymentOptions webhooks and returns: forged ones refused with nothing changed; repeated ones acted on once", async () => {
      const failures: string[] = []
      const c = await cartWithCollection(api, s, { quantity: 2 })
      await paymentSession(api, c.collectionId, PO, c.headers)
      await api.post(`/store/carts/${c.cart.id}/complete`, {}, { headers: c.headers }).catch(responseOf) // requires_more: the hosted page
      const sessionNow = async () => (await stateOf(c.cart.id)).cart.payment_collection.payment_sessions[0]
      const session = await sessionNow()
      const code = session.data.jp.order_code as string
      const link = po.requests().find((r) => r.path.endsWith("/hpp/generate/link") && (r.body as any).merchant_txn_ref === code)!
      const urls = (link.body as any).return_url
      const hook = new URL(urls.webhook_url)
      const txn = (amount: number, ref = code, id = "11111111-2222-3333-4444-555555555555") =>
        JSON.stringify({
          success: true,
          status_code: 200,
          transaction_type: "PRE_AUTH",
          gateway_response: { code: "INFO0000", message: "Payment Successful." },
          payment_details: { amount, currency: "JPY", response_code: 0 },
          transaction_details: { id, merchant_txn_ref: ref },
        })
      const post = (pathAndQuery: string, body: string) => api.post(pathAndQuery, body, { headers: { "content-type": "application/json" }, validateStatus: () => true })

      // another order's signed URLs
      const other = await cartWithCollection(api, s, { quantity: 1 })
      await paymentSession(api, other.collectionId, PO, other.headers)
      await api.post(`/store/carts/${other.cart.id}/complete`, {}, { headers: other.headers }).catch(responseOf)
      const otherCode = (await stateOf(other.cart.id)).cart.payment_collection.payment_sessions[0].data.jp.order_code
      const otherLink = po.requests().find((r) => r.path.endsWith("/hpp/generate/link") && (r.body as any).merchant_txn_ref === otherCode)!
      const otherHook = new URL((otherLink.body as any).return_url.webhook_url)
      const otherOk = new URL((otherLink.body as any).return_url.success_url)

      await refused(failures, "po: bad signature", c.cart.id, () => post(`/jp-payments/notify/${code}?ref=${code}&sig=${"0".repeat(64)}`, txn(3000)), 400)
      await refused(failures, "po: no signature", c.cart.id, () => post(`/jp-payments/notify/${code}`, txn(3000)), 400)
      await refused(failures, "po: another order's signed URL, this order's path", c.cart.id, () => post(`/jp-payments/notify/${code}${otherHook.search}`, txn(3000)), 400)
      await refused(failures, "po: this order's signed URL, another order in the body", c.cart.id, () => post(hook.pathname + hook.search, txn(1500, otherCode)), 400)
      await refused(failures, "po: signed, wrong amount", c.cart.id, () => post(hook.pathname + hook.search, txn(1)), 409)
      await refused(failures, "po: signed, not JSON", c.cart.id, () => post(hook.pathname + hook.search, "{not json"), 400)
      await refused(failures, "po: unknown order code", c.cart.id, () => post(`/jp-payments/notify/${toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ")}${hook.search}`, txn(3000)), 404)
      await refused(failures, "po return: bad signature", c.cart.id, () => get(`/jp-payments/return/${code}?po=ok&sig=${"a".repeat(64)}`), 400)
      await refused(failures, "po return: another order's signed return", c.cart.id, () => get(`/jp-payments/return/${code}${otherOk.search}`), 400)
      await refused(failures, "po return: the decline signature turned into ok", c.cart.id, () => get(`/jp-payments/return/${code}?po=ok&sig=${new URL(urls.decline_url).searchParams.get("sig")}`), 400)

      // The shopper pays and never comes back; the simulator's webhook arrives twice; sent three times more.
      po.inject({ kind: "duplicate-webhook" })
      const page = session.data.jp.redirect.url as string
      const hpp = await fetch(page)
      const action = new URL((await hpp.text()).match(/action="([^"]+)" id="hpp"/)![1], page).toString()
      const paid = await fetch(action, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ card_number: "4000000000001000", expiry_month: "12", expiry_year: "2030", cvc: "123", card_name: "TARO YAMADA" }),
      })
      expect(paid.status).toBe(303)
      const after = await settled(c.cart.id)
      const hooks = po.webhooks().filter((w) => (w.body as any).merchant_details.merchant_txn_ref === code)
      await kase(failures, "po: delivered twice by the gateway and three times more: one order, one payment, handed to Medusa once", async () => {
        expect(hooks.length).toBeGreaterThanOrEqual(2)
        for (let i = 0; i < 3; i++) {
          const r = await post(hook.pathname + hook.search, JSON.stringify(hooks[0].body))
          expect(r.status).toBe(200)
        }
        await new Promise((r) => setTimeout(r, 150))
        expect(changes(after, await stateOf(c.cart.id))).toEqual([])
        expect(after.cart.payment_collection.payments).toHaveLength(1)
        expect(handed.filter((x) => x === code)).toHaveLength(1)
      })
      await refused(failures, "po return: the success return after the order exists, three times", c.cart.id, async () => {
        let r!: AxiosResponse
        for (let i = 0; i < 3; i++) r = await get(new URL(urls.success_url).pathname + new URL(urls.success_url).search)
        return r
      }, 303)
      await refused(failures, "po: a signed decline after the order exists (out of order)", c.cart.id, () => post(hook.pathname + hook.search, JSON.stringify({ ...(hooks[0].body as any), success: false })), 200)
      expect(failures).toEqual([])
    })

    // ---- SBPS: no result notification for API型 cards; the 3-D Secure return is signed by us -----------

    /** Our signature of a return URL given to SBPS (HMAC-SHA256 with the hash key, 128 bits): what the gateway must verify. */
    const sbpsSig = (code: string, result: string, key = SANDBOX_MERCHANT.hashKey) => createHmac("sha256", key).update(`sbps:3ds-return:${code}:${result}`).digest("hex").slice(0, 32)
    const sbpsAuthorizations = () => sb.requests().filter((r) => r.id === "ST01-00118-101").length

    it("SBPS 3-D Secure returns and notifications: forged ones refused with nothing changed; repeated ones acted on once", async () => {
      const failures: string[] = []
      // A session waiting for 3-D Secure (TA02 done), the shopper still at SBPS's page.
      const c = await cartWithCollection(api, s, { quantity: 1 })
      const first = await paymentSession(api, c.collectionId, SBPS, c.headers)
      const tokens = await sbpsTokens(sb.url, first.data.jp.browser, "4111111111111111")
      const session = await paymentSession(api, c.collectionId, SBPS, c.headers, tokens)
      expect(session.status).toBe("requires_more")
      const code = session.data.jp.order_code as string
      const ret = (q: string) => get(`/jp-payments/return/${code}?${q}`)
      const authorizations = sbpsAuthorizations()

      await refused(failures, "sbps return: ok by hand, unsigned", c.cart.id, () => ret("sbps_result=ok"), 400)
      await refused(failures, "sbps return: ng by hand, unsigned (would fail the shopper's real ok)", c.cart.id, () => ret("sbps_result=ng"), 400)
      await refused(failures, "sbps return: bad signature", c.cart.id, () => ret(`sbps_result=ok&sig=${"0".repeat(32)}`), 400)
      await refused(failures, "sbps return: the ng signature turned into ok", c.cart.id, () => ret(`sbps_result=ok&sig=${sbpsSig(code, "ng")}`), 400)
      await refused(failures, "sbps return: another order's signed ok", c.cart.id, () => ret(`sbps_result=ok&sig=${sbpsSig(toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ"), "ok")}`), 400)
      await refused(failures, "sbps return: signed with another key", c.cart.id, () => ret(`sbps_result=ok&sig=${sbpsSig(code, "ok", "not-the-hash-key")}`), 400)
      await refused(failures, "sbps return: neither ok nor ng", c.cart.id, () => ret(`sbps_result=maybe&sig=${sbpsSig(code, "maybe")}`), 400)
      await refused(failures, "sbps return: unknown order code", c.cart.id, () => get(`/jp-payments/return/${toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ")}?sbps_result=ok&sig=${sbpsSig(code, "ok")}`), 404)
      // SBPS sends no result notification for API型 card payments: one shaped like its link type's 結果CGI
      // (sps_hashcode and all), or its NT01 XML, is refused at both notification routes.
      const cgi = { merchant_id: "30132", service_id: "002", order_id: code, amount: "1500", res_result: "OK", res_tracking_id: "99999999999999", res_err_code: "", sps_hashcode: createHash("sha1").update(`30132002${code}1500OK` + SANDBOX_MERCHANT.hashKey).digest("hex") }
      await refused(failures, "sbps: a 結果CGI-shaped notification with sps_hashcode (SBPS sends none for API型 cards)", c.cart.id, () => form(`/jp-payments/sbps_sbps/notify`, cgi), 400)
      await refused(failures, "sbps: the same at the per-order notification URL", c.cart.id, () => form(`/jp-payments/notify/${code}`, cgi), 400)
      await refused(
        failures,
        "sbps: an NT01 XML notification",
        c.cart.id,
        () =>
          api.post(`/jp-payments/sbps_sbps/notify`, `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="NT01-00103-701"><merchant_id>30132</merchant_id><service_id>002</service_id><tracking_id>1</tracking_id><sps_hashcode>${"0".repeat(40)}</sps_hashcode></sps-api-request>`, {
            headers: { "content-type": "text/xml" },
            validateStatus: () => true,
          }),
        400
      )
      await kase(failures, "sbps: nothing forged reached SBPS (no ST01-00118-101)", async () => {
        expect(sbpsAuthorizations()).toBe(authorizations)
      })

      // The real 3-D Secure and return, then the same return three more times: recorded once, answered alike.
      const okUrl = new URL(await runThreeDS(session.data.jp.redirect.url))
      const back = () => get(okUrl.pathname + okUrl.search)
      const firstBack = await back()
      const afterReturn = await stateOf(c.cart.id)
      await kase(failures, "sbps return: the real ok three more times: recorded once, answered as the first", async () => {
        expect(firstBack.status).toBe(303)
        expect(firstBack.headers.location).toContain("jp_result=ok")
        for (let i = 0; i < 3; i++) {
          const r = await back()
          expect([r.status, r.headers.location]).toEqual([303, firstBack.headers.location])
        }
        expect(changes(afterReturn, await stateOf(c.cart.id))).toEqual([])
      })
      await refused(failures, "sbps return: a signed ng after the ok (out of order)", c.cart.id, () => ret(`sbps_result=ng&sig=${sbpsSig(code, "ng")}`), 303)
      expect((await stateOf(c.cart.id)).cart.payment_collection.payment_sessions[0].data.jp.returned.outcome).toBe("ok")
      const done = (await api.post(`/store/carts/${c.cart.id}/complete`, {}, { headers: c.headers })).data
      expect(done.type).toBe("order")
      await settled(c.cart.id)
      const paidAuthorizations = sbpsAuthorizations()
      await refused(failures, "sbps return: the ok replayed after the order exists, three times", c.cart.id, async () => {
        let r!: AxiosResponse
        for (let i = 0; i < 3; i++) r = await back()
        return r
      }, 303)
      await refused(failures, "sbps return: a signed ng after the order exists", c.cart.id, () => ret(`sbps_result=ng&sig=${sbpsSig(code, "ng")}`), 303)
      await refused(failures, "sbps: a notification after the order exists", c.cart.id, () => form(`/jp-payments/sbps_sbps/notify`, { ...cgi, res_result: "NG" }), 400)
      await kase(failures, "sbps: one authorization at SBPS for the order", async () => {
        expect(sbpsAuthorizations()).toBe(paidAuthorizations)
        expect(sb.transactions().filter((t) => t.orderId === code)).toHaveLength(1)
        expect((await stateOf(c.cart.id)).cart.payment_collection.payments).toHaveLength(1)
      })
      expect(failures).toEqual([])
    })

    // ---- 請求管理ロボ: credit_status_issue carries BillingRoboSignaturekey; it changes a card registration ----

    it("請求管理ロボ webhooks: forged ones refused with nothing changed; repeated, out of order or replayed ones applied once", async () => {
      const failures: string[] = []
      const hook = (body: unknown, provider = BR, headers: Record<string, string> = {}) =>
        api.post(`/jp-payments/card-registration/${provider}/webhook`, typeof body === "string" ? body : JSON.stringify(body), {
          headers: { "content-type": "application/json", ...headers },
          validateStatus: () => true,
        })
      // Every webhook of the registration arrives twice (the simulator's duplicate).
      br.inject({ kind: "duplicate-webhook", times: 2 })
      const headers = await billingRoboCustomer(api, s, br, "r2-billing-robo@example.jp")
      const me = (await api.get("/store/customers/me", { headers })).data.customer as { id: string }
      const registration = async () => {
        const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "customer", fields: ["metadata"], filters: { id: me.id } })
        return (data[0] as { metadata?: Record<string, any> }).metadata?.jp_card_registration?.[BR]
      }
      await waitFor(async () => ((await registration())?.credit_status === 2 ? true : null))
      const stored = await registration()
      const delivered = () => br.webhooks().filter((w) => (w.body.event_detail as any).billing_code === stored.billing_code)
      await waitFor(async () => (delivered().length >= 4 && delivered().every((w) => w.status !== null) ? true : null))
      const mine = delivered()
      /** What a webhook could change: the customer's registration, and the 請求管理ロボ bills. */
      const brState = async () => JSON.parse(JSON.stringify({ registration: await registration(), bills: br.bills().length }))
      const brRefused = async (name: string, send: () => Promise<AxiosResponse>, status: number, ignore: string[] = []) => {
        await kase(failures, name, async () => {
          const before = await brState()
          const res = await send()
          expect(res.status).toBe(status)
          const after = await brState()
          for (const k of ignore) {
            delete before.registration[k]
            delete after.registration[k]
          }
          expect(changes(before, after)).toEqual([])
        })
      }
      const genuine = mine.at(-1)!.body as Record<string, any> // registered: payment_status 5, credit_status 2
      const created = mine[0].body as Record<string, any> // the card 決済情報 made, not yet registered
      const unregister = (b: Record<string, any>): Record<string, any> => ({ ...b, event_detail: { ...b.event_detail, payment_status: "6", credit_status: "3", credit_error_code: "G12" } })

      await kase(failures, "br: delivered twice by the gateway: each event applied once", async () => {
        expect(mine.length).toBeGreaterThanOrEqual(4)
        expect(mine.every((w) => w.status === 200)).toBe(true)
        expect(stored).toMatchObject({ registered: true, register_status: 5, credit_status: 2, last_event_id: Number(genuine.id) })
        // the first event may come before the route that caused it stored the 請求先 (it is acknowledged and
        // dropped then: that route records the same status itself); none is applied twice
        expect(stored.events.filter((k: string) => k.startsWith(`${genuine.id}|`))).toHaveLength(1)
        expect(new Set(stored.events).size).toBe(stored.events.length)
      })
      await brRefused("br: bad BillingRoboSignaturekey", () => hook({ ...unregister(genuine), BillingRoboSignaturekey: "not-the-key" }), 401)
      await brRefused("br: the key of another length", () => hook({ ...unregister(genuine), BillingRoboSignaturekey: `${BR_KEY}x` }), 401)
      await brRefused("br: no BillingRoboSignaturekey", () => {
        const { BillingRoboSignaturekey: _, ...rest } = unregister(genuine)
        return hook(rest)
      }, 401)
      await brRefused("br: not JSON", () => hook("{not json"), 401)
      await brRefused("br: a body beyond the size limit", () => hook({ ...unregister(genuine), pad: "x".repeat(300 * 1024) }), 400)
      await brRefused("br: signed, an unknown 請求先", () => hook({ ...unregister(genuine), event_detail: { ...unregister(genuine).event_detail, billing_code: "MDunknown000000" } }), 200)
      await brRefused("br: signed, this 請求先 but another 決済情報 (payment_code)", () => hook({ ...unregister(genuine), id: "900001", event_detail: { ...unregister(genuine).event_detail, payment_code: "OTHER-1", payment_number: "999" } }), 200)
      await brRefused("br: signed, another event", () => hook({ ...unregister(genuine), id: "900002", event_name: "bill_issue" }), 200)
      await brRefused("br: source address not in notificationIps", () => hook(unregister(genuine), "pp_billing-robo_brip"), 403)
      await brRefused("br: an allowed address in a forged X-Forwarded-For", () => hook(unregister(genuine), "pp_billing-robo_brip", { "x-forwarded-for": ALLOWED }), 403)
      await brRefused("br: a provider that registers no cards", () => hook(unregister(genuine), RP), 400)
      await brRefused("br: the registered event three more times", async () => {
        let r!: AxiosResponse
        for (let i = 0; i < 3; i++) r = await hook(genuine)
        return r
      }, 200)
      // (recorded as seen if it was dropped before; the status stays)
      await brRefused("br: the first event (not yet registered) again, after the registration (out of order)", () => hook(created), 200, ["events"])
      // a signed event never applied, older than the newest applied: recorded as seen, the status stays
      await brRefused("br: an older event arriving late (out of order)", () => hook({ ...unregister(created), id: String(Number(genuine.id) - 1) }), 200, ["events"])

      // The customer pays an order (即時決済); the webhooks replayed after it change nothing, and the card still pays.
      const { cart, collectionId } = await cartWithCollection(api, s, { quantity: 1, headers })
      await paymentSession(api, collectionId, BR, headers)
      const order = (await api.post(`/store/carts/${cart.id}/complete`, {}, { headers })).data
      expect(order.type).toBe("order")
      for (const w of mine) {
        await brRefused(`br: webhook ${w.body.id} (${(w.body.event_detail as any).payment_status}) replayed after the order exists`, () => hook(w.body), 200)
      }
      await kase(failures, "br: one bill for the order, the registration as it was", async () => {
        expect(br.bills().filter((b) => b.billing_code === stored.billing_code)).toHaveLength(1)
        expect(await registration()).toMatchObject({ registered: true, register_status: 5, credit_status: 2 })
      })
      expect(failures).toEqual([])
    })
  },
})
