// PaymentOptions behind the core Gateway interface: public operations in the interface's order
// (session input, browser config, pay, capture, cancel, refund, the return and its completion,
// retrieve, findCharge, customers, notifications), then the private vocabulary (urls, charge, verify).
//
// A new card is entered on PaymentOptions' hosted payment page (the gateway has no browser
// tokenization script); a saved card is paid with its stored_payment_method_id. Either may need the
// browser (hosted page, 3-D Secure page). What comes back — the browser's return and the webhook — is
// only a hint: the transaction status call decides.
import {
  GatewayError,
  type ChargeRecord,
  type CompleteRedirectInput,
  type Gateway,
  type GatewayCharge,
  type IncomingNotification,
  type NotificationHint,
  type ParsedNotification,
  type PayerInfo,
  type PayRequest,
  type PayResult,
  type PendingRedirect,
  type ReturnResult,
  type SavedCard,
  type SessionInput,
  type StartResult,
} from "../../core/gateway"
import { readSessionInput, type SessionInputRules } from "../../core/session-input"
import { CodecError, invalid, op, unchanged, unsupported } from "../../core/vocabulary"
import type { GatewayEnv, PaymentLedger } from "../../core/definition"
import { PaymentOptionsClient, PaymentOptionsError, type Address, type PaymentRequest, type ReturnUrls } from "./client"
import { formatAmount, parseJson, parseTxn, returnSignature, toMinor, verifyReturnSignature, verifyWebhookSignature, webhookSignature, withQuery, type Txn } from "./codec"
import { toAddress } from "./address"
import { describeCode } from "./codes"
import { authorizationHeader, type PaymentOptionsOptions } from "./options"

const ID = /^[A-Za-z0-9-]{8,64}$/

const SESSION_INPUT: SessionInputRules = {
  token: { refused: "PaymentOptions has no browser card token: the card is entered on its hosted payment page (send no token)" },
  savedCard: { pattern: ID, message: "payment_method_id must be a saved card id from the customer's payment methods" },
  otherwise: "hosted",
  emailMax: 45,
  phone: { valid: (p) => /^\+?[0-9 -]{6,20}$/.test(p), message: "phone must be a phone number of at most 20 characters" },
}

export class PaymentOptionsGateway implements Gateway {
  readonly captureOnAuthorize: boolean
  readonly client: PaymentOptionsClient
  /** Medusa's record of the payments made here: PaymentOptions has no call that lists stored cards. */
  private readonly payments?: PaymentLedger

  constructor(private readonly options: PaymentOptionsOptions, env: GatewayEnv = {}) {
    this.client = new PaymentOptionsClient({
      merchantId: options.merchantId,
      authorization: authorizationHeader(options),
      xApiKey: options.xApiKey,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      logger: env.logger,
    })
    this.captureOnAuthorize = options.captureMode === "purchase"
    this.payments = env.payments
  }

  parseSessionInput(data: Record<string, unknown>): SessionInput {
    return readSessionInput(data, SESSION_INPUT)
  }

  browserConfig(): Record<string, unknown> {
    // Nothing to load in the browser: authorizePayment answers requires_more with the page to go to.
    return { card_entry: "hosted_page", three_ds: "redirect" }
  }

