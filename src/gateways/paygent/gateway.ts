// PAYGENT behind the core Gateway interface: public operations in the interface's order (session
// input, browser config, pay, capture, cancel, refund, the 3-D Secure return and completion, status,
// findCharge, customers, notifications), then the private vocabulary.
import { createHash } from "node:crypto"
import iconv from "iconv-lite"
import {
  GatewayError,
  type ChargeRecord,
  type CompleteRedirectInput,
  type Gateway,
  type GatewayCharge,
  type IncomingNotification,
  type ParsedNotification,
  type PayRequest,
  type PayResult,
  type PendingRedirect,
  type RecordStep,
  type ReturnResult,
  type SavedCard,
  type SessionInput,
  type StartResult,
  type ThreeDSOutcome,
} from "../../core/gateway"
import type { GatewayEnv } from "../../core/definition"
import { readSessionInput } from "../../core/session-input"
import { invalid, op, unchanged } from "../../core/vocabulary"
import { assertDocumented, type PaymentMethod } from "../../core/payment-method"
import { PaygentClient, PaygentError, RETRIES_2003, type CardSpec, type Fields, type PaymentClass } from "./client"
import { hashMatches, noticeHash, threeDSResultHash, tokenHash } from "./codec"
import { describeCode } from "./codes"
import { billingFields, cardholderName } from "./risk"
import { DEFAULT_BASE_URL, PAYGENT_PAYMENT_METHODS, type PaygentOptions } from "./options"

/** Card statuses (SPEC-MAIN p.86) and what they are in the plugin's words. */
const STATUS: Record<string, GatewayCharge["state"] | undefined> = {
  "20": "authorized",
  "32": "canceled",
  "33": "canceled",
  "40": "captured",
  "41": "captured",
  "60": "refunded",
}

export class PaygentGateway implements Gateway {
  readonly captureOnAuthorize: boolean
  readonly client: PaygentClient

  constructor(private readonly options: PaygentOptions, env: GatewayEnv = {}) {
    this.client = new PaygentClient({ ...options, logger: env.logger })
    this.captureOnAuthorize = options.salesMode === "auth_capture"
  }

  parseSessionInput(data: Record<string, unknown>): SessionInput {
    return readSessionInput(data, {
      token: {
        pattern: /^[A-Za-z0-9_-]{8,30}$/,
        message: "token must be the token PaygentToken.createToken produced",
        check: (token, d) => this.checkTokenHash(token, d),
      },
      savedCard: { pattern: /^\d{1,18}$/, message: "payment_method_id must be a saved card id (customer_card_id) from the customer's payment methods" },
      otherwise: "later",
      phone: { valid: (p) => /^[+\d][\d\s-]{6,20}$/.test(p), message: "phone is not a phone number" },
    })
  }

  browserConfig(input: { orderCode: string; amount: number }): Record<string, unknown> {
    return {
      merchant_id: this.options.merchantId,
      // トークン生成鍵 is public: PaygentToken.js needs it in the browser.
      token_generation_key: this.options.tokenGenerationKey,
      scripts: [this.tokenScriptUrl()],
      amount: input.amount,
      three_d_secure: this.options.threeDSecure,
    }
  }

  async pay(req: PayRequest): Promise<PayResult> {
    return (await this.run(req, false)) as PayResult
  }

  /**
   * With the session (before completion): 450 for the ACS page, never 020. A card to save is saved
   * first (025 spends the token), so what cannot start 3-D Secure goes on with the saved card.
   */
  async startRedirect(req: PayRequest): Promise<StartResult> {
    if (!this.options.threeDSecure || req.source.type === "hosted") return { type: "later" }
    const r = await this.run(req, true)
    return r.type === "charge" ? { type: "later" } : r
  }

