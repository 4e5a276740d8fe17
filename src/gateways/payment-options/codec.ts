// The PaymentOptions wire format: JSON bodies in, the transaction envelope (or a 3-D Secure redirect,
// a hosted-page link, or an unknown failure body) out. Parsing tolerates what the documentation itself
// disagrees on (docs/gateways/payment-options.md §4): `risk-details`/`risk_details`,
// `status_code`/`statusCode`, amounts as strings or numbers, masked or full card numbers; every
// sub-object is optional.
import { createHmac, timingSafeEqual } from "node:crypto"
import { CodecError } from "../../core/vocabulary"

/**
 * Fields whose values never reach a log line: the two credentials (headers) and card data. (JSON
 * bodies are not logged at all; the plugin never sends a card.)
 */
export const SECRET_FIELDS = ["authorization", "x-api-key", "card_number", "cvv", "expiry_month", "expiry_year"] as const

/** The transaction envelope, normalised. Absent fields stay undefined: nothing is invented. */
export interface Txn {
  success: boolean
  statusCode?: number
  isLive?: boolean
  /** PRE_AUTH | CAPTURE | REFUND | VOID (others are kept as they come). */
  transactionType?: string
  code?: string
  message?: string
  merchantTxnRef?: string
  amount?: number
  currency?: string
  responseCode?: number
  responseDescription?: string
  authCode?: string
  scheme?: string
  paymentMethod?: string
  card?: { name?: string; number?: string; expMonth?: string; expYear?: string }
  /** transaction_details.id: the handle for capture, void, refund and status. */
  id?: string
  ref?: number
  timestamp?: string
  storedPaymentMethodId?: string
  riskScore?: unknown
}

export interface ThreeDSRedirect {
  url: string
}

export type PaymentAnswer = { kind: "redirect"; redirect: ThreeDSRedirect } | { kind: "txn"; txn: Txn }

export interface HppLink {
  /** "transaction reference ID" of the link. */
  id: string
  url: string
  merchantTxnRef?: string
}

/** A failure body that is not the envelope: `{message, error, statusCode}` or anything else. */
export interface Failure {
  statusCode?: number
  code?: string
  message?: string
  responseCode?: number
  txn?: Txn
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v)
const obj = (v: unknown): Obj => (isObj(v) ? v : {})
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined)
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined)

/** A number from a number or a numeric string ("1000", "68.97"); undefined otherwise. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim())
  return undefined
}

/** Parses the response text as JSON; a body that is not JSON is a CodecError. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new CodecError(`not JSON: ${JSON.stringify(text.slice(0, 80))}`)
  }
}

/** Whether a body is the 3-D Secure redirect `{url, statusCode, success, redirect_url}` (it has no transaction). */
export function isRedirect(b: unknown): boolean {
  if (!isObj(b)) return false
  if (typeof b.redirect_url === "string" && b.redirect_url) return true
  return typeof b.url === "string" && b.url !== "" && !isObj(b.transaction_details) && !isObj(b.gateway_response)
}

/** The transaction envelope (purchase, auth, capture, void, refund, status, webhook). */
export function parseTxn(b: unknown): Txn {
  if (!isObj(b)) throw new CodecError("the answer is not a JSON object")
  const success = bool(b.success)
  const gr = obj(b.gateway_response)
  const md = obj(b.merchant_details)
  const pd = obj(b.payment_details)
  const td = obj(b.transaction_details)
  const risk = obj(b["risk-details"] ?? b.risk_details)
  if (success === undefined && !isObj(b.gateway_response) && !isObj(b.transaction_details)) {
    throw new CodecError("the answer is not a PaymentOptions transaction (no success, gateway_response or transaction_details)")
  }
  const card = isObj(pd.card)
    ? { name: str(pd.card.name), number: str(pd.card.number), expMonth: str(pd.card.exp_month), expYear: str(pd.card.exp_year) }
    : undefined
  return {
    success: success ?? false,
    statusCode: num(b.status_code ?? b.statusCode),
    isLive: bool(b.is_live),
    transactionType: str(b.transaction_type)?.toUpperCase(),
    code: str(gr.code),
    message: str(gr.message),
    merchantTxnRef: str(td.merchant_txn_ref) ?? str(md.merchant_txn_ref),
    amount: num(pd.amount),
    currency: str(pd.currency)?.toUpperCase(),
    responseCode: num(pd.response_code),
    responseDescription: str(pd.responseDescription ?? pd.response_description),
    authCode: str(pd.auth_code),
    scheme: str(pd.scheme),
    paymentMethod: str(pd.payment_method),
    card,
    id: str(td.id),
    ref: num(td.ref),
    timestamp: str(td.timestamp),
    // The JP use-token page misspells the field (store_payment_method_id); accept both.
    storedPaymentMethodId: str(td.stored_payment_method_id) ?? str(td.store_payment_method_id),
    riskScore: risk.risk_score,
  }
}

