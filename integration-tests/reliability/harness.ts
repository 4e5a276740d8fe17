// The reliability suite's rig: all five simulators for one Medusa app, a checkout per gateway driven
// over Medusa's own HTTP API, the merchant's operations (capture, refund, cancel) through the admin
// API as Medusa's admin would send them, and what each simulator holds for an order code — the
// ground truth a case is judged against ("no double charge").
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { AxiosInstance } from "axios"
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from "../../src/simulator/sbps"
import { DEFAULT_MERCHANT, startPaygentSimulator, type PaygentSimulator } from "../../src/simulator/paygent"
import { startPaymentOptionsSimulator, type PaymentOptionsSimulator } from "../../src/simulator/payment-options"
import { startBillingRoboSimulator, type BillingRoboSimulator } from "../../src/simulator/billing-robo"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { runThreeDS, sbpsTokens } from "../../src/simulator/sbps/shopper"
import { createPaygentToken, runAcs } from "../../src/simulator/paygent/shopper"
import { payInBrowser } from "../../src/simulator/payment-options/shopper"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, responseOf, type Store } from "../helpers/store"
import { SBPS_SECOND_MERCHANT } from "../helpers/sbps"
import { PO_MERCHANTS } from "../helpers/payment-options"
import { freePort } from "../helpers/free-port"

/** Every provider's gateway timeout in this suite (medusa-config.ts reads JP_TEST_GATEWAY_TIMEOUT_MS). */
export const TIMEOUT_MS = 1200
/** A delay fault's length: past the timeout, so the answer is lost. */
export const SLOW_MS = TIMEOUT_MS + 800

export const RP = "pp_robot-payment_rp"
export const SBPS = "pp_sbps_sbps"
export const PG = "pp_paygent_pg"
export const PO = "pp_payment-options_po"
export const BR = "pp_billing-robo_br"
export const PROVIDERS = [RP, SBPS, PG, PO, BR]

export interface Sims {
  rp: RobotPaymentSimulator
  sbps: SbpsSimulator
  pg: PaygentSimulator
  po: PaymentOptionsSimulator
  br: BillingRoboSimulator
  appUrl: string
}

const ENV = [
  "PORT",
  "ROBOT_PAYMENT_BASE_URL",
  "SBPS_BASE_URL",
  "SBPS_BACKEND_URL",
  "PAYGENT_BASE_URL",
  "PAYGENT_TOKEN_SCRIPT_URL",
  "PAYGENT_CERT_DIR",
  "PAYGENT_BACKEND_URL",
  "PAYMENT_OPTIONS_BASE_URL",
  "PAYMENT_OPTIONS_BACKEND_URL",
  "PAYMENT_OPTIONS_STOREFRONT_URL",
  "BILLING_ROBO_BASE_URL",
  "JP_TEST_GATEWAY_TIMEOUT_MS",
]

/**
 * Starts the five simulators before the app boots (call at the top level of a spec, before
 * medusaIntegrationTestRunner) on one app port, with short gateway timeouts; restores the
 * environment afterwards, since the next spec file of the same jest worker reads it too.
 */