  /** pay's steps; `startOnly` stops before any authorization (020) and says what completion then takes. */
  private async run(req: PayRequest, startOnly: boolean): Promise<PayResult | StartResult> {
    if (req.currency !== "jpy") throw invalid(`PAYGENT takes JPY only, not ${req.currency.toUpperCase()}`)
    // Before any telegram: a method PAYGENT does not take never starts a payment (the 020 sends it).
    const paymentClass = paymentClassOf(req.paymentMethod)
    let card: CardSpec
    let saved: { customerRef: string; cardRef: string } | undefined
    if (req.source.type === "token" && req.source.saveCard) {
      // The token is spent by 025; 3-D Secure and the authorization then use the saved card.
      const customerId = req.payer.customerRef
      if (!customerId) throw invalid("saving a card needs a logged-in customer")
      const r = await this.client.saveCard({ customerId, token: req.source.token })
      saved = { customerRef: customerId, cardRef: r.customer_card_id }
      card = { customerId, customerCardId: r.customer_card_id }
    } else if (req.source.type === "token") {
      card = { token: req.source.token }
    } else if (req.source.type === "saved") {
      const customerId = req.payer.customerRef
      if (!customerId) throw invalid("a saved card needs a logged-in customer")
      saved = { customerRef: customerId, cardRef: req.source.cardRef }
      card = { customerId, customerCardId: req.source.cardRef }
    } else {
      throw new GatewayError({ code: "UNSUPPORTED", kind: "unsupported", message: "PAYGENT's module type takes a PaygentToken.js token or a saved card" })
    }
    // A corrected card after a 2003 retries that payment: 450 and 020 run under its trading_id, the 020
    // names the kept payment_id (see authorize); term_url stays this session's. The completion reads it from the state.
    const retry = retryOf(req.retryOf)
    const state: Record<string, string> = {
      ...(saved ? { customer_id: saved.customerRef, customer_card_id: saved.cardRef } : {}),
      ...(retry ? { retry_payment_id: retry.paymentId, retry_trading_id: retry.tradingId, retry_count: String(retry.count) } : {}),
    }

    if (!this.options.threeDSecure) {
      const r = await this.authorize({ tradingId: req.orderCode, amount: req.amount, capture: req.capture, card, threeDS: { ryaku: true }, paymentClass }, retryOf(req.retryOf))
      return { type: "charge", charge: this.charge(r, req, notPerformed("the merchant's contract has no 3-D Secure (3dsecure_ryaku=1)", "paygentNoContract"), saved) }
    }
    if (!req.returnUrl) {
      throw new GatewayError({ code: "NO_TERM_URL", kind: "merchant", message: "PAYGENT's 3-D Secure needs a term_url: set the provider option backendUrl (the Medusa server's public origin)" })
    }
    try {
      const r = await this.client.threeDSAuthenticate({
        // The authentication and its 020 name one trading_id, a retried payment's own [?].
        tradingId: retry?.tradingId ?? req.orderCode,
        termUrl: req.returnUrl,
        merchantName: this.options.merchantName,
        amount: req.amount,
        card,
        email: req.payer.email,
        phone: req.payer.phone,
        // A saved card keeps the name it was registered with; a token may lack it [?]: the billing
        // name then stands in (PAYGENT requires one of the two since 2024-08-12).
        cardholderName: "token" in card ? cardholderName(req.payer.billing) : undefined,
        billing: billingFields(req.payer.billing),
      })
      return {
        type: "redirect",
        // The browser must show this HTML as a whole page (top level, not in an iframe).
        redirect: { html: r.out_acs_html },
        state: { ...state, "3ds_auth_id": r["3ds_auth_id"], card_brand: r.card_brand ?? "", masked_card_number: r.masked_card_number ?? "" },
      }
    } catch (e) {
      // 31012: no 3-D Secure for this brand at the acquirer. The merchant may take it without (its liability).
      if (e instanceof PaygentError && e.responseCode === "31012" && this.options.allowWithout3DS) {
        if (startOnly) return { type: "later", source: saved ? { type: "saved", cardRef: saved.cardRef } : req.source }
        const r = await this.authorize({ tradingId: req.orderCode, amount: req.amount, capture: req.capture, card, threeDS: { ryaku: true }, paymentClass }, retryOf(req.retryOf))
        return { type: "charge", charge: this.charge(r, req, notPerformed("brand without 3-D Secure at the acquirer (31012): 3dsecure_ryaku=1", "paygentNoBrand"), saved) }
      }
      throw e
    }
  }

