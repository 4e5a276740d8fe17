// What every gateway's browser side shares, pure (no DOM): reading the public `data.jp.browser` a
// payment session carries, the checks each gateway's config reader is made of, and the `data` the
// storefront sends back when it creates the payment session again.
import { JpPaymentError } from "./errors"

/** A Medusa payment session as the Store API returns it (only `data` is read). */
export interface PaymentSessionLike {
  data?: Record<string, unknown> | null
}

/** Another gateway's config, before this helper knows it: only its name and scripts are read. */
export interface OtherBrowserConfig {
  gateway: string
  scripts?: string[]
  [key: string]: unknown
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** The error a missing or malformed browser config is: NO_BROWSER_CONFIG, naming the gateway when known. */
export function configError(message: string, gateway?: string): JpPaymentError {
  return new JpPaymentError("NO_BROWSER_CONFIG", message, { gateway, stage: "config" })
}

/**
 * The session's `data.jp.browser`, with its `gateway` name checked and nothing else: each gateway
 * reads the rest. Throws NO_BROWSER_CONFIG when it is absent.
 */
export function rawBrowserConfig(session: PaymentSessionLike | null | undefined): Record<string, unknown> & { gateway: string } {
  const data = session?.data
  if (!isRecord(data)) {
    throw configError("the payment session has no data: create it with a medusa-payment-jp provider (e.g. pp_robot-payment_rp) and pass the session the Store API returned")
  }
  const jp = data.jp
  if (!isRecord(jp)) {
    throw configError("the payment session's data has no `jp` object: it was not created by a medusa-payment-jp provider")
  }
  const b = jp.browser
  if (!isRecord(b)) {
    throw configError("the payment session's data.jp has no `browser` object: create the payment session again (without data) to get the gateway's browser config")
  }
  if (typeof b.gateway !== "string" || b.gateway === "") throw configError("data.jp.browser.gateway is missing")
  return { ...b, gateway: b.gateway }
}

/** `data.jp.browser.scripts`: a non-empty list of URLs, copied. `what` names the scripts expected. */
export function scriptUrls(b: Record<string, unknown>, gateway: string, what: string): string[] {
  const s = b.scripts
  if (!Array.isArray(s) || s.length === 0 || !s.every((u) => typeof u === "string" && u !== "")) {
    throw configError(`data.jp.browser.scripts must list the gateway's script URLs (${what})`, gateway)
  }
  return [...(s as string[])]
}

/** A whole, non-negative amount of `data.jp.browser` (`field` is its path below it). */
export function wholeAmount(v: unknown, gateway: string, field: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw configError(`data.jp.browser.${field} must be a whole, non-negative amount (got ${JSON.stringify(v)})`, gateway)
  }
  return v
}

/** A card value the shop hands a tokenizer, or the input element that holds it. */
export function cardValue(field: string | { value: string } | undefined): string | undefined {
  if (field === undefined) return undefined
  return typeof field === "string" ? field : field.value
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