export function useAllSimulators(): Sims {
  const ref = {} as Sims
  const saved: Record<string, string | undefined> = {}
  beforeAll(async () => {
    for (const k of ENV) saved[k] = process.env[k]
    const port = await freePort()
    ref.appUrl = `http://localhost:${port}`
    const certDir = join(tmpdir(), "medusa-payment-jp-paygent-certs")
    ;[ref.rp, ref.sbps, ref.pg, ref.po, ref.br] = await Promise.all([
      startRobotPaymentSimulator({ stores: [{ aid: "123456" }] }),
      startSbpsSimulator({ merchants: [SANDBOX_MERCHANT, SBPS_SECOND_MERCHANT] }),
      startPaygentSimulator({ certDir, noticeRetryMs: 200 }),
      startPaymentOptionsSimulator({ merchants: PO_MERCHANTS }),
      startBillingRoboSimulator({ signatureKey: "billing-robo-test-signature-key", webhookUrl: `${ref.appUrl}/jp-payments/card-registration/${BR}/webhook` }),
    ])
    Object.assign(process.env, {
      PORT: String(port),
      ROBOT_PAYMENT_BASE_URL: ref.rp.url,
      SBPS_BASE_URL: ref.sbps.url,
      SBPS_BACKEND_URL: ref.appUrl,
      PAYGENT_BASE_URL: ref.pg.url,
      PAYGENT_TOKEN_SCRIPT_URL: `${ref.pg.browserUrl}/js/PaygentToken.js`,
      PAYGENT_CERT_DIR: certDir,
      PAYGENT_BACKEND_URL: ref.appUrl,
      PAYMENT_OPTIONS_BASE_URL: ref.po.url,
      PAYMENT_OPTIONS_BACKEND_URL: ref.appUrl,
      PAYMENT_OPTIONS_STOREFRONT_URL: "http://storefront.test",
      BILLING_ROBO_BASE_URL: ref.br.url,
      JP_TEST_GATEWAY_TIMEOUT_MS: String(TIMEOUT_MS),
    })
  })
  afterAll(async () => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
    await Promise.all([ref.rp?.close(), ref.sbps?.close(), ref.pg?.close(), ref.po?.close(), ref.br?.close()])
  })
  return ref
}

export type Op = "authorize" | "capture" | "refund" | "cancel"
export type FaultName = "timeout" | "reset" | "5xx" | "malformed" | "encoding" | "slow"
export const FAULTS: FaultName[] = ["timeout", "reset", "5xx", "malformed", "encoding", "slow"]

/** What each named fault is in the simulators' own words. */
export const FAULT_WORDS: Record<FaultName, string> = {
  timeout: "the gateway acts, its answer is held past the timeout (delay after)",
  reset: "the gateway acts, then the connection is reset (reset after)",
  "5xx": "an HTML 503 page, nothing done",
  malformed: "a 200 HTML page instead of the answer, nothing done",
  encoding: "the gateway acts, its answer comes in the other charset",
  slow: "the request waits past the timeout, then the gateway acts (delay before)",
}

export function faultFor(name: FaultName): Record<string, unknown> {
  switch (name) {
    case "timeout":
      return { kind: "delay", ms: SLOW_MS, after: true }
    case "reset":
      return { kind: "reset", after: true }
    case "5xx":
      return { kind: "status", status: 503 }
    case "malformed":
      return { kind: "malformed" }
    case "encoding":
      return { kind: "wrong-encoding" }
    case "slow":
      return { kind: "delay", ms: SLOW_MS }
  }
}

/** The state of an order's money at the gateway, as its simulator holds it. */
export interface GatewayTruth {
  /** Authorizations (or sales) alive for the order code: never more than one. */
  live: number
  state: "none" | "authorized" | "captured" | "partially_refunded" | "refunded" | "canceled"
  /** What is charged now (authorized or sold, less refunds). */
  amount: number
  refunded: number
}

export interface Order {
  orderId: string
  code: string
  paymentId: string
}

/** A merchant's answer: an HTTP status and the message Medusa's API gave. */
export interface Answer {
  status: number
  message: string
}

export interface Driver {
  gw: string
  provider: string
  ops: Op[]
  /** Whether the gateway can be asked about a payment sent without an answer (its findCharge). */
  findsCharges: boolean
  /** A refund's amount of the ¥3,000 order (partial where the gateway refunds a part). */
  refundAmount: number
  /** Where a fault on the authorizing call goes. */
  authTarget: Record<string, unknown>
  sim: { inject(f: unknown): void; clearFaults(): void }
  /** Checkout up to the authorizing call; `beforeAuthorize` runs just before it (fault injection). */
  checkout(beforeAuthorize?: () => void): Promise<{
    code: string
    first: Answer & { orderId?: string }
    complete: () => Promise<Answer & { orderId?: string }>
    /** The session's state as the plugin left it (public: what the storefront reads). */
    jp: () => Promise<Record<string, any>>
  }>
  truth(code: string): GatewayTruth
}

/**
 * Each gateway's guest email: Medusa makes a guest customer for a cart's email, and two carts made at
 * once with one email race to make it ("Customer with email … already exists").
 */