  /**
   * 022; for less than authorized, 028 (a decrease, new payment_id) then 022 on the new payment. The
   * 028 is recorded before the 022: the old payment_id is cancelled by then, so a retry must sell the new one.
   */
  async capture(rec: ChargeRecord, amount?: number, record?: RecordStep): Promise<GatewayCharge> {
    if (rec.state !== "authorized") return unchanged(rec)
    if (amount !== undefined && amount < rec.amount) {
      const corrected = await this.client.correct({ kind: "028", paymentId: rec.reference, reduction: rec.amount - amount })
      const id = corrected.payment_id
      const reauthorized: GatewayCharge = {
        ...unchanged(rec),
        reference: id,
        state: "authorized",
        amount,
        references: { ...rec.references, payment_id: id, [`payment_id_replaced_${rec.reference}`]: rec.reference },
        threeDS: reauthorizedOutcome("028"),
        operations: [op("recharge", id, amount)],
      }
      await record?.(reauthorized)
      await this.client.capture(id)
      return { ...reauthorized, state: "captured", operations: [...(record ? [] : reauthorized.operations), op("capture", id, amount)] }
    }
    await this.client.capture(rec.reference)
    return { ...unchanged(rec), state: "captured", operations: [op("capture", rec.reference, rec.amount)] }
  }

  /** 021 for an authorization, 023 for a sale. */
  async cancel(rec: ChargeRecord): Promise<GatewayCharge> {
    if (rec.state === "canceled" || rec.state === "refunded") return unchanged(rec)
    const wasSale = rec.state !== "authorized"
    if (wasSale) await this.client.cancelSale(rec.reference)
    else await this.client.voidAuthorization(rec.reference)
    return { ...unchanged(rec), state: wasSale ? "refunded" : "canceled", amount: 0, operations: [op(wasSale ? "refund" : "cancel", rec.reference, rec.amount)] }
  }

  /** Whole: 023. Part: 029 with reduction_flag=1; the corrected sale is a NEW payment_id. */
  async refund(rec: ChargeRecord, amount: number): Promise<GatewayCharge> {
    if (amount >= rec.amount) return this.cancel(rec)
    if (rec.state === "authorized") throw invalid("an authorization is not refunded: capture it first, or cancel it")
    const r = await this.client.correct({ kind: "029", paymentId: rec.reference, reduction: amount })
    const id = r.payment_id
    return {
      ...unchanged(rec),
      reference: id,
      state: "partially_refunded",
      amount: rec.amount - amount,
      references: { ...rec.references, payment_id: id, [`payment_id_replaced_${rec.reference}`]: rec.reference },
      threeDS: reauthorizedOutcome("029"),
      operations: [op("refund", rec.reference, amount), op("recharge", id, rec.amount - amount)],
    }
  }

