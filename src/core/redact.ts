// What reaches a log line: card tokens, card data and credentials are cut out by field name,
// and anything that looks like a card number is masked wherever it stands.

const SECRET_FIELDS = new Set([
  // card data
  "cn", "card_number", "cc_number", "cvv", "cvc", "security_code", "ed", "expiry", "fn", "ln",
  // tokens
  "tkn", "token", "token_key", "tds2info_token", "tds2info_token_key", "card_token",
  // credentials
  "key", "password", "passphrase", "connect_password", "hash_key", "hashkey", "api_key", "apikey",
  "x-api-key", "authorization", "secret", "access_key", "ps",
])

const PAN = /\b\d(?:[ -]?\d){12,18}\b/g

export function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name.toLowerCase())
}

/** Masks anything that looks like a card number in free text. */
export function maskPans(text: string): string {
  return text.replace(PAN, (m) => {
    const digits = m.replace(/\D/g, "")
    return digits.length >= 13 ? `${"*".repeat(digits.length - 4)}${digits.slice(-4)}` : m
  })
}

/** A copy of a flat parameter map that is safe to log. */
export function redactParams(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue
    out[k] = isSecretField(k) ? "[redacted]" : maskPans(String(v))
  }
  return out
}
