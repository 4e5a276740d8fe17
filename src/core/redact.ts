// What reaches a log line: the values of a gateway's secret fields (its definition's `secretFields`:
// credentials, tokens, card data) are cut out by name, and anything that looks like a card number is
// masked wherever it stands.

const PAN = /\b\d(?:[ -]?\d){12,18}\b/g

/** Masks anything that looks like a card number in free text. */
export function maskPans(text: string): string {
  return text.replace(PAN, (m) => {
    const digits = m.replace(/\D/g, "")
    return digits.length >= 13 ? `${"*".repeat(digits.length - 4)}${digits.slice(-4)}` : m
  })
}

/** The set redactParams takes: field names in lower case. */
export function secretSet(fields: Iterable<string>): ReadonlySet<string> {
  return new Set([...fields].map((f) => f.toLowerCase()))
}

/** A copy of a flat parameter map that is safe to log: secret fields (see secretSet) redacted, card numbers masked. */
export function redactParams(params: Record<string, unknown>, secret: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue
    out[k] = secret.has(k.toLowerCase()) ? "[redacted]" : maskPans(String(v))
  }
  return out
}