  async pay(req: PayRequest): Promise<PayResult> {
    const currency = req.currency.toUpperCase()
    if (req.currency !== "jpy" && req.currency !== "usd") throw invalid(`PaymentOptions takes JPY or USD, not ${currency}`)
    const urls = this.urls(req.orderCode, req.returnUrl, req.notifyUrl)
    if (req.source.type === "token") throw invalid("PaymentOptions has no browser card token: use the hosted payment page")

    if (req.source.type === "hosted") {
      if (req.source.saveCard && !req.payer.customerRef) throw invalid("saving a card needs a logged-in customer")
      const link = await this.client.hppLink({
        amount: Number(formatAmount(req.amount, currency)),
        currency,
        merchant_txn_ref: req.orderCode,
        merchant_email: this.options.merchantEmail,
        ...(req.source.saveCard ? { payment_method: { type: "scheme" as const, store_payment_method: true } } : {}),
        return_url: urls,
        ...this.addresses(req.payer),
      })
      // The link's id is its "transaction reference ID", taken as what the status call takes [?]
      // (docs/gateways/payment-options.md §6).
      return { type: "redirect", redirect: { url: link.url }, state: { via: "hosted_page", transaction_id: link.id } }
    }

    const cardRef = req.source.cardRef
    if (!req.payer.customerRef) throw invalid("a saved card needs a logged-in customer")
    await this.checkOwnCard(req.payer.customerRef, cardRef)
    const body: PaymentRequest = {
      amount: formatAmount(req.amount, currency),
      currency,
      merchant_txn_ref: req.orderCode,
      // The shopper's address as Medusa received it (payer-from-cart); left out when unknown rather than made up.
      ...(req.payer.ip ? { customer_ip: req.payer.ip } : {}),
      payment_method: { type: "scheme", stored_payment_method_id: cardRef },
      return_url: urls,
      ...this.addresses(req.payer),
      time_zone: this.options.timeZone,
    }
    // Token use is documented on /payment (purchase); the docs say a token works for authorisations
    // too but show no authorisation example: authorizationv2 takes the same payment_method. [?]
    const answer = await this.settle(req.orderCode, () => (req.capture ? this.client.payment(body) : this.client.authorizationV2(body)))
    if (answer.kind === "redirect") {
      // No transaction id comes with the redirect: the webhook (or the return) names it.
      return { type: "redirect", redirect: { url: answer.redirect.url }, state: { via: "3ds" } }
    }
    return { type: "charge", charge: this.charge(answer.txn, req, { customerRef: req.payer.customerRef, cardRef }) }
  }

  /**
   * With the session, when the storefront asks for the hosted page: its link (making it charges
   * nothing; the shopper pays on the page). A saved card cannot start 3-D Secure without paying: the
   * only call that takes a stored_payment_method_id is the payment itself (the "トークン使用API" of
   * PaymentOptions' API reference: /payment answers the final transaction, or a 3-D Secure page), and
   * no call authenticates alone. Sent at the session's creation it would charge a card for a cart
   * that may never be completed, so it is sent as completion starts, before Medusa makes the order.
   */
  async startRedirect(req: PayRequest): Promise<StartResult> {
    if (req.source.type === "saved") return { type: "later", payBeforeOrder: true }
    if (req.source.type !== "hosted") return { type: "later" }
    const r = await this.pay(req)
    if (r.type !== "redirect") throw invalid("the hosted page gave no link") // pay() makes only a link for "hosted"
    return r
  }

  /** Sells the authorisation, in full or for less (once: the rest is released). Refunds then target the capture's new id. */
  async capture(rec: ChargeRecord, amount?: number): Promise<GatewayCharge> {
    if (rec.state !== "authorized") return unchanged(rec)
    const amt = amount ?? rec.amount
    const txn = await this.client.capture(rec.reference, major(amt, this.currencyOf(rec)))
    const id = requireId(txn, "capture")
    return {
      ...unchanged(rec),
      reference: id,
      state: "captured",
      amount: amt,
      references: { ...rec.references, capture_id: id },
      operations: [op("capture", id, amt)],
    }
  }

  /** Void of an authorisation; a captured payment is refunded instead (no void of a sale is documented). */
  async cancel(rec: ChargeRecord): Promise<GatewayCharge> {
    if (rec.state === "canceled" || rec.state === "refunded") return unchanged(rec)
    if (rec.state === "authorized") {
      const txn = await this.client.void(rec.reference)
      const id = txn.id ?? rec.reference
      return { ...unchanged(rec), state: "canceled", amount: 0, references: { ...rec.references, void_id: id }, operations: [op("cancel", id, rec.amount)] }
    }
    return this.refund(rec, rec.amount)
  }

