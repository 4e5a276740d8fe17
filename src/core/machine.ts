// The life of a card payment in the plugin's own words, without Medusa: what a new session holds,
// what authorization does next, what a gateway's answer (or silence) leaves on the session, what a
// verified return or notification records, how an operation's result merges into the payment. Every
// function is pure; card-provider.ts is the Medusa adapter that calls the gateway and these in turn.
//
// Session `data` is returned to the storefront, so it holds nothing secret. What the storefront sent
// (a card token, a saved card id) stays beside our own state, which lives under `jp` and is written
// whole when the session is made, so a storefront can never forge it.
import type { ChargeRecord, GatewayCharge, GatewayErrorKind, NotificationHint, Operation, PayResult, PaymentMethod, PaymentSource, PayerInfo, ReturnResult, StartResult } from "./gateway"
import { readPaymentState, readSessionState, type JpPayer, type JpPaymentState, type JpSessionState } from "./state"

/** Medusa's payment session statuses that the plugin uses, by the same strings. */
export type SessionStatus = "pending" | "authorized" | "captured" | "canceled" | "requires_more" | "error"

/** A session's data after a step, and the status it leaves. */
export interface Outcome {
  status: SessionStatus
  data: Record<string, unknown>
}

/** Why a step failed, as the session records it and the storefront reads it. */
export interface Failure {
  code: string
  message: string
  messageJa?: string
  kind: GatewayErrorKind
  retry?: Record<string, string>
}

/** The fields of the session data that the gateway's token carries (the definition's tokenFields). */
export type TokenFields = readonly string[]

// ---- a new session ---------------------------------------------------------------------------------

export interface SessionInit {
  gateway: string
  orderCode: string
  amount: number
  currency: string
  capture: boolean
  source: PaymentSource | undefined
  customerRef: string | null
  payer: JpPayer
  browser: Record<string, unknown>
  returnTo: string | null
  retryOf?: Record<string, string>
  /** What the provider allows (一括 first) and what the storefront chose, checked already. */
  paymentMethods?: PaymentMethod[]
  paymentMethod?: PaymentMethod
}

export function openSession(i: SessionInit): JpSessionState {
  const s = i.source
  return {
    v: 1,
    gateway: i.gateway,
    order_code: i.orderCode,
    amount: i.amount,
    currency: i.currency,
    capture: i.capture,
    // Every key is written, null where empty: Medusa merges session data into what the storefront
    // sent, so a key left out here could be supplied by the storefront.
    source: s?.type ?? null,
    card_ref: s?.type === "saved" ? s.cardRef : null,
    save_card: s?.type === "token" || s?.type === "hosted" ? s.saveCard : false,
    customer_ref: i.customerRef,
    payer: i.payer,
    browser: i.browser,
    attempt: null,
    redirect: null,
    redirect_state: null,
    redirect_amount: null,
    pay_before_order: false,
    returned: null,
    return_to: i.returnTo,
    error: null,
    notification: null,
    retry: null,
    retry_of: i.retryOf ?? null,
    payment_methods: i.paymentMethods ?? [{ type: "lump" }],
    payment_method: i.paymentMethod ?? null,
    card_seal: null,
  }
}

/** The 支払方法 a session pays with: the one chosen, or 一括. */
export function paymentMethodOf(jp: JpSessionState): PaymentMethod {
  return jp.payment_method ?? { type: "lump" }
}

/** Why a session's source cannot be used by this customer, or null. */
export function sourceRefusal(source: PaymentSource | undefined, customerRef: string | null): string | null {
  if (source?.type === "saved" && !customerRef) return "paying with a saved card needs a logged-in customer"
  if ((source?.type === "token" || source?.type === "hosted") && source.saveCard && !customerRef) return "saving a card needs a logged-in customer"
  return null
}

// ---- 3-D Secure started with the session ---------------------------------------------------------

/** The source whose browser step may start as the session is made: a card token or a saved card, or the hosted page when the storefront asks for it. */
export function startableSource(data: Record<string, unknown>, jp: JpSessionState, tokenFields: TokenFields): PaymentSource | null {
  if (jp.source === "hosted" && data.hosted_page !== true) return null
  return sourceOf(data, jp, tokenFields)
}

