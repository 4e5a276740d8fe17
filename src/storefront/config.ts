// Pure helpers (no DOM): reading the public `data.jp.browser` a payment session carries, and building
// the `data` the storefront sends back when it creates the payment session again.
import { normalisePhone } from "../gateways/robot-payment/phone"
import { JpPaymentError } from "./errors"

/** What a ROBOT PAYMENT payment session hands the browser. */
export interface RobotPaymentBrowserConfig {
  gateway: "robot-payment"
  /** 店舗ID. */
  aid: string
  /** jquery.js, CPToken.js, EMV3DSAdapter.js — in this order. */
  scripts: string[]
  /** What ThreeDSAdapter.authenticate must repeat for a payment: exactly what the server charges. */
  three_ds: { am: number; tx: number; sf: number }
  /** The gateway user a saved card is registered to; null for a guest. */
  uid: string | null
}

/** Another gateway's config, before this helper knows it: only its name and scripts are read. */
export interface OtherBrowserConfig {
  gateway: string
  scripts?: string[]
  [key: string]: unknown
}

export type BrowserConfig = RobotPaymentBrowserConfig | OtherBrowserConfig

export function isRobotPaymentConfig(config: BrowserConfig): config is RobotPaymentBrowserConfig {
  return config.gateway === "robot-payment"
}

/** A Medusa payment session as the Store API returns it (only `data` is read). */
export interface PaymentSessionLike {
  data?: Record<string, unknown> | null
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

function bad(message: string, gateway?: string): JpPaymentError {
  return new JpPaymentError("NO_BROWSER_CONFIG", message, { gateway, stage: "config" })
}

function nonNegativeInt(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw bad(`data.jp.browser.three_ds.${name} must be a whole, non-negative amount (got ${JSON.stringify(v)})`, "robot-payment")
  }
  return v
}

function robotPaymentConfig(b: Record<string, unknown>): RobotPaymentBrowserConfig {
  if (typeof b.aid !== "string" || !/^\d{1,20}$/.test(b.aid)) throw bad("data.jp.browser.aid must be the ROBOT PAYMENT store id (digits)", "robot-payment")
  const scripts = b.scripts
  if (!Array.isArray(scripts) || scripts.length === 0 || !scripts.every((s) => typeof s === "string" && s.length > 0)) {
    throw bad("data.jp.browser.scripts must be the list of gateway script URLs", "robot-payment")
  }
  const t = b.three_ds
  if (!isRecord(t)) throw bad("data.jp.browser.three_ds is missing", "robot-payment")
  const uid = b.uid ?? null
  if (uid !== null && (typeof uid !== "string" || uid === "")) throw bad("data.jp.browser.uid must be a string or null", "robot-payment")
  return {
    gateway: "robot-payment",
    aid: b.aid,
    scripts: [...(scripts as string[])],
    three_ds: { am: nonNegativeInt(t.am, "am"), tx: nonNegativeInt(t.tx, "tx"), sf: nonNegativeInt(t.sf, "sf") },
    uid,
  }
}

/**
 * The `data.jp.browser` object of a payment session created with one of this plugin's providers
 * (create the session with no `data` first, then read this). Throws a JpPaymentError
 * (code NO_BROWSER_CONFIG) when it is absent or malformed.
 */
export function browserConfigOf(session: PaymentSessionLike | null | undefined): BrowserConfig {
  const data = session?.data
  if (!isRecord(data)) {
    throw bad("the payment session has no data: create it with a medusa-payment-jp provider (e.g. pp_robot-payment_rp) and pass the session the Store API returned")
  }
  const jp = data.jp
  if (!isRecord(jp)) {
    throw bad("the payment session's data has no `jp` object: it was not created by a medusa-payment-jp provider")
  }
  const b = jp.browser
  if (!isRecord(b)) {
    throw bad("the payment session's data.jp has no `browser` object: create the payment session again (without data) to get the gateway's browser config")
  }
  if (typeof b.gateway !== "string" || b.gateway === "") throw bad("data.jp.browser.gateway is missing")
  if (b.gateway === "robot-payment") return robotPaymentConfig(b)
  if (b.scripts !== undefined && !(Array.isArray(b.scripts) && b.scripts.every((s) => typeof s === "string"))) {
    throw bad("data.jp.browser.scripts must be a list of URLs", b.gateway)
  }
  return { ...b, gateway: b.gateway } as OtherBrowserConfig
}

/** What to send as the new payment session's `data` after tokenizing. */
export type TokenSessionData = { token: string } | { token: string; save_card: true }

/** `{ token }`, or `{ token, save_card: true }` to pay and keep the card for the logged-in customer. */
export function sessionDataFor(token: string, saveCard = false): TokenSessionData {
  if (typeof token !== "string" || token === "") {
    throw new JpPaymentError("NO_TOKEN", "no token to put in the payment session")
  }
  return saveCard ? { token, save_card: true } : { token }
}

/** The payment session `data` that pays with a saved card (an id from GET /store/jp-payments/payment-methods). */
export function savedCardSessionData(paymentMethodId: string): { payment_method_id: string } {
  if (typeof paymentMethodId !== "string" || paymentMethodId === "") {
    throw new JpPaymentError("INVALID_INPUT", "payment_method_id must be the id of one of the customer's saved cards")
  }
  return { payment_method_id: paymentMethodId }
}

export { normalisePhone }


/**
 * The request ThreeDSAdapter.authenticate gets: `{aid, tkn, am, tx, sf, em?, pn?}` for a payment,
 * `{aid, tkn, uid}` when the card is to be saved (the gateway refuses am/tx/sf with a uid).
 */
export function robotPaymentThreeDSRequest(
  config: RobotPaymentBrowserConfig,
  token: string,
  options: { saveCard?: boolean; email?: string; phone?: string } = {}
): Record<string, string | number> {
  if (options.saveCard) {
    if (!config.uid) {
      throw new JpPaymentError("INVALID_INPUT", "log in to save a card: this payment session has no customer (data.jp.browser.uid is null)", {
        gateway: "robot-payment",
        stage: "3ds",
      })
    }
    return { aid: config.aid, tkn: token, uid: config.uid }
  }
  const req: Record<string, string | number> = { aid: config.aid, tkn: token, am: config.three_ds.am, tx: config.three_ds.tx, sf: config.three_ds.sf }
  if (options.email) req.em = options.email
  if (options.phone !== undefined && options.phone !== "") {
    const pn = normalisePhone(options.phone)
    if (pn === undefined) {
      throw new JpPaymentError("INVALID_INPUT", "phone must be a phone number of at most 15 digits", { gateway: "robot-payment", stage: "3ds" })
    }
    req.pn = pn
  }
  return req
}