  async refund(rec: ChargeRecord, amount: number): Promise<GatewayCharge> {
    if (rec.state === "authorized") throw invalid("an authorisation is not captured: cancel it instead of refunding")
    if (amount > rec.amount) throw invalid(`refund of ${amount} is more than the ${rec.amount} left on ${rec.orderCode}`)
    const txn = await this.client.refund(rec.reference, major(amount, this.currencyOf(rec)))
    // A refund the gateway confirmed without an id is still made: failing here would invite a second one.
    const id = txn.id ?? `refund-${Date.now()}`
    const left = rec.amount - amount
    return {
      ...unchanged(rec),
      state: left === 0 ? "refunded" : "partially_refunded",
      amount: left,
      references: { ...rec.references, [`refund_${Object.keys(rec.references).filter((k) => k.startsWith("refund_")).length + 1}`]: id },
      operations: [op("refund", id, amount)],
    }
  }

  /** success_url / decline_url / cancel_url come back here: our own signature says which, and for which order. */
  parseReturn(n: IncomingNotification, pending: PendingRedirect): ReturnResult {
    const result = n.query.po
    if (result !== "ok" && result !== "ng" && result !== "cancel") throw invalid("not a PaymentOptions return (po)")
    if (!verifyReturnSignature(this.options.webhookSecret, `${pending.orderCode}:${result}`, n.query.sig)) {
      throw invalid("the return's signature does not match this order")
    }
    const values: Record<string, string> = {}
    // The documents do not say whether success_url receives the transaction id; take one if it does
    // (the status call checks it belongs to this order before anything is believed).
    const id = n.query.transaction_id ?? n.query.transactionId ?? n.query.id
    if (id && ID.test(id)) values.transaction_id = id
    if (result === "ok") return { outcome: "ok", values }
    return {
      outcome: "failed",
      values,
      error:
        result === "cancel"
          ? { code: "CANCELED", message: "the shopper left PaymentOptions' payment page", messageJa: "お客様が決済ページでキャンセルしました" }
          : { code: "DECLINED", message: "PaymentOptions declined the card or 3-D Secure failed", messageJa: "カードが承認されなかったか、本人認証に失敗しました" },
    }
  }

  async completeRedirect(input: CompleteRedirectInput): Promise<PayResult> {
    const id = transactionIdOf(input.state, input.returned?.values, input.notification)
    const waiting: PayResult = { type: "redirect", redirect: input.redirect, state: input.state }
    if (!id) {
      // Back from 3-D Secure before the webhook named the transaction: there is no lookup by our
      // reference, so completion waits (requires_more) until the webhook arrives.
      return waiting
    }
    let txn: Txn
    try {
      txn = await this.client.status(id)
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e
      // 578 "pending": the shopper is still on the page (or left it); ask again on the next completion.
      if (e instanceof PaymentOptionsError && e.responseCode === 578) return waiting
      // The shopper may have paid: an unreachable status call leaves the outcome open, never failed.
      if (e.kind === "retry" || e.kind === "unknown_outcome") {
        throw new PaymentOptionsError({ code: e.code, kind: "unknown_outcome", message: `${e.message} (asking for transaction ${id})`, messageJa: e.messageJa, transactionId: id })
      }
      throw e
    }
    this.verify(txn, input)
    if (!txn.success) throw failureOf(txn)
    const customerRef = input.payer.customerRef
    const cardRef = input.source?.type === "saved" ? input.source.cardRef : txn.storedPaymentMethodId
    return { type: "charge", charge: this.charge(txn, input, customerRef && cardRef ? { customerRef, cardRef } : undefined) }
  }

  /**
   * The status call answers for the transaction it names and for nothing done on it since: per the
   * transaction-status page and its OpenAPI schema, one envelope (transaction_type, amount, codes of
   * that transaction), no list of the captures, voids or refunds of a PRE_AUTH or CAPTURE, and no
   * look-up by merchant_txn_ref. Each of those makes a NEW transaction whose id is only in its own
   * answer — the one a lost answer loses. So a lost capture, void or refund cannot be settled from
   * it: the merchant checks the portal.
   */
  readonly retrieveBlindTo = ["capture", "refund", "cancel"] as const