/**
 * The new session after the gateway's browser step was started: the redirect is in its public data at
 * once (status requires_more), tied to the amount it was started for; or, with nothing to start, the
 * session as it was (with the source the start left, e.g. a card saved on the way).
 */
export function afterStart(data: Record<string, unknown>, jp: JpSessionState, result: StartResult, g: { tokenFields: TokenFields; tokenAfterRedirect?: boolean }): Outcome {
  if (result.type === "later") {
    const s = result.source
    const later = result.payBeforeOrder ? { ...jp, pay_before_order: true } : jp
    if (!s || s.type !== "saved") return { status: "pending", data: { ...data, jp: later } }
    // The start spent the token on saving the card: the payment goes on with the saved card.
    return { status: "pending", data: { ...withoutCard(data, g.tokenFields), jp: { ...later, source: "saved", card_ref: s.cardRef, save_card: false } } }
  }
  const waiting = afterPay(data, jp, { type: "redirect", redirect: result.redirect, state: result.state }, g)
  return { status: waiting.status, data: { ...waiting.data, jp: { ...(waiting.data.jp as JpSessionState), redirect_amount: jp.amount } } }
}

/**
 * The session after Medusa's updatePayment gave it a new amount. An authentication started for
 * another amount no longer fits: authorization then refuses it (AMOUNT_CHANGED) and a new session
 * with the card starts a new one.
 */
export function afterAmountChange(data: Record<string, unknown>, jp: JpSessionState, amount: number, browser: Record<string, unknown>): Record<string, unknown> {
  return { ...data, jp: { ...jp, amount, browser } }
}

/** Why a started redirect cannot be completed now (before any order is made), or null. */
export function startedRedirectRefusal(jp: JpSessionState): { code: string; message: string } | null {
  if (jp.attempt !== "redirect") return null
  if (amountChanged(jp)) return amountChangedError(jp)
  if (!jp.returned) {
    return { code: "REDIRECT_PENDING", message: "the shopper has not come back from 3-D Secure (or the gateway's payment page) yet: follow the session's redirect first, then complete the cart" }
  }
  if (jp.returned.outcome === "failed") {
    return { code: jp.returned.error?.code ?? "REDIRECT_FAILED", message: `3-D Secure did not succeed${jp.returned.error ? ` (${jp.returned.error.message})` : ""}: pay with another card (a new payment session)` }
  }
  return null
}

function amountChanged(jp: JpSessionState): boolean {
  return typeof jp.redirect_amount === "number" && jp.redirect_amount !== jp.amount
}

function amountChangedError(jp: JpSessionState): { code: string; message: string } {
  return {
    code: "AMOUNT_CHANGED",
    message: `3-D Secure was done for ${jp.redirect_amount} but the payment is now ${jp.amount}: a new authentication is needed — create the payment session again with the card`,
  }
}

// ---- authorization -----------------------------------------------------------------------------

export type AuthorizeStep =
  /** The shopper went through a redirect: finish it with the gateway. */
  | { do: "complete_redirect" }
  /** A payment sent without an answer, at a gateway that has a status query: ask it. */
  | { do: "find_charge" }
  /** Send the payment. */
  | { do: "pay"; source: PaymentSource }
  /** A payment of several calls stopped after a recorded step: finish it (the sale) instead of paying again. */
  | { do: "finish_recorded"; charge: GatewayCharge; capture: boolean }
  /** Nothing to ask the gateway: this is the answer. */
  | { do: "answer"; outcome: Outcome }

/**
 * What authorization does with a session. A notification may tell the outcome of an attempt whose
 * answer was lost — and only that: some gateways (ROBOT PAYMENT) do not sign notifications, so one for
 * a session never sent proves nothing. A gateway with a status query is asked instead, the
 * notification as its hint.
 */
