// The small interface every gateway folder implements, and the result types it returns.
// No Medusa import here: src/gateways/* depend on this file and must stay testable without Medusa.
import type { PaymentMethod } from "./payment-method"

export type { PaymentMethod }

export type ChargeState = "authorized" | "captured" | "canceled" | "refunded" | "partially_refunded"

/** What a receipt or the admin may show of a card. Never a full number. */
export interface CardSummary {
  brand?: string
  masked?: string
  expiry?: string
  /** The gateway returns no card data for this payment (ROBOT PAYMENT's token payment): nothing to show, by design. */
  unavailable?: true
}

/** The 3-D Secure outcome of a charge, in the words of EMV 3DS. */
export interface ThreeDSOutcome {
  status: "frictionless" | "challenge" | "attempt" | "failed" | "not_performed" | "unknown"
  /** Who bears a fraud chargeback. */
  liability: "issuer" | "merchant" | "unknown"
  /** What happened, in English (payments recorded before detail_key carry only this). */
  detail?: string
  /** The admin's words for `detail`: jpPayments.threeDSDetail.<detail_key>, with detail_values interpolated. */
  detail_key?: string
  detail_values?: Record<string, string>
}

/** What the browser must show to finish 3-D Secure: a URL to go to, or a whole HTML page. */
export interface Redirect {
  url?: string
  html?: string
}

/** A saved card as the gateway knows it: the customer's reference and the card's. */
export interface SavedCardRef {
  customerRef: string
  cardRef: string
}

/** One call the gateway accepted, as the payment's history keeps it. */
export interface Operation {
  op: "authorize" | "capture" | "cancel" | "refund" | "recharge" | "notification"
  reference: string
  amount: number
  at: string
  /** Recorded on the merchant's word (its answer was lost; they saw it done in the control panel), not on a gateway answer. */
  confirmed?: { by: string | null; at: string }
}

/** A payment at the gateway after an operation. Amounts are in the currency's whole minor unit (yen). */
export interface GatewayCharge {
  /** The handle the next operation needs (ROBOT PAYMENT gid, SBPS tracking_id, PAYGENT payment_id, …). */
  reference: string
  state: ChargeState
  /** The amount the gateway holds now (after a recharge, the new charge's amount). */
  amount: number
  /** Every reference in the gateway's own words (gid, god, ap, cod …). Public, never secret. */
  references: Record<string, string>
  card?: CardSummary
  threeDS?: ThreeDSOutcome
  savedCard?: SavedCardRef
  /** The calls this operation made, oldest first. */
  operations: Operation[]
}

/** What core keeps of a payment and hands back to capture, cancel and refund. */
export interface ChargeRecord {
  reference: string
  references: Record<string, string>
  state: ChargeState
  /** Authorized amount of the original payment. */
  authorizedAmount: number
  /** What the gateway holds now. */
  amount: number
  refundedAmount: number
  orderCode: string
  capture: boolean
  savedCard?: SavedCardRef
  /** 支払方法 the payment was made with (absent: 一括): a gateway that charges again (a recharge) repeats it. */
  paymentMethod?: PaymentMethod
  /**
   * An operation that stopped half-way: what its recorded step left for the rest to do (e.g. ROBOT
   * PAYMENT's `cancel` gid of a cancel-and-recharge). The gateway resumes from it instead of starting over.
   */
  resume?: Record<string, string>
}

/**
 * Records a step of a multi-step operation before the next one starts: the charge as it stands after
 * the step, and what the rest of the operation still needs (`resume`). Core writes it to Medusa's
 * payment (or session) data at once, so a failure later leaves the truth recorded and a retry resumes.
 * After a recorded step, the charge the operation returns lists only the operations made since.
 */
export type RecordStep = (charge: GatewayCharge, resume?: Record<string, string>) => Promise<void>

/** Why a gateway said no, classed so that core and a shop owner know what to do. */
export type GatewayErrorKind =
  | "declined" // the card or the cardholder: ask for another card
  | "retry" // the gateway is busy or down: try again later
  | "merchant" // the shop's set-up or contract: the merchant must act
  | "invalid" // a request the gateway rejected (bad input, wrong state)
  | "unknown_outcome" // no answer: the gateway may or may not have acted
  | "unsupported" // the gateway has no such operation