  /**
   * What PAYGENT sent back to term_url: the browser's GET redirect, or its server-to-server timeout
   * call (31013). hc = SHA-256(result + 3ds_auth_id + attempt_kbn + 3Dセキュア結果受付ハッシュ鍵).
   */
  parseReturn(n: IncomingNotification, pending: PendingRedirect): ReturnResult {
    const q = { ...formOf(n.rawBody, "utf-8"), ...n.query }
    const authId = q["3ds_auth_id"] ?? ""
    const result = q.result ?? ""
    if (result !== "0" && result !== "1") throw invalid("not a PAYGENT 3-D Secure result (no result)")
    const expected = threeDSResultHash({ result, authId, attemptKbn: q.attempt_kbn }, this.options.threeDSResultHashKey)
    if (!hashMatches(expected, q.hc)) throw invalid("the 3-D Secure result's hc does not verify: refused")
    if (!pending.state["3ds_auth_id"] || authId !== pending.state["3ds_auth_id"]) throw invalid("the 3-D Secure result is for another authentication (3ds_auth_id)")

    const values: Record<string, string> = { result, "3ds_auth_id": authId }
    for (const k of ["attempt_kbn", "response_code", "card_brand", "masked_card_number", "3dsecure_requestor_error_code", "3dsecure_server_error_code"]) {
      if (q[k]) values[k] = q[k]
    }
    if (result === "1") {
      const code = q.response_code || "31007"
      const info = describeCode(code)
      const failed: ReturnResult = {
        outcome: "failed",
        values,
        threeDS: { status: "failed", liability: "unknown", detail: `${code} ${info.en}`, detail_key: "paygentFailed", detail_values: { code, en: info.en, ja: info.ja } },
        error: { code, message: info.en, messageJa: info.ja },
      }
      // PAYGENT's timeout call comes server to server: a 2xx or 3xx tells it the call was delivered.
      if (code === "31013") failed.respond = { status: 200, contentType: "text/plain; charset=utf-8", body: "OK" }
      return failed
    }
    const threeDS = threeDSOf(q.attempt_kbn)
    if (q.attempt_kbn === "1" && !this.options.acceptMerchantLiability) {
      return {
        outcome: "failed",
        values,
        threeDS,
        error: {
          code: "ATTEMPT_REFUSED",
          message: "3-D Secure ended in an attempt where the shop would bear a chargeback (attempt_kbn=1), which this shop does not accept: ask for another card",
          messageJa: "3Dセキュア認証がアテンプト(加盟店責任)となったため、このカードはご利用いただけません",
        },
      }
    }
    return { outcome: "ok", values, threeDS }
  }

  /** The next cart completion: 020 with the 3-D Secure result (3dsecure_use_type=2 + 3ds_auth_id). */
  async completeRedirect(input: CompleteRedirectInput): Promise<PayResult> {
    // PAYGENT has nothing to poll before the 020 (no payment exists yet): wait for the shopper.
    if (!input.returned) return { type: "redirect", redirect: input.redirect, state: input.state }
    const authId = input.state["3ds_auth_id"]
    if (!authId || input.returned.values["3ds_auth_id"] !== authId) throw invalid("the recorded 3-D Secure result is not this payment's")
    let card: CardSpec
    let saved: { customerRef: string; cardRef: string } | undefined
    if (input.state.customer_card_id) {
      saved = { customerRef: input.state.customer_id, cardRef: input.state.customer_card_id }
      card = { customerId: saved.customerRef, customerCardId: saved.cardRef }
    } else if (input.source?.type === "token") {
      card = { token: input.source.token }
    } else {
      throw invalid("the card token left the session before the authorization: tokenize the card again")
    }
    const retry = retryOf({ payment_id: input.state.retry_payment_id, trading_id: input.state.retry_trading_id, count: input.state.retry_count })
    const r = await this.authorize({ tradingId: input.orderCode, amount: input.amount, capture: input.capture, card, threeDS: { authId }, paymentClass: paymentClassOf(input.paymentMethod) }, retry)
    return { type: "charge", charge: this.charge(r, input, input.returned.threeDS ?? threeDSOf(input.returned.values.attempt_kbn), saved) }
  }