export function nextAuthorizeStep(data: Record<string, unknown>, jp: JpSessionState, g: { name: string; findsCharges: boolean; tokenFields: TokenFields }): AuthorizeStep {
  if (jp.recorded) return { do: "finish_recorded", charge: jp.recorded, capture: jp.capture && jp.recorded.state === "authorized" }
  if (jp.attempt === "redirect") {
    // Never pay an amount the shopper did not authenticate: a new 3-D Secure is needed.
    if (amountChanged(jp)) return answer(failure(withoutCard(data, g.tokenFields), { ...jp, attempt: "failed" }, { ...amountChangedError(jp), kind: "invalid" }))
    return { do: "complete_redirect" }
  }
  if (jp.attempt === "unknown") {
    if (g.findsCharges) return { do: "find_charge" }
    const n = jp.notification
    if (n && !n.succeeded) {
      return answer(failure(data, jp, { code: n.error?.code ?? "DECLINED", message: n.error?.message ?? "the gateway reported a failed payment", kind: "invalid" }))
    }
    if (n?.charge) return answer(authorizedBy(jp, n.charge))
    return answer(
      failure(
        data,
        jp,
        {
          code: "OUTCOME_UNKNOWN",
          message: `${g.name} did not answer an earlier attempt; waiting for its notification — check the payment in the gateway's control panel before charging again`,
          kind: "unknown_outcome",
        },
        "pending"
      )
    )
  }
  const source = sourceOf(data, jp, g.tokenFields)
  if (!source) return answer(failure(data, jp, { code: "NO_CARD", message: "no card token or saved card in the payment session: tokenize the card first", kind: "invalid" }))
  return { do: "pay", source }
}

const answer = (outcome: Outcome): AuthorizeStep => ({ do: "answer", outcome })

/** The session after the gateway answered a payment (or a redirect's completion). */
export function afterPay(data: Record<string, unknown>, jp: JpSessionState, result: PayResult, g: { tokenFields: TokenFields; tokenAfterRedirect?: boolean }): Outcome {
  if (result.type === "charge") return authorizedBy(jp, result.charge)
  // A new redirect starts a new wait: what came back for the previous one is spent.
  return {
    status: "requires_more",
    data: {
      ...(g.tokenAfterRedirect ? data : withoutCard(data, g.tokenFields)),
      jp: { ...jp, attempt: "redirect", redirect: result.redirect, redirect_state: result.state, returned: null, error: null },
    },
  }
}

/** A charge that finished a recorded payment, with what the recorded step had done before it. */
export function withRecorded(jp: JpSessionState, result: PayResult): PayResult {
  const r = jp.recorded
  if (!r || result.type !== "charge") return result
  const c = result.charge
  return { type: "charge", charge: { ...r, ...c, card: c.card ?? r.card, threeDS: c.threeDS ?? r.threeDS, savedCard: c.savedCard ?? r.savedCard, operations: [...r.operations, ...c.operations] } }
}

/** What the gateway's capture takes for a charge recorded on a session (not yet a Medusa payment). */
export function chargeRecordOf(c: GatewayCharge, jp: JpSessionState): ChargeRecord {
  return {
    reference: c.reference,
    references: c.references,
    state: c.state,
    authorizedAmount: c.amount,
    amount: c.amount,
    refundedAmount: 0,
    orderCode: jp.order_code,
    capture: jp.capture,
    savedCard: c.savedCard,
    paymentMethod: paymentMethodOf(jp),
  }
}

/** The session after the gateway refused a payment, or did not answer it (then it stays pending: never resent). */
export function afterPayError(data: Record<string, unknown>, jp: JpSessionState, e: Failure, tokenFields: TokenFields): Outcome {
  const unknown = e.kind === "unknown_outcome"
  // An unknown outcome stays pending: a status query or the gateway's notification decides later.
  return failure(withoutCard(data, tokenFields), { ...jp, attempt: unknown ? "unknown" : "failed" }, e, unknown ? "pending" : "error")
}

/**
 * The shopper came back from a redirect: a failed return is the answer; otherwise the source the
 * gateway's completion takes (a saved card, or the token a gateway needs again).
 */
export function redirectStep(data: Record<string, unknown>, jp: JpSessionState, g: { tokenFields: TokenFields; tokenAfterRedirect?: boolean }): { answer: Outcome } | { source: PaymentSource | null } {
  const returned = jp.returned
  if (returned?.outcome === "failed") {
    const err = returned.error
    return {
      answer: failure(withoutCard(data, g.tokenFields), { ...jp, attempt: "failed" }, {
        code: err?.code ?? "REDIRECT_FAILED",
        message: err?.message ?? "3-D Secure or the gateway's payment page did not succeed",
        messageJa: err?.messageJa,
        kind: "declined",
      }),
    }
  }
  if (jp.source === "saved" && jp.card_ref) return { source: { type: "saved", cardRef: jp.card_ref } }
  return { source: g.tokenAfterRedirect && jp.source === "token" ? sourceOf(data, jp, g.tokenFields) : null }
}