const EMAIL = { rp: "buyer-rp@example.jp", sbps: "buyer-sbps@example.jp", paygent: "buyer-paygent@example.jp", payment_options: "buyer-po@example.jp" }

const messageOf = (r: { status: number; data: any }): Answer => ({ status: r.status, message: String(r.data?.message ?? r.data?.error?.message ?? "") })

export function drivers(api: AxiosInstance, store: () => Store, sims: Sims, brCustomer: () => Promise<Record<string, string>>): Driver[] {
  const complete = async (cartId: string, headers: Record<string, string>) => {
    const r = await api.post(`/store/carts/${cartId}/complete`, {}, { headers }).catch(responseOf)
    return { ...messageOf(r), orderId: r.data?.type === "order" ? (r.data.order.id as string) : undefined }
  }
  const sessionOf = async (cartId: string, headers: Record<string, string>) =>
    (await api.get(`/store/carts/${cartId}?fields=*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0] as { data: Record<string, any> }
  const visit = (url: string) => {
    const u = new URL(url)
    return api.get(u.pathname + u.search, { maxRedirects: 0, validateStatus: () => true })
  }

  const rp: Driver = {
    gw: "ROBOT PAYMENT",
    provider: RP,
    findsCharges: false,
    ops: ["authorize", "capture", "refund", "cancel"],
    refundAmount: 3000, // no partial refund without a saved card (cancel-and-recharge)
    authTarget: { path: "/gateway/gateway_token.aspx" },
    sim: sims.rp,
    async checkout(before) {
      const s = store()
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2, email: EMAIL.rp })
      const first = await paymentSession(api, collectionId, RP, headers)
      const tkn = await createToken(sims.rp.url, first.data.jp.browser.aid, { cn: "4444333322221111" })
      await authenticate(sims.rp.url, "123456", tkn, first.data.jp.browser.three_ds)
      const session = await paymentSession(api, collectionId, RP, headers, { token: tkn })
      before?.()
      return { code: session.data.jp.order_code, first: await complete(cart.id, headers), complete: () => complete(cart.id, headers), jp: async () => (await sessionOf(cart.id, headers)).data.jp }
    },
    truth(code) {
      const txs = sims.rp.transactions().filter((t) => t.cod === code && t.state !== "FAILED")
      const live = txs.filter((t) => t.state === "AUTH" || t.state === "CAPTURED")
      const t = txs.at(-1)
      const amount = live.reduce((n, x) => n + x.am + x.tx + x.sf, 0)
      if (!t) return { live: 0, state: "none", amount: 0, refunded: 0 }
      // ROBOT PAYMENT's CANCEL is a void before the sale and the whole refund after it
      const state = t.state === "AUTH" ? "authorized" : t.state === "CAPTURED" ? "captured" : "canceled"
      // a CANCEL gives the whole amount back (void or refund): counted as refunded
      const refunded = txs.filter((x) => x.state === "CANCELED").reduce((n, x) => n + x.am + x.tx + x.sf, 0)
      return { live: live.length, state, amount, refunded }
    },
  }

  const sbps: Driver = {
    gw: "SBPS",
    provider: SBPS,
    findsCharges: false,
    ops: ["authorize", "capture", "refund", "cancel"],
    refundAmount: 1000,
    authTarget: { id: "ST01-00118-101" },
    sim: sims.sbps,
    async checkout(before) {
      const s = store()
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2, email: EMAIL.sbps })
      const first = await paymentSession(api, collectionId, SBPS, headers)
      const tokens = await sbpsTokens(sims.sbps.url, first.data.jp.browser, "4111111111111111")
      const session = await paymentSession(api, collectionId, SBPS, headers, tokens)
      const waiting = await sessionOf(cart.id, headers)
      await visit(await runThreeDS(waiting.data.jp.redirect.url))
      before?.()
      return { code: session.data.jp.order_code, first: await complete(cart.id, headers), complete: () => complete(cart.id, headers), jp: async () => (await sessionOf(cart.id, headers)).data.jp }
    },
    truth(code) {
      const txs = sims.sbps.transactions().filter((t) => t.orderId === code && t.commitStatus === "1")
      const states = { "1": "authorized", "2": "captured", "3": "canceled", "4": "refunded", "5": "partially_refunded" } as const
      const live = txs.filter((t) => ["1", "2", "5"].includes(t.paymentStatus))
      const t = txs.at(-1)
      if (!t) return { live: 0, state: "none", amount: 0, refunded: 0 }
      const amount = live.reduce((n, x) => n + (x.paymentStatus === "1" ? x.amount : x.salesAmount - x.refundedAmount), 0)
      return { live: live.length, state: states[t.paymentStatus as keyof typeof states] ?? "none", amount, refunded: txs.reduce((n, x) => n + x.refundedAmount, 0) }
    },
  }

  const pg: Driver = {
    gw: "PAYGENT",
    provider: PG,
    findsCharges: true,
    ops: ["authorize", "capture", "refund", "cancel"],
    refundAmount: 1000,
    authTarget: { telegram: "020" },
    sim: sims.pg,
    async checkout(before) {
      const s = store()
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2, email: EMAIL.paygent })
      const first = await paymentSession(api, collectionId, PG, headers)
      const b = first.data.jp.browser
      const t = await createPaygentToken(sims.pg.browserUrl, sims.pg.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: "5120790000000000" })
      const session = await paymentSession(api, collectionId, PG, headers, { ...t })
      const waiting = await sessionOf(cart.id, headers)
      const { termUrl } = await runAcs(waiting.data.jp.redirect.html, sims.pg.certificates.caFile, { simUrl: sims.pg.browserUrl })
      await visit(termUrl)
      before?.()
      return { code: session.data.jp.order_code, first: await complete(cart.id, headers), complete: () => complete(cart.id, headers), jp: async () => (await sessionOf(cart.id, headers)).data.jp }
    },
    truth(code) {
      // 028/029 re-authorize under the same trading_id: a new payment_id, the old one cancelled
      const ps = sims.pg.payments().filter((p) => p.tradingId === code && !["10", "11"].includes(p.status))
      const live = ps.filter((p) => p.status === "20" || p.status === "40")
      const base = ps[0]
      if (!base) return { live: 0, state: "none", amount: 0, refunded: 0 }
      const amount = live.reduce((n, p) => n + p.amount, 0)
      const last = ps.at(-1)!
      const state =
        live.length === 0
          ? last.capturedAt
            ? "refunded"
            : "canceled"
          : live[0].status === "20"
            ? "authorized"
            : amount < base.amount
              ? "partially_refunded"
              : "captured"
      return { live: live.length, state, amount, refunded: Math.max(0, base.amount - amount) }
    },
  }

  const po: Driver = {
    gw: "PaymentOptions",
    provider: PO,
    findsCharges: true,
    ops: ["authorize", "capture", "refund", "cancel"],
    refundAmount: 1000,
    authTarget: {},
    sim: sims.po,
    async checkout(before) {
      const s = store()
      const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2, email: EMAIL.payment_options })
      await paymentSession(api, collectionId, PO, headers)
      await complete(cart.id, headers) // requires_more: the hosted page
      const session = await sessionOf(cart.id, headers)
      await payInBrowser(session.data.jp.redirect.url, { number: "4000000000001000" })
      before?.()
      return { code: session.data.jp.order_code, first: await complete(cart.id, headers), complete: () => complete(cart.id, headers), jp: async () => (await sessionOf(cart.id, headers)).data.jp }
    },
    truth(code) {
      const txs = sims.po.transactions()
      const auths = txs.filter((t) => t.merchantTxnRef === code && (t.type === "PRE_AUTH" || t.type === "CAPTURE") && t.status === "succeeded" && !t.parentId)
      const ids = new Set(auths.map((t) => t.id))
      const captures = txs.filter((t) => t.type === "CAPTURE" && t.status === "succeeded" && t.parentId && ids.has(t.parentId))
      for (const c of captures) ids.add(c.id)
      const voids = txs.filter((t) => t.type === "VOID" && t.status === "succeeded" && t.parentId && ids.has(t.parentId))
      const refunds = txs.filter((t) => t.type === "REFUND" && t.status === "succeeded" && t.parentId && ids.has(t.parentId))
      const refunded = refunds.reduce((n, t) => n + t.amount, 0)
      const live = auths.filter((a) => !voids.some((v) => v.parentId === a.id)).length
      if (auths.length === 0) return { live: 0, state: "none", amount: 0, refunded: 0 }
      const sold = captures.reduce((n, t) => n + t.amount, 0)
      const held = auths.reduce((n, t) => n + t.amount, 0)
      const state =
        live === 0 ? "canceled" : captures.length === 0 ? "authorized" : refunded === 0 ? "captured" : refunded >= sold ? "refunded" : "partially_refunded"
      return { live: live + Math.max(0, captures.length - 1), state, amount: live === 0 ? 0 : (captures.length ? sold : held) - refunded, refunded }
    },
  }

  const br: Driver = {
    gw: "請求管理ロボ",
    provider: BR,
    findsCharges: false,
    ops: ["authorize"],
    refundAmount: 3000,
    authTarget: { path: "/api/demand/bulk_register" },
    sim: sims.br,
    async checkout(before) {
      const headers = await brCustomer()
      const { cart, collectionId } = await cartWithCollection(api, store(), { quantity: 2, headers })
      const session = await paymentSession(api, collectionId, BR, headers)
      before?.()
      return { code: session.data.jp.order_code, first: await complete(cart.id, headers), complete: () => complete(cart.id, headers), jp: async () => (await sessionOf(cart.id, headers)).data.jp }
    },
    truth(code) {
      // a 即時決済 is a bill of the 請求先 whose payment carries the order code
      const bills = sims.br.bills().filter((b) => (b as { cod?: string }).cod === code || b.goods_name.includes(code))
      return { live: bills.length, state: bills.length ? "captured" : "none", amount: bills.reduce((n, b) => n + b.total, 0), refunded: 0 }
    },
  }
  return [rp, sbps, pg, po, br]
}

/** The merchant's operation through Medusa's admin API, as its admin sends it (a new request each time). */
export async function perform(api: AxiosInstance, s: Store, op: Exclude<Op, "authorize">, o: Order, amount: number): Promise<Answer> {
  const r =
    op === "capture"
      ? await api.post(`/admin/payments/${o.paymentId}/capture`, {}, s.admin).catch(responseOf)
      : op === "refund"
        ? await api.post(`/admin/payments/${o.paymentId}/refund`, { amount }, s.admin).catch(responseOf)
        : await api.post(`/admin/orders/${o.orderId}/cancel`, {}, s.admin).catch(responseOf)
  return messageOf(r)
}

/** What Medusa's records say of the payment (the plugin's state under data.jp). */
export async function medusaState(api: AxiosInstance, s: Store, orderId: string): Promise<{ state: string; amount: number; refunded: number; pending: unknown }> {
  const p = await orderPayment(api, s, orderId)
  return { state: p.data.jp?.state, amount: p.data.jp?.amount, refunded: p.data.jp?.refunded_amount ?? 0, pending: p.data.jp?.pending ?? null }
}

/** An error that says what happened and what to do next (the advice of src/core/errors.ts and the plugin's own refusals). */
export const CLEAR = /try again later|check the payment in the gateway's control panel|control panel|ask the customer|set-up needs attention|check it in|before trying again/i

/** A logged-in customer with a registered 請求管理ロボ card and an address (what 即時決済 charges). */
export async function billingRoboCustomer(api: AxiosInstance, s: Store, br: BillingRoboSimulator, email: string): Promise<Record<string, string>> {
  const c = await logInCustomer(api, s, email)
  await api.post(
    "/store/customers/me/addresses",
    { first_name: "花子", last_name: "山田", phone: "09012345678", postal_code: "1500001", province: "東京都", city: "渋谷区", address_1: "神宮前1-2-3", country_code: "jp", is_default_billing: true },
    { headers: c.headers }
  )
  const prep = (await api.post("/store/jp-payments/card-registration", { provider_id: BR }, { headers: c.headers })).data
  const tkn = await createToken(br.url, prep.browser.aid, { cn: "4111111111111111" })
  await authenticate(br.url, prep.browser.aid, tkn, prep.browser.three_ds)
  await api.post("/store/jp-payments/card-registration/token", { provider_id: BR, token: tkn }, { headers: c.headers })
  return c.headers
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export { DEFAULT_MERCHANT }