export class GatewayError extends Error {
  readonly code: string
  readonly kind: GatewayErrorKind
  readonly messageJa?: string
  /** Public values by which the gateway lets a corrected card retry the same refused payment (PAYGENT 2003). */
  readonly retry?: Record<string, string>
  constructor(init: { code: string; kind: GatewayErrorKind; message: string; messageJa?: string; retry?: Record<string, string> }) {
    super(init.message)
    this.name = "GatewayError"
    this.code = init.code
    this.kind = init.kind
    this.messageJa = init.messageJa
    this.retry = init.retry
  }
}

/**
 * A postal address of the payer as the cart holds it (Medusa's address fields). `name`: Latin names
 * "first last", Japanese names "last first".
 */
export interface PayerAddress {
  name?: string
  postal_code: string
  province: string
  city: string
  address_1: string
  address_2: string
  phone: string
  /** ISO 3166-1 alpha-2, lower case as Medusa keeps it. */
  country_code: string
}

/** The payer as far as the gateway needs one. */
export interface PayerInfo {
  email?: string
  phone?: string
  /** The shopper's IP address as the Medusa server received it (Express req.ip, behind Medusa's trust-proxy setting). */
  ip?: string
  billing?: PayerAddress
  shipping?: PayerAddress
  /** The gateway customer the account holder maps to, when the shopper is logged in. */
  customerRef?: string
}

export type PaymentSource =
  | {
      type: "token"
      token: string
      saveCard: boolean
      /**
       * The token's companions from the session data, for gateways whose script gives more than one
       * value (SBPS token_key, tds2info_token …): the keys the gateway lists in `tokenFields`.
       */
      extra?: Record<string, string>
    }
  | { type: "saved"; cardRef: string }
  /** The card is entered on the gateway's own page (no browser token): PaymentOptions' hosted page. */
  | { type: "hosted"; saveCard: boolean }

export interface PayRequest {
  orderCode: string
  amount: number
  currency: string
  capture: boolean
  source: PaymentSource
  payer: PayerInfo
  /** 支払方法 the shopper chose among those the provider allows ({ type: "lump" } by default). */
  paymentMethod: PaymentMethod
  /**
   * Where the gateway sends the browser back after 3-D Secure or a hosted page:
   * `<backendUrl>/jp-payments/return/<orderCode>` (GET or POST, any body). Absent when the provider
   * has no `backendUrl` option; a gateway that needs it says so with a GatewayError(merchant).
   */
  returnUrl?: string
  /** A per-payment notification URL, `<backendUrl>/jp-payments/notify/<orderCode>`, for gateways that take one. */
  notifyUrl?: string
  /** Records a step of a payment made of several calls (SBPS commit then 売上). */
  record?: RecordStep
  /** The refused payment to retry instead of making a new one (SessionInput.retryOf). */
  retryOf?: Record<string, string>
}

export type PayResult =
  | { type: "charge"; charge: GatewayCharge }
  /** The browser must go through `redirect` first; `state` (public strings) comes back to completeRedirect. */
  | { type: "redirect"; redirect: Redirect; state: Record<string, string> }

/**
 * What `startRedirect` did when the payment session was made with the card: the browser must go
 * through `redirect` now (nothing is authorized yet; `state` comes back to completeRedirect), or
 * nothing to start — the payment is sent at cart completion, with `source` in place of the session's
 * own when the start changed it (PAYGENT: a card saved by 025 spends its token).
 */
export type StartResult =
  | { type: "redirect"; redirect: Redirect; state: Record<string, string> }
  | {
      type: "later"
      source?: PaymentSource
      /**
       * The gateway has no call that authenticates without paying, and its payment call may answer
       * with a 3-D Secure page (PaymentOptions' saved card): core sends that payment as the cart's
       * completion starts, before Medusa makes the order, so a 3-D Secure page spends no order number.
       */
      payBeforeOrder?: true
    }