/** The session after a status query about a payment sent without an answer. */
export function afterFindCharge(data: Record<string, unknown>, jp: JpSessionState, charge: GatewayCharge | null, gateway: string): Outcome {
  if (charge) return authorizedBy(jp, charge)
  return failure(data, { ...jp, attempt: "failed" }, { code: "NOT_CHARGED", message: `${gateway} holds no payment for ${jp.order_code}: nothing was charged; enter the card again`, kind: "declined" })
}

/** The session after a status query that itself failed: the outcome stays open. */
export function afterFindChargeError(data: Record<string, unknown>, jp: JpSessionState, e: Failure): Outcome {
  return failure(data, jp, { ...e, kind: "unknown_outcome" }, "pending")
}

/** The session data with a failure recorded beside what was there. */
export function failure(data: Record<string, unknown>, jp: JpSessionState | null, e: Failure, status: SessionStatus = "error"): Outcome {
  const error = { code: e.code, message: e.message, message_ja: e.messageJa ?? null, kind: e.kind }
  return { status, data: { ...data, ...(jp ? { jp: { ...jp, error, ...(e.retry ? { retry: e.retry } : {}) } } : {}) } }
}

/** The payment data once the gateway holds a charge: what capture, cancel and refund need. */
export function authorizedBy(jp: JpSessionState, charge: GatewayCharge): Outcome {
  const p: JpPaymentState = {
    v: 1,
    gateway: jp.gateway,
    order_code: jp.order_code,
    currency: jp.currency,
    capture: jp.capture,
    payer: jp.payer,
    state: charge.state,
    reference: charge.reference,
    references: charge.references,
    authorized_amount: charge.amount,
    amount: charge.amount,
    refunded_amount: 0,
    card: charge.card ?? null,
    three_ds: charge.threeDS ?? null,
    saved_card: charge.savedCard ?? null,
    history: charge.operations,
    payment_method: paymentMethodOf(jp),
  }
  return { status: paymentStatus(p), data: { token: null, jp: p } }
}

// ---- the card the session carries -----------------------------------------------------------------

/** The payment source of a session: its saved card, the hosted page, or the token with its companions. */
export function sourceOf(data: Record<string, unknown>, jp: JpSessionState, tokenFields: TokenFields): PaymentSource | null {
  if (jp.source === "saved" && jp.card_ref) return { type: "saved", cardRef: jp.card_ref }
  if (jp.source === "hosted") return { type: "hosted", saveCard: jp.save_card === true }
  if (jp.source === "token" && typeof data.token === "string" && data.token.length > 0) {
    const extra = tokenExtra(data, tokenFields)
    return { type: "token", token: data.token, saveCard: jp.save_card === true, ...(extra ? { extra } : {}) }
  }
  return null
}

/** The token's companion values present in `data` (every token field but `token`), or undefined when there are none. */
export function tokenExtra(data: Record<string, unknown>, tokenFields: TokenFields): Record<string, string> | undefined {
  const companions = tokenFields.filter((f) => f !== "token")
  if (companions.length === 0) return undefined
  const extra: Record<string, string> = {}
  for (const f of companions) if (typeof data[f] === "string" && (data[f] as string).length > 0) extra[f] = data[f] as string
  return Object.keys(extra).length > 0 ? extra : undefined
}

/** The session data without the card token and its companions: a token is spent once used. */
export function withoutCard(data: Record<string, unknown>, tokenFields: TokenFields): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data, token: null }
  for (const f of tokenFields) if (f in out) out[f] = null
  return out
}

export function payerOf(jp: JpSessionState): PayerInfo {
  const p = jp.payer
  return {
    email: p.email ?? undefined,
    phone: p.phone ?? undefined,
    ...(p.ip ? { ip: p.ip } : {}),
    ...(p.billing ? { billing: p.billing } : {}),
    ...(p.shipping ? { shipping: p.shipping } : {}),
    customerRef: jp.customer_ref ?? undefined,
  }
}