  /**
   * 020, or its retry by the payment_id a 2003 kept (SPEC-MAIN 020 response: the payment stays 申込済
   * and may be retried by payment_id up to 3 times). The retry is sent with the payment's own
   * trading_id, both header fields naming one payment as for 021–029 [?]. A 2003 answer carries
   * what the collection's next session needs to retry once more.
   */
  private async authorize(p: Omit<Parameters<PaygentClient["authorize"]>[0], "paymentId">, retry: Retry | undefined): Promise<Fields> {
    try {
      return await this.client.authorize(retry ? { ...p, tradingId: retry.tradingId, paymentId: retry.paymentId } : p)
    } catch (e) {
      if (!(e instanceof PaygentError) || e.responseCode !== "2003" || !e.paymentId) throw e
      if (retry && retry.count + 1 >= RETRIES_2003) throw e // no retry left: the next card is a new payment
      const keep = { payment_id: e.paymentId, trading_id: e.fields.trading_id || (retry?.tradingId ?? p.tradingId), count: String(retry ? retry.count + 1 : 0) }
      throw new GatewayError({ code: e.code, kind: e.kind, message: e.message, messageJa: e.messageJa, retry: keep })
    }
  }

  /**
   * 094: the payment as PAYGENT holds it now. A 028/029 replaces the payment: the old payment_id is
   * cancelled (32/60) and a new one, under the same trading_id, holds the smaller amount. Its
   * payment_id comes only in the 028/029 answer — the one a lost answer loses — and 094 carries no
   * base_payment_id, so the old payment's 094 cannot name it: 094 by the trading_id is asked instead.
   */
  async retrieve(rec: ChargeRecord): Promise<GatewayCharge> {
    const old = await this.client.reference({ paymentId: rec.reference })
    const next = old.payment_status === "32" || old.payment_status === "60" ? await this.replacementOf(rec, old) : null
    const r = next ?? old
    const state = STATUS[r.payment_status]
    const amount = Number(r.payment_amount)
    if (next) {
      return {
        ...unchanged(rec),
        reference: next.payment_id,
        // a smaller sale is what a 029 leaves: the rest went back to the card
        state: state === "captured" ? (rec.state === "authorized" ? "captured" : "partially_refunded") : state!,
        amount,
        references: { ...refs(next, rec.references), [`payment_id_replaced_${rec.reference}`]: rec.reference },
        card: cardOf(next),
        threeDS: reauthorizedOutcome(state === "authorized" ? "028" : "029"),
      }
    }
    return {
      ...unchanged(rec),
      state: state === "captured" && rec.state === "partially_refunded" ? rec.state : (state ?? rec.state),
      amount: state === "canceled" || state === "refunded" ? 0 : Number.isFinite(amount) ? amount : rec.amount,
      references: refs(r, rec.references),
      card: cardOf(r),
    }
  }

  /**
   * The payment a 028/029 put in place of the cancelled `old`: 094 by its trading_id, when that names
   * another payment, alive, for less. [?] SPEC-MAIN says only that 094 by a trading_id several
   * payments share answers 13002; that it answers the one live payment when the others are cancelled
   * is assumed (the correction keeps the trading_id). Any other answer — 13001, 13002 (the old one's
   * cancel failed: 2010–2012), the same payment, a dead one, no decrease — is no replacement.
   */
  private async replacementOf(rec: ChargeRecord, old: Fields): Promise<Fields | null> {
    const tradingId = old.trading_id || rec.references.trading_id
    if (!tradingId) return null
    let r: Fields
    try {
      r = await this.client.reference({ tradingId })
    } catch (e) {
      if (e instanceof PaygentError && (e.responseCode === "13001" || e.responseCode === "13002")) return null
      throw e
    }
    const amount = Number(r.payment_amount)
    if (!r.payment_id || r.payment_id === rec.reference || !["20", "40", "41"].includes(r.payment_status)) return null
    return Number.isFinite(amount) && amount > 0 && amount < rec.amount ? r : null
  }

