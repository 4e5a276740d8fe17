// What a storefront may send as a payment session's `data`, read the same way for every gateway:
// a card token (with its companions), or a saved card id, or neither; `save_card`; the payer's e-mail
// and phone. Each gateway gives its own rules (what a token or a saved card id looks like, how long
// an e-mail may be); a value that breaks them is refused with a message naming the field. The
// 支払方法 (`payment_method`) is read by core for every gateway against what the provider allows.
import type { SessionInput } from "./gateway"
import { readCustomerIp, readPayerAddress } from "./payer-address"
import { readPaymentMethod, type PaymentMethod } from "./payment-method"
import { invalid } from "./vocabulary"

export interface SessionInputRules {
  /** The browser token: its form, and a check of its companions; or why this gateway takes none. */
  token: { pattern: RegExp; message: string; check?: (token: string, data: Record<string, unknown>) => void } | { refused: string }
  /** A saved card id (payment_method_id) as the gateway writes it; or why this gateway takes none. */
  savedCard: { pattern: RegExp; message: string } | { refused: string }
  /** What a session with neither token nor saved card is: a token comes later, or the card is entered on the gateway's page. */
  otherwise: "later" | "hosted"
  /** Longest e-mail address the gateway takes (default 254). */
  emailMax?: number
  phone: { valid: (phone: string) => boolean; message: string }
}

const given = (v: unknown) => v !== undefined && v !== null

export function readSessionInput(data: Record<string, unknown>, rules: SessionInputRules): SessionInput {
  const { token, payment_method_id: pm, save_card: save } = data
  if (given(token) && "refused" in rules.token) throw invalid(rules.token.refused)
  if (given(token) && given(pm)) throw invalid("send either token or payment_method_id, not both")
  // An empty id names no card: refused by name, never read as "a saved card" (nor as "none").
  if (pm === "") throw invalid(`payment_method_id is empty: ${"refused" in rules.savedCard ? rules.savedCard.refused : "send a saved card's id, or none"}`)
  if (given(pm) && "refused" in rules.savedCard) throw invalid(rules.savedCard.refused)
  if (given(save) && typeof save !== "boolean") throw invalid("save_card must be true or false")
  if (given(pm) && save === true) throw invalid("send either payment_method_id or save_card, not both: a saved card is kept already")
  const saveCard = save === true
  const out: SessionInput = {}
  if (given(token) && "pattern" in rules.token) {
    if (typeof token !== "string" || !rules.token.pattern.test(token)) throw invalid(rules.token.message)
    rules.token.check?.(token, data)
    out.source = { type: "token", token, saveCard }
  } else if (given(pm) && "pattern" in rules.savedCard) {
    if (typeof pm !== "string" || !rules.savedCard.pattern.test(pm)) throw invalid(rules.savedCard.message)
    out.source = { type: "saved", cardRef: pm }
  } else if (rules.otherwise === "hosted") {
    out.source = { type: "hosted", saveCard }
  }
  if (data.email !== undefined) {
    const max = rules.emailMax ?? 254
    if (typeof data.email !== "string" || data.email.length > max || !/^[^\s@]+@[^\s@]+$/.test(data.email)) {
      throw invalid(max === 254 ? "email is not an e-mail address" : `email must be an e-mail address of at most ${max} characters`)
    }
    out.email = data.email
  }
  if (data.phone !== undefined) {
    if (typeof data.phone !== "string" || !rules.phone.valid(data.phone)) throw invalid(rules.phone.message)
    out.phone = data.phone
  }
  // Written by the payer-from-cart middleware on the server (a storefront's own copy is stripped there).
  if (given(data.customer_ip)) out.customerIp = readCustomerIp(data.customer_ip)
  if (given(data.billing_address)) out.billingAddress = readPayerAddress(data.billing_address, "billing_address")
  if (given(data.shipping_address)) out.shippingAddress = readPayerAddress(data.shipping_address, "shipping_address")
  if (given(data.retry_of)) out.retryOf = readRetryOf(data.retry_of)
  return out
}

/**
 * The session's `payment_method` as one of `allowed` (the provider's list, 一括 first): absent is 一括;
 * anything else is refused naming the field and the allowed ones, before any gateway call.
 */
export function readSessionPaymentMethod(data: Record<string, unknown>, allowed: PaymentMethod[]): PaymentMethod {
  return readPaymentMethod(data.payment_method, allowed)
}

function readRetryOf(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalid("retry_of must be an object")
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== "string" || x.length > 64) throw invalid("retry_of values must be short strings")
    out[k] = x
  }
  return out
}