export function hintOf(jp: JpSessionState): NotificationHint | null {
  const n = jp.notification
  return n ? { succeeded: n.succeeded, charge: n.charge, error: n.error } : null
}

// ---- returns and notifications -------------------------------------------------------------------

/** The session data with a verified return recorded, or null when one is recorded already. */
export function recordReturn(data: Record<string, unknown>, result: ReturnResult, at: Date): Record<string, unknown> | null {
  const jp = readSessionState(data)
  if (!jp || jp.attempt !== "redirect" || jp.returned) return null
  const returned = { outcome: result.outcome, values: result.values, threeDS: result.threeDS ?? null, error: result.error ?? null, at: at.toISOString() }
  return { ...data, jp: { ...jp, returned } }
}

/** A verified notification as the notification route hands it over. */
export interface NotificationEvent {
  dedupeKey: string
  succeeded: boolean
  amount: number
  charge?: GatewayCharge
  error?: { code: string; message: string }
  /** The gateway signs its notifications and the signature was checked. */
  verified: boolean
}

/**
 * The session data with a verified notification recorded, or null when there is nothing to record:
 * the same notification again, or a session whose payment was not sent without an answer (the
 * synchronous answer is the truth there, and an unsigned notification must not stand in for it).
 */
export function recordNotification(data: Record<string, unknown>, event: NotificationEvent, at: Date): Record<string, unknown> | null {
  const jp = readSessionState(data)
  // A signed notification may also wake a session that waits on a redirect (the shopper paid on the
  // gateway's page but never came back); authorization still asks the gateway before believing it.
  const waiting = jp?.attempt === "unknown" || (jp?.attempt === "redirect" && event.verified)
  if (!jp || !waiting) return null
  if (jp.notification?.dedupe_key === event.dedupeKey) return null
  // Out of order (or forged, where the gateway signs nothing): a failure never replaces a recorded
  // success — the gateway charged, and one payment attempt cannot be both.
  if (jp.notification?.succeeded && !event.succeeded) return null
  const notification = {
    dedupe_key: event.dedupeKey,
    succeeded: event.succeeded,
    amount: event.amount,
    charge: event.charge ?? null,
    error: event.error ?? null,
    received_at: at.toISOString(),
  }
  return { ...data, jp: { ...jp, notification } }
}

// ---- the payment after authorization --------------------------------------------------------------

/** Medusa's status for a payment's state at the gateway. */
export function paymentStatus(p: JpPaymentState): SessionStatus {
  switch (p.state) {
    case "authorized":
      return "authorized"
    case "canceled":
      return "canceled"
    default:
      return "captured"
  }
}

/** Medusa's status for any data this provider wrote (a session or a payment). */
export function statusOfData(data: Record<string, unknown>): SessionStatus {
  const p = readPaymentState(data)
  if (p) return paymentStatus(p)
  const jp = readSessionState(data)
  if (jp?.attempt === "redirect") return "requires_more"
  // A lost answer is not a failure: the gateway may have charged, so the session waits to be settled.
  if (jp?.attempt === "unknown") return "pending"
  if (jp?.error) return "error"
  return "pending"
}

/** What the gateway's capture, cancel and refund take. */
export function chargeRecord(p: JpPaymentState): ChargeRecord {
  return {
    reference: p.reference,
    references: p.references,
    state: p.state,
    authorizedAmount: p.authorized_amount,
    amount: p.amount,
    refundedAmount: p.refunded_amount,
    orderCode: p.order_code,
    capture: p.capture,
    savedCard: p.saved_card ?? undefined,
    ...(p.payment_method ? { paymentMethod: p.payment_method } : {}),
    ...(p.resume ? { resume: p.resume.values } : {}),
  }
}

/** The payment after an operation: the charge's state, references and history merged in. */
export function mergeCharge(p: JpPaymentState, charge: GatewayCharge): JpPaymentState {
  const history: Operation[] = [...p.history, ...charge.operations]
  return {
    ...p,
    state: charge.state,
    reference: charge.reference,
    references: { ...p.references, ...charge.references },
    amount: charge.amount,
    card: charge.card ?? p.card,
    // A re-authorization (PAYGENT 028/029) carries its own outcome: the original one no longer holds.
    three_ds: charge.threeDS ?? p.three_ds,
    saved_card: charge.savedCard ?? p.saved_card,
    history,
  }
}