/** A payment waiting on the browser, as the return route hands it to `parseReturn`. */
export interface PendingRedirect {
  orderCode: string
  amount: number
  currency: string
  state: Record<string, string>
}

/** What came back to the return route, once the gateway has verified it. */
export interface ReturnResult {
  outcome: "ok" | "failed"
  /** Public values kept on the session and handed to completeRedirect (e.g. a result id). */
  values: Record<string, string>
  threeDS?: ThreeDSOutcome
  error?: { code: string; message: string; messageJa?: string }
  /**
   * For a server-to-server call to the return route (PAYGENT's timeout call): answer it this way
   * instead of sending a browser on to the storefront.
   */
  respond?: { status: number; contentType: string; body: string }
}

/** What a verified return left on the session. */
export interface ReturnedRecord {
  outcome: "ok" | "failed"
  values: Record<string, string>
  threeDS: ThreeDSOutcome | null
  error: { code: string; message: string; messageJa?: string } | null
}

/**
 * A verified notification recorded on the session, handed to a gateway that has a status query: a
 * hint (which transaction to ask about), never the truth by itself.
 */
export interface NotificationHint {
  succeeded: boolean
  /** The charge the notification described; its `reference` is what a status query takes. */
  charge: GatewayCharge | null
  error: { code: string; message: string } | null
}

export interface CompleteRedirectInput {
  orderCode: string
  amount: number
  currency: string
  capture: boolean
  payer: PayerInfo
  /** 支払方法 the shopper chose (as in PayRequest). */
  paymentMethod: PaymentMethod
  /**
   * The saved card the payment started with, if any; a token only for a gateway with
   * `tokenAfterRedirect` (elsewhere it was spent on the first call and left the session).
   */
  source: PaymentSource | null
  /** What pay() returned as `state`. */
  state: Record<string, string>
  /** null: the shopper has not come back through the return route yet. */
  returned: ReturnedRecord | null
  /** The redirect pay() returned, to hand back unchanged while the shopper has not come back. */
  redirect: Redirect
  /** A verified notification received while waiting (e.g. the webhook that names the transaction), or null. */
  notification?: NotificationHint | null
  returnUrl?: string
  notifyUrl?: string
  record?: RecordStep
}

/** What the storefront may send in a payment session's `data`, once validated. */
export interface SessionInput {
  source?: PaymentSource
  email?: string
  phone?: string
  /** Set on the server by the payer-from-cart middleware; a storefront-sent copy is stripped. */
  customerIp?: string
  billingAddress?: PayerAddress
  shippingAddress?: PayerAddress
  /** The refused payment this session retries (GatewayError.retry of the collection's previous session); server-set. */
  retryOf?: Record<string, string>
  /** 支払方法 (`payment_method`), one the provider allows; absent: 一括. */
  paymentMethod?: PaymentMethod
}

/** A customer at the gateway (ROBOT PAYMENT user, SBPS cust_code, …). */
export interface GatewayCustomer {
  ref: string
  email?: string
  phone?: string
}

export interface SavedCard {
  id: string
  card: CardSummary
}

/** A gateway notification as it reached our route. */
export interface IncomingNotification {
  method: string
  query: Record<string, string>
  rawBody: Buffer
  headers: Record<string, string | string[] | undefined>
  /**
   * The source address to check: as the route hands it, Medusa's req.ip (X-Forwarded-For under
   * Express's `trust proxy`); the provider replaces it with `peerAddress` unless its trustProxy option is set.
   */
  remoteAddress?: string
  /** The TCP peer's address. */
  peerAddress?: string
}

/** A notification the gateway adapter has parsed and verified. */
export interface ParsedNotification {
  /** What the gateway answers must look like. */
  ack: { status: number; contentType: string; body: string }
  /**
   * True when the gateway signs its notifications and the signature was checked: such a notification
   * may also wake a session that waits on a redirect, not only one whose payment went unanswered.
   */
  verified?: boolean
  /** Absent when the notification is valid but concerns nothing to hand to Medusa. */
  event?: {
    orderCode: string
    /** Stable key for idempotency (ROBOT PAYMENT gid). */
    dedupeKey: string
    succeeded: boolean
    /** Amount the gateway says was charged (whole minor units). */
    amount: number
    charge?: GatewayCharge
    error?: { code: string; message: string }
  }
}