  /** transaction/status of the payment's current transaction (the capture once captured). */
  async retrieve(rec: ChargeRecord): Promise<GatewayCharge> {
    const txn = await this.client.status(rec.reference)
    if (txn.merchantTxnRef && txn.merchantTxnRef !== rec.orderCode) throw invalid(`transaction ${rec.reference} is not ${rec.orderCode}`)
    return { ...unchanged(rec), card: cardOf(txn) }
  }

  /**
   * After a payment sent without an answer. The gateway has no lookup by merchant_txn_ref, so only a
   * transaction id — from a verified webhook, or from an earlier answer — can be asked about.
   */
  async findCharge(input: { orderCode: string; amount: number; currency: string; state: Record<string, string> | null; notification?: NotificationHint | null }): Promise<GatewayCharge | null> {
    const id = transactionIdOf(input.state ?? {}, undefined, input.notification)
    if (!id) {
      throw new GatewayError({
        code: "OUTCOME_UNKNOWN",
        kind: "unknown_outcome",
        message: "PaymentOptions did not answer and cannot be asked by our order reference: waiting for its webhook — check the payment in the merchant portal before charging again",
        messageJa: "PaymentOptions の応答がありません。ウェブフックを待っています",
      })
    }
    const txn = await this.client.status(id)
    this.verify(txn, input)
    if (!txn.success) return null
    return this.charge(txn, input, input.notification?.charge?.savedCard)
  }

  readonly customers: NonNullable<Gateway["customers"]> = {
    // The gateway has no customer object: the Medusa customer id is the reference.
    refFor: (customerId: string) => customerId,
    create: async (c) => c,
    retrieve: async (ref) => ({ ref }),
    update: async (c) => c,
    delete: async () => undefined,
    listCards: async (ref) => this.storedCards(ref),
    saveCard: async () => {
      throw unsupported("PaymentOptions stores a card only with a payment: pay with save_card: true on the hosted page")
    },
    deleteCard: async () => {
      throw unsupported("PaymentOptions publishes no call to delete a stored card: ask PaymentOptions support")
    },
  }