/** What Medusa's capture does with a payment: nothing (done already), refuse, or ask the gateway. */
export function captureStep(p: JpPaymentState): { do: "nothing" } | { do: "refuse"; reason: string } | { do: "capture" } {
  if (p.state === "captured" || p.state === "partially_refunded" || p.state === "refunded") {
    // A smaller sale released the rest of the authorization: Medusa cannot capture it.
    if (p.sold_amount != null && p.sold_amount < p.authorized_amount) {
      return { do: "refuse", reason: `payment ${p.order_code} was sold for ${p.sold_amount} of the ${p.authorized_amount} authorized; the rest was released and cannot be captured` }
    }
    return { do: "nothing" }
  }
  if (p.state === "canceled") return { do: "refuse", reason: `payment ${p.order_code} is canceled` }
  return { do: "capture" }
}

/** Why a capture of `amount` (whole minor units) cannot be asked for, or null. */
export function captureAmountRefusal(p: JpPaymentState, amount: number): { notAllowed?: string; invalid?: string } | null {
  if (p.state !== "authorized") return { notAllowed: `payment ${p.order_code} is ${p.state}, not waiting for capture` }
  const stopped = resumeRefusal(p, "capture", amount)
  if (stopped) return stopped
  // p.amount: what the gateway holds now (after a recorded 028, the smaller amount already).
  if (!Number.isInteger(amount) || amount <= 0 || amount > p.amount) {
    return { invalid: `capture amount must be a whole amount from 1 to the ${p.amount} authorized (got ${amount})` }
  }
  return null
}

/** Why a refund of `amount` cannot be asked for, or null: checked before the gateway is called. */
export function refundRefusal(p: JpPaymentState, amount: number): { notAllowed?: string; invalid?: string } | null {
  if (amount <= 0) return { invalid: "refund amount must be positive" }
  if (p.resume) return resumeRefusal(p, "refund", amount)
  if (p.state === "refunded" || p.state === "canceled") return { notAllowed: `payment ${p.order_code} has nothing left to refund` }
  if (amount > p.amount) return { invalid: `refund of ${amount} is more than the ${p.amount} still charged on ${p.order_code}` }
  return null
}

/** An operation stopped half-way: only the same operation, for the same amount, may go on. */
function resumeRefusal(p: JpPaymentState, op: "capture" | "refund", amount: number): { notAllowed: string } | null {
  const r = p.resume
  if (!r || (r.op === op && r.amount === amount)) return null
  return { notAllowed: `a ${r.op} of ${r.amount} on ${p.order_code} stopped half-way: retry that ${r.op} (same amount) to finish it first` }
}

/** The payment after a refund of `amount`. */
export function afterRefund(p: JpPaymentState, charge: GatewayCharge, amount: number): JpPaymentState {
  return { ...mergeCharge(p, charge), refunded_amount: p.refunded_amount + amount }
}

/**
 * Whether an operation whose answer was lost was done, from the gateway's status query (`now`):
 * done, not done (the payment is as it was: a capture or cancel may be sent, the gateway refuses a
 * second one anyway), or unknown. A refund is sent again only on proof, never on an unchanged look:
 * a status query that does not follow refunds would otherwise let it through twice.
 */
export function pendingVerdict(p: JpPaymentState, pending: NonNullable<JpPaymentState["pending"]>, now: GatewayCharge): "done" | "not_done" | "unknown" {
  const s = now.state
  switch (pending.op) {
    case "capture":
      if (s === "captured" || s === "partially_refunded" || s === "refunded") return "done"
      return s === p.state && now.amount === p.amount ? "not_done" : "unknown"
    case "cancel":
      if (s === "canceled" || s === "refunded") return "done"
      return s === p.state && now.amount === p.amount ? "not_done" : "unknown"
    case "refund":
      if (pending.amount >= p.amount) return s === "refunded" || s === "canceled" ? "done" : "unknown"
      if (s !== "partially_refunded") return "unknown"
      // A status query that carries the amount (PAYGENT 094) must show this refund taken off; one that
      // does not (SBPS MG01 answers the old amount) proves it only from a payment not refunded before.
      if (now.amount < p.amount) return now.amount === p.amount - pending.amount ? "done" : "unknown"
      return p.state === "captured" ? "done" : "unknown"
  }
}