export interface Gateway {
  /**
   * Whether authorize asks for an immediate sale (ROBOT PAYMENT jb=CAPTURE, PAYGENT sales_mode=1,
   * SBPS commit + 売上, PaymentOptions purchase): a setting of the merchant's, read from the options.
   */
  readonly captureOnAuthorize: boolean

  /** Validates the storefront's session `data`; throws GatewayError(invalid) with a clear message. */
  parseSessionInput(data: Record<string, unknown>): SessionInput
  /** Public values the browser needs (ids, script URLs, the amount the 3-D Secure step repeats). */
  browserConfig(input: {
    orderCode: string
    amount: number
    currency: string
    customerRef?: string
    /** The payer the payment will carry, for a browser step that must repeat it (ROBOT PAYMENT em/pn). */
    payer?: PayerInfo
  }): Record<string, unknown>

  pay(req: PayRequest): Promise<PayResult>
  /**
   * Starts 3-D Secure (or the gateway's page) as the payment session is made with the card, so that
   * the shopper is back before the cart is completed once. Must never authorize or charge: a payment
   * that needs no browser step answers `later` and is sent by `pay` at completion. Absent: the old
   * flow (pay at completion, requires_more, complete again).
   */
  startRedirect?(req: PayRequest): Promise<StartResult>
  /**
   * Sales the authorization. `amount` (whole minor units, below the authorized amount) asks for a
   * smaller sale; a gateway without one throws GatewayError(unsupported). The charge's `amount` is
   * then what was sold.
   */
  capture(charge: ChargeRecord, amount?: number, record?: RecordStep): Promise<GatewayCharge>
  cancel(charge: ChargeRecord): Promise<GatewayCharge>
  refund(charge: ChargeRecord, amount: number, payer: PayerInfo, record?: RecordStep): Promise<GatewayCharge>

  /** Verifies what came back to the return route; throws GatewayError(invalid) for a forged return. */
  parseReturn?(incoming: IncomingNotification, pending: PendingRedirect): ReturnResult
  /** Finishes a payment that waited on a redirect (the next cart completion). */
  completeRedirect?(input: CompleteRedirectInput): Promise<PayResult>
  /** The charge as the gateway knows it now (status query). */
  retrieve?(charge: ChargeRecord): Promise<GatewayCharge>
  /**
   * Operations whose outcome `retrieve` cannot see (its status query reports the one transaction it
   * names, not what was done on it later). A lost answer of one of these is never settled from it, and
   * an unchanged answer is no proof that it was not done.
   */
  readonly retrieveBlindTo?: readonly ("capture" | "refund" | "cancel")[]
  /**
   * After a payment sent without an answer: the charge the gateway holds for this order, or null when
   * it holds none. Gateways without a status query leave this out.
   */
  findCharge?(input: {
    orderCode: string
    amount: number
    currency: string
    state: Record<string, string> | null
    /** A notification received since; when the gateway has findCharge, core does not believe it alone. */
    notification?: NotificationHint | null
  }): Promise<GatewayCharge | null>

  /** Saved cards; absent where the gateway has none. */
  customers?: {
    /** A stable gateway customer reference for a Medusa customer id. */
    refFor(customerId: string): string
    create(customer: GatewayCustomer): Promise<GatewayCustomer>
    retrieve(ref: string): Promise<GatewayCustomer | null>
    update(customer: GatewayCustomer): Promise<GatewayCustomer>
    delete(ref: string): Promise<void>
    listCards(ref: string): Promise<SavedCard[]>
    saveCard(ref: string, token: string, extra?: Record<string, string>): Promise<SavedCard>
    deleteCard(ref: string, cardId: string): Promise<void>
  }

  /** Parses and verifies a notification; throws GatewayError(invalid) for one that must be refused. */
  parseNotification?(n: IncomingNotification): ParsedNotification
}
