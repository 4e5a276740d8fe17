// PaymentOptions client: one method per gateway operation, in the gateway's own words.
// Public operations first, then the private vocabulary every gateway client shares:
// build request, commit (send), parse, success?, error (message). The transport logs no body.
import { GatewayError } from "../../core/gateway"
import { Transport, decodeBody, charsetOf, type Logger } from "../../core/http"
import { httpError, invalid, malformed as unreadable, readAnswer, type Effect } from "../../core/vocabulary"
import { parseFailure, parseHppLink, parseJson, parsePaymentAnswer, parseTxn, SECRET_FIELDS, type Failure, type HppLink, type PaymentAnswer, type Txn } from "./codec"
import { describeCode, isUnclear } from "./codes"

export const PREFIX = "/api/v1/server-to-server-interface"

const NAME = "PaymentOptions"

export const PATHS = {
  payment: `${PREFIX}/payment`,
  paymentv2: `${PREFIX}/paymentv2`,
  authorizationv2: `${PREFIX}/authorizationv2`,
  capture: `${PREFIX}/capture`,
  void: `${PREFIX}/void`,
  refund: `${PREFIX}/refund`,
  status: `${PREFIX}/transaction/status`,
  hppLink: `${PREFIX}/hpp/generate/link`,
} as const

export interface PaymentOptionsClientConfig {
  merchantId: string
  /** The whole Authorization header value, `Basic …`. */
  authorization: string
  xApiKey: string
  baseUrl: string
  timeoutMs?: number
  connectTimeoutMs?: number
  logger?: Logger
}

export interface Address {
  country: string
  email: string
  phone_number?: string
  address1?: string
  city?: string
  state?: string
  postal_code?: string
}

export interface ReturnUrls {
  webhook_url: string
  success_url: string
  decline_url: string
  cancel_url?: string
}

/** What purchase, authorisation and token use share (docs/gateways/payment-options.md §3). No card object. */
export interface PaymentRequest {
  /** Major units as a decimal string ("1000" for ¥1,000). */
  amount: string
  currency: string
  merchant_txn_ref: string
  customer_ip?: string
  payment_method?: { type: "scheme"; store_payment_method?: boolean; stored_payment_method_id?: string }
  return_url: ReturnUrls
  billing_address?: Address
  shipping_address?: Address
  time_zone?: string
}

export interface HppRequest {
  amount: number
  currency: string
  merchant_txn_ref: string
  merchant_email: string
  payment_method?: { type: "scheme"; store_payment_method: boolean }
  return_url: ReturnUrls
  billing_address: Address
  shipping_address?: Address
}

/** A GatewayError that may know the transaction it concerns (an unclear result does). */
export class PaymentOptionsError extends GatewayError {
  readonly transactionId?: string
  readonly responseCode?: number
  constructor(init: ConstructorParameters<typeof GatewayError>[0] & { transactionId?: string; responseCode?: number }) {
    super(init)
    this.transactionId = init.transactionId
    this.responseCode = init.responseCode
  }
}

export class PaymentOptionsClient {
  private readonly transport: Transport

  constructor(private readonly config: PaymentOptionsClientConfig) {
    this.transport = new Transport(NAME, SECRET_FIELDS, config)
  }

  // ---- payments -------------------------------------------------------------------------------

  /** Purchase v2 (captured at once): a final transaction, or a 3-D Secure redirect. */
  async paymentV2(req: PaymentRequest): Promise<PaymentAnswer> {
    return this.pay(PATHS.paymentv2, req)
  }

  /** Authorisation v2 (PRE_AUTH, capture later): a final transaction, or a 3-D Secure redirect. */
  async authorizationV2(req: PaymentRequest): Promise<PaymentAnswer> {
    return this.pay(PATHS.authorizationv2, req)
  }

  /** Purchase v1 `/payment`: the documented call for token use (stored_payment_method_id) and token creation. */
  async payment(req: PaymentRequest): Promise<PaymentAnswer> {
    return this.pay(PATHS.payment, req)
  }

  /** Captures an authorisation, in full or for less (once; the rest is released). Answers a NEW transaction id. */
  async capture(transactionId: string, amount: number): Promise<Txn> {
    return this.txn("POST", PATHS.capture, { transactionId, amount, merchant_id: this.config.merchantId }, "INFO0001")
  }

  /** Voids an authorisation that was not captured. */
  async void(transactionId: string): Promise<Txn> {
    return this.txn("POST", PATHS.void, { transactionId, merchant_id: this.config.merchantId }, "INFO0003")
  }

  /** Refunds a captured transaction, in full or in part (several partial refunds up to the balance). */
  async refund(transactionId: string, amount: number): Promise<Txn> {
    return this.txn("POST", PATHS.refund, { transactionId, amount, merchant_id: this.config.merchantId }, "INFO0002")
  }

