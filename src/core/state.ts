// The shapes core keeps under `data.jp`: one while the payment is a session, another once the
// gateway holds a charge. Both are plain JSON; readers check the shape before trusting it.
import type { CardSummary, ChargeState, GatewayCharge, Operation, PayerAddress, PaymentMethod, Redirect, ReturnedRecord, SavedCardRef, ThreeDSOutcome } from "./gateway"

export interface JpPayer {
  email: string | null
  phone: string | null
  /** The shopper's IP address and the cart's addresses (payer-from-cart); absent on sessions made before they were kept. */
  ip?: string | null
  billing?: PayerAddress | null
  shipping?: PayerAddress | null
}

export interface JpError {
  code: string
  message: string
  message_ja: string | null
  kind: string
}

export interface JpNotification {
  dedupe_key: string
  succeeded: boolean
  amount: number
  charge: GatewayCharge | null
  error: { code: string; message: string } | null
  received_at: string
}

/** Session data (public: Medusa returns it to the storefront). */
export interface JpSessionState {
  v: 1
  gateway: string
  order_code: string
  /** Whole minor units (yen) computed from Medusa's amount. */
  amount: number
  currency: string
  capture: boolean
  source: "token" | "saved" | "hosted" | null
  card_ref: string | null
  save_card: boolean
  customer_ref: string | null
  payer: JpPayer
  /** What the storefront helper needs: script URLs, public ids, the amount 3-D Secure repeats. */
  browser: Record<string, unknown>
  /** null: not tried; failed; unknown: sent without an answer; redirect: waiting for 3-D Secure. */
  attempt: null | "failed" | "unknown" | "redirect"
  redirect: Redirect | null
  redirect_state: Record<string, string> | null
  /**
   * The amount 3-D Secure (or the gateway's page) was started for, when it was started with the
   * session (before completion): an authentication is good for that amount only. Absent in sessions
   * made before this field existed.
   */
  redirect_amount?: number | null
  /**
   * The payment is sent as completion starts, before Medusa makes the order (StartResult
   * `payBeforeOrder`): its own answer may be a 3-D Secure page, which then spends no order number.
   */
  pay_before_order?: boolean | null
  /** What the gateway sent back to the return route, verified. */
  returned: (ReturnedRecord & { at: string }) | null
  /** Where the return route sends the shopper (the storefront's `return_url`, checked against `storefrontUrl`). */
  return_to: string | null
  error: JpError | null
  notification: JpNotification | null
  /**
   * A payment of several calls that stopped after a recorded step (SBPS: 与信 committed, 売上 not
   * done): the charge the gateway holds. The next authorization finishes it instead of paying again.
   */
  recorded?: GatewayCharge | null
  /**
   * A refused payment the gateway keeps for a retry of the same payment (PAYGENT 2003: payment_id,
   * trading_id, count). Public values only; the next session of the same collection retries it.
   * `trading_id` is the order code the retried payment keeps: notifications under it find the retrying session.
   */
  retry?: Record<string, string> | null
  /** This session retries that payment (set on the server by the payer-from-cart middleware). */
  retry_of?: Record<string, string> | null
  /** 支払方法 the shopper may choose (the provider's option of what the gateway documents), 一括 first. Absent in older sessions. */
  payment_methods?: PaymentMethod[]
  /** The one chosen (the session's `payment_method`, checked), or null when none was sent (一括). */
  payment_method?: PaymentMethod | null
  /**
   * The card token and its companions, sealed (seal.ts) until authorization spends them: `data.token`
   * itself is null, so Medusa's tables never hold it. Absent in sessions made before it existed.
   */
  card_seal?: string | null
}

/** Payment data: what capture, cancel and refund need, and what the admin shows. */
export interface JpPaymentState {
  v: 1
  gateway: string
  order_code: string
  currency: string
  capture: boolean
  payer: JpPayer
  state: ChargeState
  reference: string
  references: Record<string, string>
  authorized_amount: number
  /** What the gateway holds now. */
  amount: number
  refunded_amount: number
  /** Set by a capture of a smaller amount: what was sold (the rest of the authorization was released). */
  sold_amount?: number | null
  card: CardSummary | null
  three_ds: ThreeDSOutcome | null
  saved_card: SavedCardRef | null
  history: Operation[]
  /** 支払方法 the payment was made with (absent in payments made before it was kept: 一括). */
  payment_method?: PaymentMethod
  /**
   * An operation that stopped after a recorded step: which one, for how much (whole minor units), and
   * what the gateway needs to finish it. A retry of the same operation resumes; anything else is refused.
   */
  resume?: { op: "capture" | "refund"; amount: number; values: Record<string, string> } | null
  /**
   * An operation sent to the gateway whose answer was lost (written before the call, cleared by its
   * answer). Medusa sends a retry as a new request with a new idempotency key, so the retry must not
   * send it again blindly: it asks the gateway first where it can, and otherwise refuses.
   */
  pending?: {
    op: "capture" | "refund" | "cancel"
    amount: number
    at: string
    /** The state and the amount the gateway held before the operation (`held` absent on older marks). */
    from: string
    held?: number
    /**
     * The merchant looked in the gateway's control panel and found the operation done (the admin's
     * "done at the gateway"): the same operation repeated in Medusa is then recorded without a gateway call.
     */
    confirmed?: { by: string | null; at: string } | null
  } | null
}

function jpOf(data: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const jp = data?.jp
  return jp && typeof jp === "object" && (jp as { v?: unknown }).v === 1 ? (jp as Record<string, unknown>) : null
}

export function readSessionState(data: Record<string, unknown> | undefined): JpSessionState | null {
  const jp = jpOf(data)
  // Payment-only keys in session data mean someone wrote them there: not ours.
  if (!jp || "state" in jp || "reference" in jp || typeof jp.order_code !== "string" || typeof jp.amount !== "number") return null
  return jp as unknown as JpSessionState
}

export function readPaymentState(data: Record<string, unknown> | undefined): JpPaymentState | null {
  const jp = jpOf(data)
  if (!jp || typeof jp.state !== "string" || typeof jp.reference !== "string") return null
  return jp as unknown as JpPaymentState
}