  /** After a 020 without an answer (or 2008): 094 by trading_id says whether PAYGENT holds a payment. */
  async findCharge(input: { orderCode: string; amount: number; state?: Record<string, string> | null }): Promise<GatewayCharge | null> {
    let r: Fields
    // A retry of a 2003 went out under the kept payment_id (and its trading_id): ask for that one.
    const retried = input.state?.retry_payment_id
    try {
      r = await this.client.reference(retried ? { paymentId: retried } : { tradingId: input.orderCode })
    } catch (e) {
      if (e instanceof PaygentError && e.responseCode === "13001") return null
      throw e
    }
    const state = STATUS[r.payment_status]
    if (state !== "authorized" && state !== "captured") return null
    const amount = Number(r.payment_amount)
    if (amount !== input.amount) {
      throw new GatewayError({ code: "AMOUNT_MISMATCH", kind: "merchant", message: `PAYGENT holds ${r.payment_amount} for ${input.orderCode}, the cart is ${input.amount}: check it in PAYGENT Online` })
    }
    return {
      reference: r.payment_id,
      state,
      amount,
      references: refs(r, { trading_id: r.trading_id || input.orderCode }),
      card: cardOf(r),
      threeDS: threeDSFromReference(r),
      operations: [op("authorize", r.payment_id, amount)],
    }
  }

  readonly customers: NonNullable<Gateway["customers"]> = {
    /** customer_id: at most 25 of [A-Za-z0-9_]; a Medusa id (cus_ + ULID) is 30, so it is hashed. */
    refFor: (customerId: string) => `c${createHash("sha256").update(customerId).digest("hex").slice(0, 24)}`,
    // PAYGENT keeps no customer apart from its cards: a customer exists by its customer_id.
    create: async (c) => ({ ref: c.ref }),
    retrieve: async (ref) => ({ ref }),
    update: async (c) => ({ ref: c.ref }),
    delete: async (ref) => {
      try {
        await this.client.deleteCard({ customerId: ref })
      } catch (e) {
        if (!(e instanceof PaygentError && e.responseCode === "P026")) throw e
      }
    },
    listCards: async (ref) => (await this.client.listCards({ customerId: ref })).map(savedCardOf),
    saveCard: async (ref, token) => {
      const r = await this.client.saveCard({ customerId: ref, token })
      return savedCardOf({ ...r, card_number: r.masked_card_number })
    },
    deleteCard: async (ref, cardId) => {
      if (!/^\d{1,18}$/.test(cardId)) throw invalid(`not a saved card id: ${cardId}`)
      await this.client.deleteCard({ customerId: ref, customerCardId: cardId })
    },
  }

  /**
   * 決済情報差分通知: a form POST, verified by its hc (ハッシュ値生成キー), answered with exactly
   * `result=0`. Charset unconfirmed [?] (docs/gateways/paygent.md §7): read as Windows-31J, its values are ASCII.
   */
  parseNotification(n: IncomingNotification): ParsedNotification {
    const ack = { status: 200, contentType: "text/plain; charset=Windows-31J", body: "result=0" }
    const key = this.options.noticeHashKey
    if (!key) throw invalid("noticeHashKey (差分通知 ハッシュ値生成キー) is not set: notifications cannot be verified")
    const f = { ...n.query, ...formOf(n.rawBody, charsetFromHeaders(n.headers)) }
    for (const k of ["payment_notice_id", "payment_id", "trading_id", "payment_type", "payment_amount"]) {
      if (f[k] === undefined) throw invalid(`not a PAYGENT notification (no ${k})`)
    }
    const expected = noticeHash({ noticeId: f.payment_notice_id, paymentId: f.payment_id, tradingId: f.trading_id, paymentType: f.payment_type, amount: f.payment_amount }, key)
    if (!hashMatches(expected, f.hc)) throw invalid("the notification's hc does not verify: refused")
    if (f.payment_type !== "02") return { ack, verified: true } // not a card payment
    const status = f.payment_status
    const amount = Number(f.payment_amount)
    const state = STATUS[status]
    const authorized = state === "authorized" || (state === "captured" && status === "40")
    if (!authorized && status !== "11") return { ack, verified: true } // a later change: Medusa asked for it itself
    return {
      ack,
      verified: true,
      event: {
        orderCode: f.trading_id,
        dedupeKey: f.payment_notice_id,
        succeeded: authorized,
        amount,
        error: authorized ? undefined : { code: "11", message: "PAYGENT reports the authorization as declined (オーソリNG)" },
        charge: authorized
          ? {
              reference: f.payment_id,
              state: state!,
              amount,
              references: { payment_id: f.payment_id, trading_id: f.trading_id },
              threeDS: f["3dsecure_ryaku"] === "1" ? notPerformed("3dsecure_ryaku=1", "paygentRyaku") : threeDSOf(f.attempt_kbn),
              operations: [op("notification", f.payment_id, amount)],
            }
          : undefined,
      },
    }
  }

