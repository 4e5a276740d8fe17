// What both widgets share: the SDK client, the language, and the gateways' display names.
import Medusa from "@medusajs/js-sdk"

export const sdk = new Medusa({ baseUrl: __BACKEND_URL__ || "/", auth: { type: "session" } })

export const JA = typeof navigator !== "undefined" && (navigator.language || "").startsWith("ja")

export const GATEWAYS: Record<string, string> = {
  "robot-payment": "ROBOT PAYMENT",
  sbps: JA ? "SBペイメントサービス" : "SB Payment Service",
  paygent: "PAYGENT",
  "payment-options": "PaymentOptions",
}

/** "pp_robot-payment_rp" → "ROBOT PAYMENT (rp)". */
export function providerName(providerId: string): string {
  const m = /^pp_(.+)_([^_]+)$/.exec(providerId)
  if (!m) return providerId
  return `${GATEWAYS[m[1]] ?? m[1]} (${m[2]})`
}
