// Card data a storefront must never send to the Medusa server: the card number, its expiry and its
// security code are entered in the gateway's own script or page, which answers a token. Medusa keeps
// a payment session's `data` as the storefront sent it (merged with the provider's), so a card number
// sent there would be stored; it is refused by name instead, before anything is stored or sent.
// By name only: a gateway's own values (tokens, PAYGENT's digit-only saved card ids) may look like card numbers.

/** Field names that carry card data (CPToken.js's cn/ed/cvv, and the usual English names). */
export const CARD_DATA_FIELDS = [
  "card_number",
  "cardNumber",
  "card_no",
  "cardno",
  "pan",
  "cn",
  "ed",
  "expiry",
  "expiry_date",
  "expiry_month",
  "expiry_year",
  "exp_month",
  "exp_year",
  "expire_month",
  "expire_year",
  "cc_number",
  "cc_expiration",
  "cvv",
  "cvv2",
  "cvc",
  "cvc2",
  "security_code",
] as const

/** Why `sent` (an object the storefront sent) is refused for carrying card data, naming the field as `<prefix><key>`; or null. */
export function cardDataRefusal(sent: unknown, prefix = ""): string | null {
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) return null
  const found = CARD_DATA_FIELDS.find((k) => k in sent)
  if (!found) return null
  return `${prefix}${found} is card data: the server never takes the card itself; send the token the gateway's script or page gave for it`
}