  async close(): Promise<void> {
    await this.client.close()
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  private tokenScriptUrl(): string {
    if (this.options.tokenScriptUrl) return this.options.tokenScriptUrl
    const base = this.options.baseUrl.replace(/\/+$/, "")
    if (base === DEFAULT_BASE_URL) return "https://token.paygent.co.jp/js/PaygentToken.js"
    return `${base}/js/PaygentToken.js`
  }

  /** The token's hc from PaygentToken.js, when the トークン受取ハッシュ鍵 is set: a tampered token is refused. */
  private checkTokenHash(token: string, data: Record<string, unknown>): void {
    const key = this.options.tokenReceiptHashKey
    if (!key) return
    const s = (k: string) => (typeof data[k] === "string" ? (data[k] as string) : "")
    const expected = tokenHash({ token, masked: s("masked_card_number"), validUntil: s("valid_until"), fingerprint: s("fingerprint") }, key)
    if (!hashMatches(expected, s("hc") || undefined)) {
      throw invalid("the token's hc does not verify: send token, masked_card_number, valid_until, fingerprint and hc exactly as PaygentToken.createToken returned them")
    }
  }

  private charge(r: Fields, req: { orderCode: string; amount: number; capture: boolean }, threeDS: ThreeDSOutcome, saved?: { customerRef: string; cardRef: string }): GatewayCharge {
    return {
      reference: r.payment_id,
      state: req.capture ? "captured" : "authorized",
      amount: req.amount,
      references: refs(r, { trading_id: r.trading_id || req.orderCode }),
      card: cardOf(r),
      threeDS,
      savedCard: saved,
      operations: [op("authorize", r.payment_id, req.amount)],
    }
  }
}

/**
 * 028/029 make a new payment_id by a new authorization without 3-D Secure [?]: the original
 * authentication does not cover it, so a chargeback is the merchant's.
 */
/** The shopper's 支払方法 as 020's payment_class / split_count; one PAYGENT does not take never reaches the wire. */
export function paymentClassOf(m: PaymentMethod | undefined): PaymentClass {
  const method = m ?? { type: "lump" }
  assertDocumented(method, PAYGENT_PAYMENT_METHODS, "PAYGENT")
  switch (method.type) {
    case "lump":
      return { paymentClass: "10" }
    case "bonus":
      return { paymentClass: "23" }
    case "installments":
      return { paymentClass: "61", splitCount: method.count }
    case "revolving":
      return { paymentClass: "80" }
  }
}

function reauthorizedOutcome(kind: "028" | "029"): ThreeDSOutcome {
  return { status: "not_performed", liability: "merchant", detail: `re-authorized by ${kind} without 3-D Secure: the original authentication does not cover the new payment_id`, detail_key: "paygentReauthorized", detail_values: { kind } }
}

function notPerformed(detail: string, detail_key: string): ThreeDSOutcome {
  return { status: "not_performed", liability: "merchant", detail, detail_key }
}

/** SPEC-3DS 「取引継続の判断」: no attempt_kbn = authenticated; 0 = attempt, issuer liable; 1 = attempt, merchant liable. */
function threeDSOf(attemptKbn: string | undefined): ThreeDSOutcome {
  if (attemptKbn === "1") return { status: "attempt", liability: "merchant", detail: "attempt_kbn=1", detail_key: "paygentAttemptMerchant" }
  if (attemptKbn === "0") return { status: "attempt", liability: "issuer", detail: "attempt_kbn=0", detail_key: "paygentAttemptIssuer" }
  // PAYGENT does not say whether the issuer challenged the shopper or not.
  return { status: "unknown", liability: "issuer", detail: "authenticated (frictionless or challenge: PAYGENT does not say)", detail_key: "paygentAuthenticated" }
}

function threeDSFromReference(r: Fields): ThreeDSOutcome {
  if (r["3dsecure_ryaku"] === "1") return notPerformed("3dsecure_ryaku=1", "paygentRyaku")
  return threeDSOf(r.attempt_kbn || undefined)
}

function cardOf(r: Fields): GatewayCharge["card"] {
  const term = r.card_valid_term
  return {
    brand: r.card_brand || undefined,
    masked: r.masked_card_number || undefined,
    expiry: term && /^\d{4}$/.test(term) ? `${term.slice(0, 2)}/${term.slice(2)}` : undefined,
  }
}

function savedCardOf(r: Fields): SavedCard {
  const term = r.card_valid_term
  return {
    id: r.customer_card_id,
    card: {
      brand: r.card_brand || undefined,
      masked: r.card_number || undefined,
      expiry: term && /^\d{4}$/.test(term) ? `${term.slice(0, 2)}/${term.slice(2)}` : undefined,
    },
  }
}

/** The public references kept on the payment (never the token, never card data beyond the mask). */
function refs(r: Fields, base: Record<string, string>): Record<string, string> {
  const out = { ...base }
  for (const k of ["payment_id", "trading_id", "acq_id", "acq_name", "issur_name", "base_payment_id", "payment_status"]) if (r[k]) out[k] = r[k]
  return out
}

function charsetFromHeaders(headers: IncomingNotification["headers"]): "utf-8" | "windows-31j" {
  const ct = headers["content-type"]
  const v = (Array.isArray(ct) ? ct[0] : ct) ?? ""
  return /charset=utf-?8/i.test(v) ? "utf-8" : "windows-31j"
}

/** A form body in the given charset (percent-decoded to bytes first). */
function formOf(body: Buffer, charset: "utf-8" | "windows-31j"): Record<string, string> {
  const out: Record<string, string> = {}
  const text = body.toString("latin1").trim()
  if (!text || !text.includes("=")) return out
  for (const part of text.split("&")) {
    const i = part.indexOf("=")
    if (i <= 0) continue
    const dec = (s: string) => {
      const bytes = Buffer.from(s.replace(/\+/g, " ").replace(/%([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1")
      return charset === "utf-8" ? bytes.toString("utf8") : iconv.decode(bytes, "cp932")
    }
    out[dec(part.slice(0, i))] = dec(part.slice(i + 1))
  }
  return out
}

interface Retry {
  paymentId: string
  tradingId: string
  /** Retries by payment_id already sent. */
  count: number
}

/** The payment a corrected card retries, while PAYGENT still takes retries of it (RETRIES_2003); else none: a new payment. */
function retryOf(r: Record<string, string | undefined> | undefined): Retry | undefined {
  const paymentId = r?.payment_id ?? ""
  const tradingId = r?.trading_id ?? ""
  const count = Number(r?.count)
  if (!/^\d{1,18}$/.test(paymentId) || !/^[A-Za-z0-9_]{1,25}$/.test(tradingId) || !Number.isInteger(count) || count < 0) return undefined
  return count < RETRIES_2003 ? { paymentId, tradingId, count } : undefined
}