/** paymentv2 / authorizationv2 / payment: a final transaction or a 3-D Secure redirect. */
export function parsePaymentAnswer(b: unknown): PaymentAnswer {
  if (isRedirect(b)) {
    const o = b as Obj
    const url = str(o.redirect_url) ?? str(o.url)!
    if (!/^https?:\/\//i.test(url)) throw new CodecError(`the 3-D Secure redirect is not an http(s) URL`)
    return { kind: "redirect", redirect: { url } }
  }
  return { kind: "txn", txn: parseTxn(b) }
}

/** hpp/generate/link: `{id, url, …}`. */
export function parseHppLink(b: unknown): HppLink {
  if (!isObj(b)) throw new CodecError("the hosted page link answer is not a JSON object")
  const id = str(b.id)
  const url = str(b.url)
  if (!id) throw new CodecError("the hosted page link answer has no id")
  if (!url || !/^https?:\/\//i.test(url)) throw new CodecError("the hosted page link answer has no http(s) url")
  return { id, url, merchantTxnRef: str(b.merchant_txn_ref) }
}

/** Whatever a failure looks like: the envelope with success:false, `{message, error, statusCode}`, or neither. */
export function parseFailure(status: number, text: string): Failure {
  let b: unknown
  try {
    b = JSON.parse(text)
  } catch {
    return { statusCode: status }
  }
  if (!isObj(b)) return { statusCode: status }
  let txn: Txn | undefined
  try {
    txn = parseTxn(b)
  } catch {
    txn = undefined
  }
  const message = txn?.message ?? (Array.isArray(b.message) ? b.message.map(messagePart).join("; ") : str(b.message)) ?? str(b.error)
  return {
    statusCode: num(b.status_code ?? b.statusCode) ?? status,
    code: txn?.code ?? str(b.code),
    message,
    responseCode: txn?.responseCode,
    txn,
  }
}

/** One entry of a `message` list: String() of an object such as `{"toString":0}` would throw. */
function messagePart(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? "")
}

// ---- amounts ---------------------------------------------------------------------------------------

const DECIMALS: Record<string, number> = { JPY: 0, USD: 2, HKD: 2, PHP: 2 }

/** Minor units → the major-unit decimal string the payment calls take ("1000", "68.97"). */
export function formatAmount(minor: number, currency: string): string {
  const d = DECIMALS[currency.toUpperCase()]
  if (d === undefined) throw new CodecError(`PaymentOptions takes no ${currency}`)
  if (!Number.isSafeInteger(minor) || minor < 0) throw new CodecError(`not an amount: ${minor}`)
  if (d === 0) return String(minor)
  const s = String(minor).padStart(d + 1, "0")
  return `${s.slice(0, -d)}.${s.slice(-d)}`
}

/** A major-unit amount from the gateway → minor units. */
export function toMinor(major: number, currency: string): number {
  const d = DECIMALS[currency.toUpperCase()] ?? 0
  return Math.round(major * 10 ** d)
}

// ---- webhook URL signature ---------------------------------------------------------------------------
// The gateway signs nothing (docs/gateways/payment-options.md §7), so each webhook_url carries our own
// signature of the order code: only a party that knows the secret can make a URL that our route
// accepts for that order.

export function webhookSignature(secret: string, orderCode: string): string {
  return createHmac("sha256", secret).update(`payment-options:webhook:${orderCode}`).digest("hex")
}

export function verifyWebhookSignature(secret: string, orderCode: string, sig: string | undefined): boolean {
  if (!sig || !/^[0-9a-f]{64}$/.test(sig)) return false
  const want = Buffer.from(webhookSignature(secret, orderCode), "hex")
  return timingSafeEqual(want, Buffer.from(sig, "hex"))
}

/** The same signature for return URLs, under another label so that one cannot stand for the other. */
export function returnSignature(secret: string, orderCode: string): string {
  return createHmac("sha256", secret).update(`payment-options:return:${orderCode}`).digest("hex")
}

export function verifyReturnSignature(secret: string, orderCode: string, sig: string | undefined): boolean {
  if (!sig || !/^[0-9a-f]{64}$/.test(sig)) return false
  return timingSafeEqual(Buffer.from(returnSignature(secret, orderCode), "hex"), Buffer.from(sig, "hex"))
}

/** Appends query parameters to a URL that may already have some. */
export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url)
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v)
  return u.toString()
}