  /** transaction/status/{id}: the transaction as the gateway holds it now. */
  async status(transactionId: string): Promise<Txn> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(transactionId)) throw invalid(`not a transaction id: ${transactionId}`)
    return this.txn("GET", `${PATHS.status}/${transactionId}`, undefined)
  }

  /** hpp/generate/link: a hosted payment page for this order (store_payment_method saves the card). */
  async hppLink(req: HppRequest): Promise<HppLink> {
    // A link moves no money: a lost or unreadable answer only means the shopper needs a new link.
    const res = await this.commit("POST", PATHS.hppLink, { ...req, merchant_id: this.config.merchantId }, "reads")
    if (res.status !== 200 && res.status !== 201) throw this.failure(res.status, res.text, "reads")
    return readAnswer(NAME, "reads", () => parseHppLink(parseJson(res.text)))
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  private async pay(path: string, req: PaymentRequest): Promise<PaymentAnswer> {
    const res = await this.commit("POST", path, { ...req, merchant_id: this.config.merchantId }, "moves")
    if (res.status >= 300) throw this.failure(res.status, res.text, "moves")
    const answer = readAnswer(NAME, "moves", () => parsePaymentAnswer(parseJson(res.text)))
    if (answer.kind === "txn") this.check(answer.txn, res.status, res.text, "moves")
    return answer
  }

  private async txn(method: "GET" | "POST", path: string, body: Record<string, unknown> | undefined, expectCode?: string): Promise<Txn> {
    // capture, void and refund are POSTs; the status query is the one GET.
    const effect: Effect = method === "POST" ? "moves" : "reads"
    const res = await this.commit(method, path, body, effect)
    if (res.status >= 300) throw this.failure(res.status, res.text, effect)
    const txn = readAnswer(NAME, effect, () => parseTxn(parseJson(res.text)))
    this.check(txn, res.status, res.text, effect)
    if (expectCode && txn.code && txn.code !== expectCode && !txn.code.startsWith("INFO")) {
      throw this.failure(res.status, res.text, effect)
    }
    return txn
  }

  /** success? — success:true and no failing response_code; an unclear code is never a success nor a failure. */
  private check(txn: Txn, status: number, text: string, effect: Effect): void {
    if (isUnclear(txn.responseCode)) {
      const info = describeCode(txn.code, txn.responseCode)
      throw new PaymentOptionsError({
        code: info.code,
        kind: "unknown_outcome",
        message: `PaymentOptions: ${info.en}${txn.id ? ` (transaction ${txn.id})` : ""}`,
        messageJa: "PaymentOptions: 取引結果が不明です",
        transactionId: txn.id,
        responseCode: txn.responseCode,
      })
    }
    if (!txn.success) throw this.failure(status, text, effect)
  }

  private async commit(method: "GET" | "POST", path: string, body: Record<string, unknown> | undefined, effect: Effect): Promise<{ status: number; text: string }> {
    const res = await this.transport.request({
      method,
      path,
      effect,
      headers: { authorization: this.config.authorization, "x-api-key": this.config.xApiKey, accept: "application/json" },
      ...(body ? { body: { contentType: "application/json", data: JSON.stringify(body) } } : {}),
    })
    return { status: res.status, text: decodeBody(res.body, charsetOf(res.headers)) }
  }

  /** message — a failure of any shape as a GatewayError with the code table's meaning. */
  private failure(status: number, text: string, effect: Effect): GatewayError {
    const f: Failure = parseFailure(status, text)
    if (status >= 500 || status === 0) {
      // A proxy's error page may stand in front of a gateway that did act: for a call that moves money
      // the outcome is unknown (ask the status, never resend); a status query may simply be asked again.
      const e = httpError(NAME, status, effect, "", f.message ? `: ${f.message}` : "")
      return new PaymentOptionsError({ code: e.code, kind: e.kind, message: e.message, messageJa: e.messageJa, transactionId: f.txn?.id })
    }
    if (status === 401 || status === 403) {
      return httpError(NAME, status, effect, "", ` (check apiKey/authorization, xApiKey and the portal's IP whitelist)${f.message ? ` — ${f.message}` : ""}`)
    }
    if (f.code === undefined && f.responseCode === undefined && f.message === undefined && status < 300) {
      return unreadable(NAME, effect, "a failure without code or message")
    }
    const info = describeCode(f.code, f.responseCode)
    const detail = f.message && f.message !== info.en ? ` — ${f.message}` : ""
    return new PaymentOptionsError({
      code: info.code === "FAILED" ? `HTTP_${status}` : info.code,
      kind: isUnclear(f.responseCode) ? "unknown_outcome" : status === 406 ? "declined" : info.kind,
      message: `PaymentOptions: ${info.en}${detail}`,
      messageJa: info.ja,
      transactionId: f.txn?.id,
      responseCode: f.responseCode,
    })
  }
}