// ---- the merchant's word on a lost answer -----------------------------------------------------------

/** The mark a capture, refund or cancel leaves on the payment until its answer settles it. */
export type PendingMark = NonNullable<JpPaymentState["pending"]>

/**
 * The payment with the merchant's word that its pending operation was done at the gateway (they saw it
 * in the control panel), or why it cannot take it. `seen`: the mark's time as the merchant's page
 * showed it — a mark that changed since is not the one they checked. A mark confirmed already keeps
 * its first confirmation.
 */
export function confirmPending(p: JpPaymentState, by: string | null, at: Date, seen?: string): { jp: JpPaymentState } | { refusal: string } {
  const m = p.pending
  if (!m) return { refusal: `payment ${p.order_code} has no operation waiting for its outcome` }
  if (seen !== undefined && seen !== m.at) {
    return { refusal: `the operation waiting on ${p.order_code} is a ${m.op} of ${m.amount} sent at ${m.at}, not the one sent at ${seen}: look at the payment again` }
  }
  if (m.confirmed) return { jp: p }
  return { jp: { ...p, pending: { ...m, confirmed: { by, at: at.toISOString() } } } }
}

/**
 * Why a `op` of `amount` cannot take a confirmed mark, or null: a confirmation is for that very
 * operation and amount, never for another (which would be recorded without ever being sent).
 */
export function confirmedRefusal(p: JpPaymentState, op: PendingMark["op"], amount: number): string | null {
  const m = p.pending
  if (!m?.confirmed || (m.op === op && m.amount === amount)) return null
  return (
    `the ${m.op} of ${m.amount} on ${p.order_code} (sent at ${m.at}, its answer lost) was confirmed done at the gateway by the merchant: ` +
    `only the same ${m.op} of ${m.amount} records it, not a ${op} of ${amount} — repeat that ${m.op} in Medusa, ` +
    `or clear the mark ("not done at the gateway") if the confirmation was wrong`
  )
}

/**
 * The payment once a confirmed pending operation is recorded, without a gateway call: the state and
 * amounts the gateway's answer would have left (merged as a live answer is, and as a status query's
 * proof is), the operation in the history with who confirmed it, the mark gone. The references stay
 * the last the plugin knows: an operation that gave the payment a new one at the gateway without a
 * recorded step (a partial refund that re-authorizes the rest, PAYGENT 029) is not followed.
 */
export function confirmedDone(p: JpPaymentState, at: string): JpPaymentState {
  const m = p.pending
  if (!m?.confirmed) return p
  const mark = (op: Operation["op"], amount: number): Operation[] => [{ op, reference: p.reference, amount, at, confirmed: m.confirmed! }]
  const answer = (state: GatewayCharge["state"], amount: number, operations: Operation[]): GatewayCharge => ({ reference: p.reference, references: {}, state, amount, operations })
  const settled = { pending: null, resume: null }
  switch (m.op) {
    case "capture":
      // what the gateway holds once sold: the amount asked (a smaller sale releases the rest)
      return { ...mergeCharge(p, answer("captured", m.amount, mark("capture", m.amount))), sold_amount: m.amount, ...settled }
    case "refund": {
      // From what the gateway held before the refund: a recorded step (a recharge of the rest) may have
      // moved `amount` already. Marks older than `held`: what was sold less what was refunded.
      const held = m.held ?? (p.sold_amount ?? p.authorized_amount) - p.refunded_amount
      const left = Math.max(0, held - m.amount)
      const state = left > 0 ? "partially_refunded" : p.state === "authorized" ? "canceled" : "refunded"
      return { ...afterRefund(p, answer(state, left, mark("refund", m.amount)), m.amount), ...settled }
    }
    case "cancel": {
      // a sale's cancel is its refund, as the gateways answer it
      const sale = p.state !== "authorized"
      return { ...mergeCharge(p, answer(sale ? "refunded" : "canceled", 0, mark(sale ? "refund" : "cancel", m.amount))), ...settled }
    }
  }
}
