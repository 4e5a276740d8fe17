/**
 * PaymentOptions ("DAS Gateway") simulator — a strict local stand-in for
 * https://api.paymentoptions.com/api/v1/server-to-server-interface/... and its hosted pages,
 * written from the vendor's OpenAPI files and documentation pages (docs.paymentoptions.com).
 * It imports nothing from src/core or src/gateways. See README.md for what is documented and
 * what is the simulator's own assumption.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { randomUUID, randomBytes } from "node:crypto"
import { SimClock } from "../common/clock"
import { controlRouter } from "../common/control"
import iconv from "iconv-lite"
import { sleep } from "../common/faults"
import { answers, serve } from "../common/http"
import { RequestLog, simulatorBasics, type SimRequest, type Simulator } from "../common/simulator"
import { openStateFile, refill } from "../common/state-file"
import { CHALLENGE_OTP, brandOf, luhnOk, maskPan, scenarioOf, type Scenario } from "./cards"
import { FaultQueue, type Fault } from "./faults"
import { hppPage, messagePage, threeDSPage } from "./pages"

export { TEST_CARDS, CHALLENGE_OTP, type TestCard, type Scenario } from "./cards"
export type { Fault } from "./faults"

const PREFIX = "/api/v1/server-to-server-interface"

export interface SimMerchant {
  /** DASMID. */
  merchantId: string
  /** The Secret API Key: requests carry `Authorization: Basic base64(apiKey)`. */
  apiKey: string
  xApiKey: string
  legalName?: string
  /**
   * What a hosted-page payment makes. The documents do not say whether the HPP authorises or
   * purchases; the simulator makes it a merchant setting (default CAPTURE).
   */
  hppTransactionType?: "PRE_AUTH" | "CAPTURE"
}

export interface PaymentOptionsSimulatorOptions {
  port?: number
  host?: string
  merchants?: SimMerchant[]
  /** Timeout of one webhook POST, default 5000 ms. */
  webhookTimeoutMs?: number
  log?: (line: string) => void
  /** A file that keeps what the gateway holds across restarts (../common/state-file.ts); default: memory only. */
  stateFile?: string
}

export interface SimCard {
  pan: string
  brand: string
  name: string
  expMonth: string
  expYear: string
}

export interface SimTransaction {
  id: string
  ref: number
  merchantId: string
  type: "PRE_AUTH" | "CAPTURE" | "REFUND" | "VOID"
  /** pending: waiting for the shopper (hosted page or 3-D Secure). */
  status: "pending" | "succeeded" | "failed"
  responseCode: number
  code?: string
  message: string
  amount: number
  currency: string
  merchantTxnRef?: string
  card?: SimCard
  storedPaymentMethodId?: string
  /** The transaction a capture, refund or void applies to. */
  parentId?: string
  capturedBy?: string
  voidedBy?: string
  /** On a captured transaction: what was refunded from it. */
  refunded: number
  threeDS?: "frictionless" | "challenge"
  returnUrl?: Record<string, string>
  billing?: Record<string, unknown>
  shipping?: Record<string, unknown>
  customerIp?: string
  storeCard: boolean
  timestamp: string
}

/** A request to the API (/api/v1/…): its Content-Type and body (parsed JSON, or the text when it is not JSON). */
export interface PaymentOptionsRequest extends SimRequest {
  headers: Record<string, string>
  body: unknown
}

export interface WebhookAttempt {
  url: string
  body: Record<string, unknown>
  status?: number
  error?: string
  dropped?: boolean
  at: string
}

export interface SimStoredCard extends SimCard {
  id: string
  merchantId: string
}

/** The clock moves the 3-D Secure page's life and card expiry. */
export interface PaymentOptionsSimulator extends Simulator<Fault, PaymentOptionsRequest> {
  transactions(): SimTransaction[]
  storedCards(): SimStoredCard[]
  webhooks(): WebhookAttempt[]
}

interface HppLink {
  id: string
  code: string
  merchantId: string
  paid: boolean
}

interface Pending3DS {
  token: string
  txnId: string
  scenario: Scenario
  expiresAt: number
}

const JSON_CT = "application/json; charset=utf-8"
const HTML = "text/html; charset=utf-8"
const THREE_DS_TTL_MS = 30 * 60_000 // the sample _token JWT lives 1800 s (docs.paymentoptions.com, 3-D Secure)

class HttpError extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(String(body.message))
  }
}

/** A request the API refuses before any transaction: the framework-style body `{message[], error, statusCode}`. */
const badRequest = (...messages: string[]) => new HttpError(400, { message: messages, error: "Bad Request", statusCode: 400 })

const { send, sendJson } = answers({ jsonContentType: JSON_CT })
const redirect = (res: ServerResponse, location: string) => send(res, 303, HTML, "", { Location: location })