  /** The webhook: our signature in the URL proves it is for this order; the body is only a hint. */
  parseNotification(n: IncomingNotification): ParsedNotification {
    const ack = { status: 200, contentType: "application/json; charset=utf-8", body: '{"received":true}' }
    const ref = n.query.ref
    if (!ref || !verifyWebhookSignature(this.options.webhookSecret, ref, n.query.sig)) {
      throw new GatewayError({ code: "FORGED", kind: "invalid", message: "PaymentOptions webhook refused: its URL signature does not match" })
    }
    let txn: Txn
    try {
      txn = parseTxn(parseJson(n.rawBody.toString("utf8")))
    } catch (e) {
      if (e instanceof CodecError) throw invalid(`not a PaymentOptions webhook: ${e.message}`)
      throw e
    }
    if (txn.merchantTxnRef && txn.merchantTxnRef !== ref) throw invalid(`webhook for ${txn.merchantTxnRef} sent to the URL of ${ref}`)
    // Only a payment concerns a session; capture, void and refund webhooks follow our own calls.
    if (txn.transactionType !== "PRE_AUTH" && txn.transactionType !== "CAPTURE") return { ack, verified: true }
    if (!txn.id) return { ack, verified: true }
    const currency = (txn.currency ?? "JPY").toLowerCase()
    const amount = txn.amount !== undefined ? toMinor(txn.amount, currency) : 0
    const failure = txn.success ? undefined : describeCode(txn.code, txn.responseCode)
    return {
      ack,
      verified: true,
      event: {
        orderCode: ref,
        dedupeKey: `${txn.id}:${txn.transactionType}:${txn.success ? 1 : 0}`,
        succeeded: txn.success,
        amount,
        charge: {
          reference: txn.id,
          state: txn.transactionType === "CAPTURE" ? "captured" : "authorized",
          amount,
          references: { transaction_id: txn.id },
          operations: [op("notification", txn.id, amount)],
        },
        error: failure ? { code: failure.code, message: failure.en } : undefined,
      },
    }
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  /** webhook_url signed per order; success/decline/cancel URLs signed per order and outcome. */
  private urls(orderCode: string, returnUrl: string | undefined, notifyUrl: string | undefined): ReturnUrls {
    if (!returnUrl || !notifyUrl) {
      throw new GatewayError({ code: "NO_BACKEND_URL", kind: "merchant", message: "set the provider option backendUrl: PaymentOptions needs URLs to send the shopper and the webhook back to" })
    }
    const secret = this.options.webhookSecret
    const back = (po: string) => withQuery(returnUrl, { po, sig: returnSignature(secret, `${orderCode}:${po}`) })
    return {
      webhook_url: withQuery(notifyUrl, { ref: orderCode, sig: webhookSignature(secret, orderCode) }),
      success_url: back("ok"),
      decline_url: back("ng"),
      cancel_url: back("cancel"),
    }
  }

  /** Never a blind retry: an unclear answer that names its transaction is settled by the status call. */
  private async settle<T>(orderCode: string, call: () => Promise<T>): Promise<T | { kind: "txn"; txn: Txn }> {
    try {
      return await call()
    } catch (e) {
      if (!(e instanceof PaymentOptionsError) || e.kind !== "unknown_outcome" || !e.transactionId) throw e
      const txn = await this.client.status(e.transactionId)
      if (txn.merchantTxnRef && txn.merchantTxnRef !== orderCode) throw e
      if (!txn.success) throw failureOf(txn)
      return { kind: "txn", txn }
    }
  }

  /** The transaction the status call returned must be this order's, for this amount and currency. */
  private verify(txn: Txn, expect: { orderCode: string; amount: number; currency: string }): void {
    if (txn.merchantTxnRef !== expect.orderCode) {
      throw invalid(`transaction ${txn.id ?? "?"} belongs to ${txn.merchantTxnRef ?? "no order"}, not ${expect.orderCode}`)
    }
    if (txn.success) {
      const currency = expect.currency.toUpperCase()
      if (txn.currency && txn.currency !== currency) throw invalid(`transaction ${txn.id} is in ${txn.currency}, not ${currency}`)
      if (txn.amount === undefined || toMinor(txn.amount, currency) !== expect.amount) {
        throw invalid(`transaction ${txn.id} is for ${txn.amount ?? "no amount"}, the order is ${formatAmount(expect.amount, currency)}`)
      }
    }
  }

  private charge(txn: Txn, req: { amount: number; currency: string }, savedCard?: { customerRef: string; cardRef: string }): GatewayCharge {
    const id = requireId(txn, "payment")
    const amount = txn.amount !== undefined ? toMinor(txn.amount, req.currency) : req.amount
    return {
      reference: id,
      state: txn.transactionType === "CAPTURE" ? "captured" : "authorized",
      amount,
      references: {
        transaction_id: id,
        ...(txn.ref !== undefined ? { ref: String(txn.ref) } : {}),
        ...(txn.authCode ? { auth_code: txn.authCode } : {}),
        ...(txn.merchantTxnRef ? { merchant_txn_ref: txn.merchantTxnRef } : {}),
        currency: req.currency.toUpperCase(),
        // A stored card belongs to one DASMID: the saved-card list filters on it.
        mid: this.options.merchantId,
      },
      card: cardOf(txn),
      // The gateway reports no 3-D Secure detail in its envelope: say so rather than guess.
      threeDS: { status: "unknown", liability: "unknown", detail: "PaymentOptions runs 3-D Secure on its own pages and reports no outcome detail", detail_key: "poNoDetail" },
      savedCard,
      operations: [op("authorize", id, amount)],
    }
  }

  /** billing_address and, when the cart has one, shipping_address, from the cart (payer-from-cart). */
  private addresses(payer: PayerInfo): { billing_address: Address; shipping_address?: Address } {
    const email = payer.email && payer.email.length <= 45 ? payer.email : this.options.merchantEmail
    const fallback = { email, phone: payer.phone, country: this.options.defaultCountry }
    return {
      billing_address: toAddress(payer.billing ?? payer.shipping, fallback),
      ...(payer.shipping ? { shipping_address: toAddress(payer.shipping, fallback) } : {}),
    }
  }

  /** A saved card must be one this customer stored (its id is public in session data, never a secret). */
  private async checkOwnCard(customerRef: string, cardRef: string): Promise<void> {
    // A security check that cannot run refuses: without Medusa's payments there is nothing to check against.
    if (!this.payments) {
      throw new GatewayError({
        code: "NO_PAYMENT_LEDGER",
        kind: "merchant",
        message: "cannot check that this saved card is the customer's: Medusa's payment service is not in the provider's container",
        messageJa: "保存済みカードが顧客のものか確認できないため、決済できません",
      })
    }
    const cards = await this.storedCards(customerRef)
    if (!cards.some((c) => c.id === cardRef)) throw invalid("this saved card is not one of the customer's")
  }

  /**
   * The customer's stored cards: each payment made with save_card keeps the stored_payment_method_id
   * it made, with the merchant id, since a stored id belongs to one DASMID.
   */
  private async storedCards(customerRef: string): Promise<SavedCard[]> {
    if (!this.payments) return []
    const seen = new Map<string, SavedCard>()
    for (const p of await this.payments.withSavedCard(customerRef)) {
      if (p.references.mid !== this.options.merchantId || seen.has(p.savedCard.cardRef)) continue
      seen.set(p.savedCard.cardRef, { id: p.savedCard.cardRef, card: p.card ?? {} })
    }
    return [...seen.values()]
  }

  private currencyOf(rec: ChargeRecord): string {
    return rec.references.currency ?? "JPY"
  }
}

/** Our own record first, then the verified webhook's, then whatever the browser brought back (unsigned). */
function transactionIdOf(state: Record<string, string>, values: Record<string, string> | undefined, hint: NotificationHint | null | undefined): string | undefined {
  const id = state.transaction_id ?? hint?.charge?.reference ?? values?.transaction_id
  return id && ID.test(id) ? id : undefined
}

function failureOf(txn: Txn): GatewayError {
  const info = describeCode(txn.code, txn.responseCode)
  const kind = info.kind === "invalid" && txn.code === undefined ? "declined" : info.kind
  return new PaymentOptionsError({ code: info.code, kind, message: `PaymentOptions: ${txn.message && txn.message !== info.en ? `${info.en} — ${txn.message}` : info.en}`, messageJa: info.ja, transactionId: txn.id, responseCode: txn.responseCode })
}

function requireId(txn: Txn, what: string): string {
  if (!txn.id) {
    throw new PaymentOptionsError({ code: "MALFORMED", kind: "unknown_outcome", message: `PaymentOptions answered the ${what} without a transaction id` })
  }
  return txn.id
}

function cardOf(txn: Txn): GatewayCharge["card"] {
  const c = txn.card
  if (!c && !txn.scheme) return undefined
  const digits = c?.number?.replace(/[^0-9*]/g, "")
  // Shown masked whatever the gateway sent (the samples disagree on masking): last four only.
  const masked = digits && digits.length >= 4 ? `${"*".repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}` : undefined
  const expiry = c?.expMonth && c?.expYear ? `${c.expMonth}/${c.expYear.slice(-2)}` : undefined
  return { brand: txn.scheme, masked, expiry }
}

function major(minor: number, currency: string): number {
  return Number(formatAmount(minor, currency))
}

