// What both widgets share: the SDK client, the language, and how a provider is named. Display names
// come from the admin API (`gateway_name`, read from each gateway's definition): no gateway is named here.
import Medusa from "@medusajs/js-sdk"

export const sdk = new Medusa({ baseUrl: __BACKEND_URL__ || "/", auth: { type: "session" } })

export const JA = typeof navigator !== "undefined" && (navigator.language || "").startsWith("ja")

export type GatewayName = { en: string; ja: string }

export function gatewayLabel(name: GatewayName | undefined, fallback: string): string {
  if (!name) return fallback
  return (JA ? name.ja : name.en) || fallback
}

/** "pp_robot-payment_rp" with ROBOT PAYMENT's names → "ROBOT PAYMENT (rp)". */
export function providerName(providerId: string, name?: GatewayName): string {
  const m = /^pp_(.+)_([^_]+)$/.exec(providerId)
  if (!m) return providerId
  return `${gatewayLabel(name, m[1])} (${m[2]})`
}


// The admin's own language (Medusa's language setting, through react-i18next) instead of the browser's,
// and money as Medusa's admin prints it. `JA`, `gatewayLabel` and `providerName` above stay for code
// that has no i18n instance at hand.
export { formatMoney, formatYen, gatewayLabelIn, isJapanese, providerNameIn } from "./format"