/**
 * Not the shared readBody on purpose: a larger body is answered 400 (an HttpError, see the server's
 * catch) and the socket stays up for that answer — leaving `for await` detaches the request from its
 * socket before destroying it, where the shared readBody drops the connection.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > 1_000_000) throw badRequest("request entity too large")
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks)
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v)

// ---- request validation (the vendor's OpenAPI schemas) --------------------------------------

function optString(o: Obj, key: string, max: number, errs: string[], path = key): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "string") {
    errs.push(`${path} must be a string`)
    return undefined
  }
  if (v.length > max) errs.push(`${path} must be shorter than or equal to ${max} characters`)
  return v
}

function reqString(o: Obj, key: string, max: number, errs: string[], path = key): string | undefined {
  const v = optString(o, key, max, errs, path)
  if (v === undefined || v === "") {
    if (o[key] === undefined || o[key] === "") errs.push(`${path} should not be empty`)
    return undefined
  }
  return v
}

const CURRENCIES = new Set(["JPY", "USD"]) // a Japan merchant (currency.mdx)
const DECIMALS: Record<string, number> = { JPY: 0, USD: 2 }

function checkAmount(v: unknown, currency: string | undefined, kind: "string" | "number", errs: string[]): number | undefined {
  if (kind === "string" ? typeof v !== "string" : typeof v !== "number") {
    errs.push(`amount must be a ${kind}`)
    return undefined
  }
  const s = String(v)
  const decimals = DECIMALS[currency ?? "JPY"] ?? 0
  const re = decimals === 0 ? /^\d{1,10}$/ : /^\d{1,10}(\.\d{1,2})?$/
  if (!re.test(s)) {
    errs.push(decimals === 0 ? `amount must be a whole number of ${currency ?? "JPY"} (no decimals)` : "amount must have at most 2 decimals")
    return undefined
  }
  const n = Number(s)
  if (n <= 0) {
    errs.push("amount must be greater than 0")
    return undefined
  }
  return n
}

function checkAddress(v: unknown, path: string, required: boolean, errs: string[]): Obj | undefined {
  if (v === undefined) {
    if (required) errs.push(`${path} should not be empty`)
    return undefined
  }
  if (!isObj(v)) {
    errs.push(`${path} must be an object`)
    return undefined
  }
  const country = reqString(v, "country", 2, errs, `${path}.country`)
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) errs.push(`${path}.country must be an ISO 3166-1 alpha-2 code`)
  const email = reqString(v, "email", 45, errs, `${path}.email`)
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) errs.push(`${path}.email must be an email`)
  optString(v, "phone_number", 20, errs, `${path}.phone_number`)
  optString(v, "address1", 199, errs, `${path}.address1`)
  optString(v, "city", 65, errs, `${path}.city`)
  optString(v, "state", 65, errs, `${path}.state`)
  optString(v, "postal_code", 45, errs, `${path}.postal_code`)
  return v
}

function checkReturnUrl(v: unknown, required: string[], errs: string[]): Record<string, string> | undefined {
  if (v === undefined) {
    if (required.length) errs.push("return_url should not be empty")
    return undefined
  }
  if (!isObj(v)) {
    errs.push("return_url must be an object")
    return undefined
  }
  const out: Record<string, string> = {}
  for (const k of ["webhook_url", "success_url", "decline_url", "cancel_url"]) {
    const s = required.includes(k) ? reqString(v, k, 255, errs, `return_url.${k}`) : optString(v, k, 255, errs, `return_url.${k}`)
    if (s === undefined) continue
    if (!/^https?:\/\/[^\s]+$/i.test(s)) errs.push(`return_url.${k} must be a URL address`)
    else out[k] = s
  }
  return out
}

interface CardInput {
  pan: string
  expMonth: string
  expYear: string
  cvc: string
  name: string
}

function checkCard(v: unknown, errs: string[], prefix = "card."): CardInput | undefined {
  const before = errs.length
  if (!isObj(v)) {
    errs.push(`${prefix.slice(0, -1) || "card"} must be an object`)
    return undefined
  }
  const pan = reqString(v, "number", 16, errs, `${prefix}number`)
  const expMonth = reqString(v, "expiry_month", 2, errs, `${prefix}expiry_month`)
  const expYear = reqString(v, "expiry_year", 4, errs, `${prefix}expiry_year`)
  const cvc = reqString(v, "cvc", 4, errs, `${prefix}cvc`)
  const name = reqString(v, "name", 100, errs, `${prefix}name`)
  if (pan !== undefined && (!/^\d{13,16}$/.test(pan) || !luhnOk(pan))) errs.push(`${prefix}number is not a valid card number`)
  if (expMonth !== undefined && !/^(0[1-9]|1[0-2])$/.test(expMonth)) errs.push(`${prefix}expiry_month must be 01–12`)
  if (expYear !== undefined && !/^(\d{2}|\d{4})$/.test(expYear)) errs.push(`${prefix}expiry_year must be YY or YYYY`)
  if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) errs.push(`${prefix}cvc must be 3 or 4 digits`)
  if (errs.length > before) return undefined
  return { pan: pan!, expMonth: expMonth!, expYear: expYear!, cvc: cvc!, name: name! }
}

function expired(c: { expMonth: string; expYear: string }, now: Date): boolean {
  const y = c.expYear.length === 2 ? 2000 + Number(c.expYear) : Number(c.expYear)
  const m = Number(c.expMonth)
  return y < now.getUTCFullYear() || (y === now.getUTCFullYear() && m < now.getUTCMonth() + 1)
}

// ---- the simulator --------------------------------------------------------------------------------

export async function startPaymentOptionsSimulator(opts: PaymentOptionsSimulatorOptions = {}): Promise<PaymentOptionsSimulator> {
  const log = opts.log ?? (() => undefined)
  const merchants = new Map<string, Required<SimMerchant>>()
  for (const m of opts.merchants ?? [{ merchantId: "JP00000472", apiKey: "sim-api-key", xApiKey: "sim-x-api-key" }]) {
    merchants.set(m.merchantId, { legalName: "シミュレーター株式会社", hppTransactionType: "CAPTURE", ...m })
  }
  const txns = new Map<string, SimTransaction>()
  const stored = new Map<string, SimStoredCard>()
  const links = new Map<string, HppLink>() // by page code
  const pending3ds = new Map<string, Pending3DS>()
  const webhooks: WebhookAttempt[] = []
  const clock = new SimClock()
  const received = new RequestLog<PaymentOptionsRequest>(clock)
  const faults = new FaultQueue()
  let ref = 74_000
  let baseUrl = ""
  // kept: transactions, stored cards, hosted pages and 3-D Secure pages (with their transactions), the reference counter
  const stateFile = openStateFile(opts.stateFile, "payment-options", {
    save: () => ({ txns, stored, links, pending3ds, ref }),
    load: (saved) => {
      refill(txns, saved.txns)
      refill(stored, saved.stored)
      refill(links, saved.links)
      refill(pending3ds, saved.pending3ds)
      ref = Number(saved.ref ?? ref)
    },
  })

  // ---- authentication ----

  function merchantOf(req: IncomingMessage): Required<SimMerchant> {
    const auth = req.headers.authorization ?? ""
    const xKey = req.headers["x-api-key"]
    for (const m of merchants.values()) {
      if (auth === `Basic ${Buffer.from(m.apiKey, "utf8").toString("base64")}` && xKey === m.xApiKey) return m
    }
    throw new HttpError(401, { message: "Unauthorized", statusCode: 401 })
  }

  function checkMerchantId(body: Obj, m: Required<SimMerchant>, max: number, errs: string[]): void {
    const id = reqString(body, "merchant_id", max, errs)
    if (id !== undefined && id !== m.merchantId) errs.push("merchant_id does not match the API key")
  }

  // ---- the transaction envelope (the OpenAPI responses) ----

  function envelope(t: SimTransaction, statusCode: number, opts: { status?: boolean } = {}): Record<string, unknown> {
    const m = merchants.get(t.merchantId)!
    const pending = t.status === "pending"
    const info = t.status === "succeeded"
    const td: Record<string, unknown> = {
      id: t.id,
      ref: t.ref,
      timestamp: t.timestamp,
      merchant_txn_ref: t.merchantTxnRef ?? null,
      stored_payment_method_id: t.storedPaymentMethodId ?? null,
    }
    if (opts.status) td.billing_details = { billing_address: t.billing ?? null, shipping_address: t.shipping ?? null }
    const body: Record<string, unknown> = {
      success: info,
      status_code: statusCode,
      is_live: false,
      transaction_type: t.type,
      gateway_response: pending
        ? { version: "1", type: "PENDING", message: "The transaction is pending" }
        : info
          ? { version: "1", type: "INFO", message: t.message, code: t.code }
          : { version: "1", type: "ERROR", message: t.message, ...(t.code ? { code: t.code } : {}) },
      merchant_details: {
        legal_name: m.legalName,
        mid: m.merchantId,
        merchant_txn_ref: t.merchantTxnRef ?? null,
        device_details: { visited_ip: t.customerIp ?? null, customer_ip: t.customerIp ?? null },
      },
      payment_details: {
        amount: t.amount,
        response_code: pending ? 578 : t.responseCode,
        ...(opts.status ? { responseDescription: pending ? "The transaction is pending" : t.message } : {}),
        auth_code: info && (t.type === "PRE_AUTH" || t.type === "CAPTURE") ? String(100000 + (t.ref % 900000)) : null,
        currency: t.currency,
        payment_method: t.card ? (t.card.brand === "VISA" ? "VISA-SSL" : t.card.brand === "MASTERCARD" ? "ECMC-SSL" : `${t.card.brand}-SSL`) : null,
        scheme: t.card?.brand ?? null,
        card: t.card ? { name: t.card.name, number: maskPan(t.card.pan), exp_month: t.card.expMonth, exp_year: t.card.expYear } : null,
        additional_data: { payment_data_source: { type: "card" } },
      },
      transaction_details: td,
    }
    // risk-details in payment answers, risk_details in status answers (the documents' own inconsistency)
    body[opts.status ? "risk_details" : "risk-details"] = { risk_score: null }
    return body
  }

  function newTxn(m: Required<SimMerchant>, init: Partial<SimTransaction> & Pick<SimTransaction, "type" | "amount" | "currency">): SimTransaction {
    const t: SimTransaction = {
      id: randomUUID(),
      ref: ++ref,
      merchantId: m.merchantId,
      status: "pending",
      responseCode: 578,
      message: "The transaction is pending",
      refunded: 0,
      storeCard: false,
      timestamp: clock.iso(),
      ...init,
    }
    txns.set(t.id, t)
    return t
  }

  /** Runs the authorisation of a card whose 3-D Secure (if any) is done. */
  function decide(t: SimTransaction, card: SimCard, threeDSOk: boolean, scenario: Scenario): void {
    t.card = card
    t.timestamp = clock.iso()
    const fail = (code: number, message: string) => Object.assign(t, { status: "failed", responseCode: code, message, code: undefined })
    if (!threeDSOk) return void fail(937, "Card Authentication failed")
    if (expired(card, new Date(clock.now()))) return void fail(54, "Expired card")
    if (scenario === "refused") return void fail(5, "Do not honour")
    Object.assign(t, { status: "succeeded", responseCode: 0, message: "Payment Successful.", code: "INFO0000" })
    if (t.storeCard && !t.storedPaymentMethodId) {
      const id = randomUUID()
      stored.set(id, { id, merchantId: t.merchantId, ...card })
      t.storedPaymentMethodId = id
    }
  }

  // ---- webhooks (docs.paymentoptions.com, Webhooks): the envelope, POSTed as JSON, no signature ----

  async function sendWebhook(t: SimTransaction): Promise<void> {
    const url = t.returnUrl?.webhook_url
    if (!url) return
    const body = envelope(t, 200)
    const mode = faults.webhook()
    if (mode === "drop") {
      webhooks.push({ url, body, dropped: true, at: clock.iso() })
      return
    }
    for (let i = 0; i < (mode === "duplicate" ? 2 : 1); i++) {
      const attempt: WebhookAttempt = { url, body, at: clock.iso() }
      webhooks.push(attempt)
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(opts.webhookTimeoutMs ?? 5000),
        })
        attempt.status = res.status
        await res.arrayBuffer().catch(() => undefined)
      } catch (e) {
        attempt.error = (e as Error).message
      }
      log(`webhook ${t.id} → ${url.replace(/\?.*/, "")} ${attempt.status ?? attempt.error}`)
    }
  }

  /** After the shopper's step: the webhook first, then the browser goes to success_url or decline_url. */
  async function finishInBrowser(res: ServerResponse, t: SimTransaction): Promise<void> {
    await sendWebhook(t)
    const to = t.status === "succeeded" ? t.returnUrl?.success_url : t.returnUrl?.decline_url
    if (to) return redirect(res, to)
    send(res, 200, HTML, messagePage(t.status === "succeeded" ? "Payment Successful" : "Payment Failed", t.message))
  }

  function start3DS(t: SimTransaction, scenario: Scenario): string {
    const token = randomBytes(24).toString("base64url")
    pending3ds.set(token, { token, txnId: t.id, scenario, expiresAt: clock.now() + THREE_DS_TTL_MS })
    t.threeDS = "challenge"
    return `${baseUrl}/integration/3ds?_token=${token}&_c=400000&_a=${Buffer.from("simulator").toString("base64")}`
  }

  // ---- payment, paymentv2, authorization, authorizationv2 (OpenAPI; トークン使用API; 3-D Secure) ----

  function payment(path: string, m: Required<SimMerchant>, body: Obj): [number, unknown] {
    const type = path.includes("authorization") ? "PRE_AUTH" : "CAPTURE"
    const errs: string[] = []
    checkMerchantId(body, m, 128, errs)
    const currency = reqString(body, "currency", 3, errs)
    if (currency !== undefined && !CURRENCIES.has(currency)) errs.push(`currency must be one of ${[...CURRENCIES].join(", ")}`)
    const amount = checkAmount(body.amount, currency, "string", errs)
    const merchantTxnRef = optString(body, "merchant_txn_ref", 45, errs)
    const customerIp = optString(body, "customer_ip", 45, errs)
    optString(body, "time_zone", 64, errs)
    const pm = body.payment_method
    let storedId: string | undefined
    let storeCard = false
    if (pm !== undefined) {
      if (!isObj(pm)) errs.push("payment_method must be an object")
      else {
        if (pm.type !== "scheme") errs.push('payment_method.type must be "scheme"')
        if (pm.store_payment_method !== undefined && typeof pm.store_payment_method !== "boolean") errs.push("payment_method.store_payment_method must be a boolean")
        storeCard = pm.store_payment_method === true
        storedId = optString(pm, "stored_payment_method_id", 36, errs, "payment_method.stored_payment_method_id")
        if (pm.store_payment_method_id !== undefined) errs.push("payment_method.store_payment_method_id is not a field (the JP page's typo): use stored_payment_method_id")
      }
    }
    let card: CardInput | undefined
    if (body.card !== undefined && storedId !== undefined) errs.push("send either card or payment_method.stored_payment_method_id, not both")
    else if (body.card !== undefined) card = checkCard(body.card, errs)
    else if (storedId === undefined) errs.push("card should not be empty")
    // billing_address is required with a card; optional with a token (removed from the token example, 2026-03-25)
    const billing = checkAddress(body.billing_address, "billing_address", body.card !== undefined, errs)
    const shipping = checkAddress(body.shipping_address, "shipping_address", false, errs)
    const returnUrl = checkReturnUrl(body.return_url, [], errs)
    if (errs.length) throw badRequest(...errs)

    let simCard: SimCard
    if (storedId !== undefined) {
      const s = stored.get(storedId)
      if (!s || s.merchantId !== m.merchantId) throw badRequest("payment_method.stored_payment_method_id is not a stored payment method of this merchant")
      simCard = { pan: s.pan, brand: s.brand, name: s.name, expMonth: s.expMonth, expYear: s.expYear }
      storeCard = false
    } else {
      simCard = { pan: card!.pan, brand: brandOf(card!.pan), name: card!.name, expMonth: card!.expMonth, expYear: card!.expYear }
    }
    const scenario = scenarioOf(simCard.pan)
    const t = newTxn(m, { type, amount: amount!, currency: currency!, merchantTxnRef, customerIp, billing, shipping, returnUrl, storeCard, storedPaymentMethodId: storedId })
    if (scenario === "challenge" || scenario === "challenge_failed") {
      // The 3-D Secure variant: merchant_txn_ref, customer_ip and return_url are required (purchase.json).
      const missing: string[] = []
      if (!merchantTxnRef) missing.push("merchant_txn_ref should not be empty")
      if (!customerIp) missing.push("customer_ip should not be empty")
      for (const k of ["webhook_url", "success_url", "decline_url"]) if (!returnUrl?.[k]) missing.push(`return_url.${k} should not be empty`)
      if (missing.length) {
        txns.delete(t.id)
        throw badRequest(...missing)
      }
      t.card = simCard
      const url = start3DS(t, scenario)
      return [200, { url, statusCode: 200, success: true, redirect_url: url }]
    }
    t.threeDS = "frictionless"
    decide(t, simCard, scenario !== "frictionless_failed", scenario)
    void sendWebhook(t)
    return t.status === "succeeded" ? [201, envelope(t, 201)] : [400, envelope(t, 400)]
  }

  // ---- capture, void, refund (OpenAPI) ----

  function target(body: Obj, m: Required<SimMerchant>, errs: string[]): SimTransaction | undefined {
    const id = reqString(body, "transactionId", 36, errs)
    checkMerchantId(body, m, 10, errs)
    optString(body, "notes", 128, errs)
    if (errs.length) throw badRequest(...errs)
    const t = txns.get(id!)
    if (!t || t.merchantId !== m.merchantId) throw new HttpError(404, { message: "Transaction not found", error: "Not Found", statusCode: 404 })
    return t
  }

  function refused(status: number, t: SimTransaction, message: string, code?: string, responseCode = -1): [number, unknown] {
    return [
      status,
      {
        success: false,
        status_code: status,
        is_live: false,
        transaction_type: t.type,
        gateway_response: { version: "1", type: "ERROR", message, ...(code ? { code } : {}) },
        payment_details: { amount: t.amount, response_code: responseCode, currency: t.currency },
        transaction_details: { id: t.id, ref: t.ref, merchant_txn_ref: t.merchantTxnRef ?? null },
      },
    ]
  }

  function capture(m: Required<SimMerchant>, body: Obj): [number, unknown] {
    const errs: string[] = []
    const t = target(body, m, errs)!
    const amount = checkAmount(body.amount, t.currency, "number", errs)
    if (errs.length) throw badRequest(...errs)
    if (t.type !== "PRE_AUTH" || t.status !== "succeeded") return refused(400, t, "Only a successful authorisation can be captured")
    if (t.voidedBy) return refused(400, t, "The authorisation is cancelled")
    // One capture, in full or for less: the rest is released (capture.mdx).
    if (t.capturedBy) return refused(400, t, "The authorisation is already captured")
    if (amount! > t.amount) return refused(400, t, "Only the amount that was previously authorised can be captured", undefined, 836)
    const c = newTxn(m, { type: "CAPTURE", amount: amount!, currency: t.currency, merchantTxnRef: t.merchantTxnRef, card: t.card, parentId: t.id, storedPaymentMethodId: t.storedPaymentMethodId })
    Object.assign(c, { status: "succeeded", responseCode: 0, code: "INFO0001", message: "Amount successfully captured." })
    t.capturedBy = c.id
    return [201, envelope(c, 201)]
  }

  function voidAuth(m: Required<SimMerchant>, body: Obj): [number, unknown] {
    const errs: string[] = []
    const t = target(body, m, errs)!
    if (t.type !== "PRE_AUTH" || t.status !== "succeeded") return refused(400, t, "Only a successful authorisation can be cancelled")
    if (t.capturedBy) return refused(400, t, "The authorisation is captured: refund the capture instead")
    if (t.voidedBy) return refused(400, t, "The authorisation is already cancelled")
    const v = newTxn(m, { type: "VOID", amount: t.amount, currency: t.currency, merchantTxnRef: t.merchantTxnRef, card: t.card, parentId: t.id })
    Object.assign(v, { status: "succeeded", responseCode: 0, code: "INFO0003", message: "Authorization Successfully Cancelled." })
    t.voidedBy = v.id
    return [201, envelope(v, 201)]
  }

  function refund(m: Required<SimMerchant>, body: Obj): [number, unknown] {
    const errs: string[] = []
    const t = target(body, m, errs)!
    const amount = checkAmount(body.amount, t.currency, "number", errs)
    if (errs.length) throw badRequest(...errs)
    if (t.type !== "CAPTURE" || t.status !== "succeeded") {
      return refused(400, t, t.type === "PRE_AUTH" && t.capturedBy ? "Refund the capture transaction, not the authorisation" : "Only a captured transaction can be refunded")
    }
    const balance = t.amount - t.refunded
    if (amount! > balance) return refused(400, t, "You don't have balance amount for refund.", "ERR0204", -1)
    const r = newTxn(m, { type: "REFUND", amount: amount!, currency: t.currency, merchantTxnRef: t.merchantTxnRef, card: t.card, parentId: t.id })
    Object.assign(r, { status: "succeeded", responseCode: 0, code: "INFO0002", message: "Amount successfully refunded." })
    t.refunded += amount!
    return [201, envelope(r, 201)]
  }

  function statusOf(m: Required<SimMerchant>, id: string): [number, unknown] {
    const t = txns.get(id)
    if (!t || t.merchantId !== m.merchantId) throw new HttpError(404, { message: "Transaction not found", error: "Not Found", statusCode: 404 })
    return [200, envelope(t, 200, { status: true })]
  }

  // ---- hosted payment page (docs.paymentoptions.com, Hosted Payment Page) ----

  function hppLink(m: Required<SimMerchant>, body: Obj): [number, unknown] {
    const errs: string[] = []
    checkMerchantId(body, m, 128, errs)
    const currency = reqString(body, "currency", 3, errs)
    if (currency !== undefined && !CURRENCIES.has(currency)) errs.push(`currency must be one of ${[...CURRENCIES].join(", ")}`)
    const amount = checkAmount(body.amount, currency, "number", errs)
    const email = reqString(body, "merchant_email", 45, errs)
    if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) errs.push("merchant_email must be an email")
    const merchantTxnRef = optString(body, "merchant_txn_ref", 45, errs)
    const billing = checkAddress(body.billing_address, "billing_address", true, errs)
    const shipping = checkAddress(body.shipping_address, "shipping_address", false, errs)
    const returnUrl = checkReturnUrl(body.return_url, ["webhook_url", "success_url", "decline_url"], errs)
    let storeCard = false
    if (body.payment_method !== undefined) {
      const pm = body.payment_method
      if (!isObj(pm) || pm.type !== "scheme") errs.push('payment_method.type must be "scheme" for a card')
      else if (pm.store_payment_method !== undefined && typeof pm.store_payment_method !== "boolean") errs.push("payment_method.store_payment_method must be a boolean")
      else storeCard = pm.store_payment_method === true
    }
    if (errs.length) throw badRequest(...errs)
    // The link id is the "transaction reference ID": the payment made on the page carries it.
    const t = newTxn(m, { type: m.hppTransactionType, amount: amount!, currency: currency!, merchantTxnRef, billing, shipping, returnUrl, storeCard })
    const code = randomBytes(6).toString("base64url")
    links.set(code, { id: t.id, code, merchantId: m.merchantId, paid: false })
    return [
      200,
      {
        id: t.id,
        url: `${baseUrl}/jp/HostedPaymentPage/${code}`,
        amount: amount,
        currency,
        merchant_txn_ref: merchantTxnRef ?? null,
        merchant_id: m.merchantId,
        merchant_email: email,
        return_url: returnUrl,
        billing_address: billing,
        shipping_address: shipping ?? null,
      },
    ]
  }

  async function hppPost(res: ServerResponse, link: HppLink, form: URLSearchParams): Promise<void> {
    const t = txns.get(link.id)!
    const errs: string[] = []
    const card = checkCard(
      { number: (form.get("card_number") ?? "").replace(/[\s-]/g, ""), expiry_month: form.get("expiry_month") ?? "", expiry_year: form.get("expiry_year") ?? "", cvc: form.get("cvc") ?? "", name: form.get("card_name") ?? "" },
      errs,
      ""
    )
    if (!card) return send(res, 400, HTML, hppView(link, errs.join("; ")))
    link.paid = true
    const simCard: SimCard = { pan: card.pan, brand: brandOf(card.pan), name: card.name, expMonth: card.expMonth, expYear: card.expYear }
    const scenario = scenarioOf(card.pan)
    if (scenario === "challenge" || scenario === "challenge_failed") {
      t.card = simCard
      return redirect(res, start3DS(t, scenario))
    }
    t.threeDS = "frictionless"
    decide(t, simCard, scenario !== "frictionless_failed", scenario)
    return finishInBrowser(res, t)
  }

  function hppView(link: HppLink, error?: string): string {
    const t = txns.get(link.id)!
    const m = merchants.get(link.merchantId)!
    return hppPage({ code: link.code, amount: String(t.amount), currency: t.currency, merchant: m.legalName, error, cancelHref: `/jp/HostedPaymentPage/${link.code}/cancel` })
  }

  // ---- 3-D Secure page ----

  async function threeDSPost(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const p = pending3ds.get(form.get("_token") ?? "")
    if (!p || p.expiresAt < clock.now()) return send(res, 400, HTML, messagePage("3-D Secure", "This authentication has expired or does not exist."))
    const t = txns.get(p.txnId)!
    const action = form.get("action") ?? "submit"
    const otp = form.get("otp") ?? ""
    if (action === "submit" && otp !== CHALLENGE_OTP && p.scenario === "challenge") {
      return send(res, 200, HTML, threeDSPage({ token: p.token, amount: String(t.amount), currency: t.currency, pan: maskPan(t.card!.pan), error: `Wrong code: the simulator's code is ${CHALLENGE_OTP}` }))
    }
    pending3ds.delete(p.token)
    const ok = action === "submit" && p.scenario === "challenge"
    decide(t, t.card!, ok, p.scenario)
    log(`3-D Secure ${t.id}: ${ok ? "authenticated" : "failed"} → ${t.status}`)
    return finishInBrowser(res, t)
  }

  // ---- HTTP ----

  const api = {
    ...simulatorBasics({ clock, faults, requests: received }),
    transactions: () => [...txns.values()].map((t) => ({ ...t, card: t.card ? { ...t.card } : undefined })),
    storedCards: () => [...stored.values()].map((s) => ({ ...s })),
    webhooks: () => webhooks.map((w) => ({ ...w })),
  }
  const control = controlRouter(api, {
    "GET /__sim/transactions": () => api.transactions(),
    "GET /__sim/webhooks": () => api.webhooks(),
  })

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    const method = req.method ?? "GET"
    const isApi = path.startsWith(PREFIX + "/")
    const raw = await readBody(req)
    let body: unknown = undefined
    if (isApi) {
      if (method === "POST") {
        try {
          body = JSON.parse(raw.toString("utf8"))
        } catch {
          body = raw.toString("utf8")
        }
      }
      received.add(method, path, { headers: { "content-type": String(req.headers["content-type"] ?? "") }, body })
    }

    const fault = faults.forRequest(path, isApi)
    if (fault) log(`fault ${fault.kind} on ${method} ${path}`)
    if (fault?.kind === "delay" && !fault.after) await sleep(fault.ms)
    if (fault?.kind === "reset" && !fault.after) return void req.socket.destroy()
    if (fault?.kind === "status") return send(res, fault.status, HTML, `<html><body><h1>${fault.status}</h1></body></html>`)
    if (fault?.kind === "malformed") return send(res, 200, HTML, "<html><body><h1>Service Unavailable</h1></body></html>")

    let status: number
    let out: unknown
    if (isApi) {
      try {
        const m = merchantOf(req)
        const op = path.slice(PREFIX.length)
        if (method === "POST") {
          if (!/^application\/json\b/i.test(String(req.headers["content-type"] ?? ""))) throw badRequest("Content-Type must be application/json")
          if (!isObj(body)) throw badRequest("the body must be a JSON object")
        }
        const route = `${method} ${op}`
        if (route === "POST /payment" || route === "POST /paymentv2" || route === "POST /authorization" || route === "POST /authorizationv2") {
          ;[status, out] = payment(op, m, body as Obj)
        } else if (route === "POST /capture") [status, out] = capture(m, body as Obj)
        else if (route === "POST /void") [status, out] = voidAuth(m, body as Obj)
        else if (route === "POST /refund") [status, out] = refund(m, body as Obj)
        else if (route === "POST /hpp/generate/link") [status, out] = hppLink(m, body as Obj)
        else if (method === "GET" && /^\/transaction\/status\/[^/]+$/.test(op)) [status, out] = statusOf(m, decodeURIComponent(op.split("/").pop()!))
        else throw new HttpError(404, { message: `Cannot ${method} ${path}`, error: "Not Found", statusCode: 404 })
      } catch (e) {
        if (!(e instanceof HttpError)) throw e
        ;[status, out] = [e.status, e.body]
      }
      // An answer whose response_code says "result unclear" (or any other): the transaction still happened.
      const rc = faults.responseCode(path)
      if (rc !== undefined && isObj(out)) {
        const pd = isObj(out.payment_details) ? out.payment_details : {}
        out = { ...out, success: false, payment_details: { ...pd, response_code: rc } }
      }
      if (fault?.kind === "reset" && fault.after) return void req.socket.destroy()
      if (fault?.kind === "delay" && fault.after) await sleep(fault.ms)
      log(`${method} ${path} → ${status}`)
      // wrong-encoding: the same JSON in Shift_JIS bytes, still labelled utf-8
      if (fault?.kind === "wrong-encoding") return send(res, status, JSON_CT, iconv.encode(JSON.stringify(out), "cp932"))
      return sendJson(res, status, out)
    }

    // browser pages
    const hpp = path.match(/^\/jp\/HostedPaymentPage\/([A-Za-z0-9_-]+)(\/cancel)?$/)
    if (hpp) {
      const link = links.get(hpp[1])
      if (!link) return send(res, 404, HTML, messagePage("Not Found", "This payment link does not exist."))
      const t = txns.get(link.id)!
      if (hpp[2]) {
        if (!link.paid) {
          link.paid = true
          Object.assign(t, { status: "failed", responseCode: -1, message: "Payment cancelled by the customer" })
        }
        const to = t.returnUrl?.cancel_url ?? t.returnUrl?.decline_url
        return to ? redirect(res, to) : send(res, 200, HTML, messagePage("Cancelled", "The payment was cancelled."))
      }
      if (link.paid) return send(res, 410, HTML, messagePage("Payment link used", "This payment link has already been used."))
      if (method === "GET") return send(res, 200, HTML, hppView(link))
      if (method === "POST") return hppPost(res, link, new URLSearchParams(raw.toString("utf8")))
    }
    if (path === "/integration/3ds") {
      if (method === "GET") {
        const p = pending3ds.get(url.searchParams.get("_token") ?? "")
        if (!p || p.expiresAt < clock.now()) return send(res, 400, HTML, messagePage("3-D Secure", "This authentication has expired or does not exist."))
        const t = txns.get(p.txnId)!
        return send(res, 200, HTML, threeDSPage({ token: p.token, amount: String(t.amount), currency: t.currency, pan: maskPan(t.card!.pan) }))
      }
      if (method === "POST") return threeDSPost(res, new URLSearchParams(raw.toString("utf8")))
    }
    if (path === "/" && method === "GET") {
      return send(res, 200, HTML, messagePage("PaymentOptions simulator", `API: ${baseUrl}${PREFIX}/… — merchants: ${[...merchants.keys()].join(", ")}`))
    }
    send(res, 404, HTML, messagePage("Not Found", `${method} ${path}`))
  }

  const listening = await serve({
    port: opts.port,
    host: opts.host,
    control,
    handle,
    internalError: (res, e) => (e instanceof HttpError ? sendJson(res, e.status, e.body) : sendJson(res, 500, { message: "Internal server error", statusCode: 500 })),
    log,
    stateFile,
  })
  baseUrl = listening.url
  return { url: baseUrl, close: listening.close, ...api }
}
