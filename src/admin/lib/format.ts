// Pure helpers of the admin widgets (no SDK, no browser globals): languages, gateway names, money.
import type { GatewayName } from "./common"

/** Whether an admin language such as i18n.language ("ja", "ja-JP") is Japanese. */
export function isJapanese(language: string | null | undefined): boolean {
  return typeof language === "string" && /^ja(-|_|$)/i.test(language)
}

/** The gateway's name in the admin's language: the English name unless the language is Japanese. */
export function gatewayLabelIn(name: GatewayName | undefined, fallback: string, japanese: boolean): string {
  if (!name) return fallback
  return (japanese ? name.ja : name.en) || fallback
}

/** providerName in the admin's language. */
export function providerNameIn(providerId: string, name: GatewayName | undefined, japanese: boolean): string {
  const m = /^pp_(.+)_([^_]+)$/.exec(providerId)
  if (!m) return providerId
  return `${gatewayLabelIn(name, m[1], japanese)} (${m[2]})`
}

/**
 * Whole minor units (yen for JPY) → "¥3,000". The sign is U+00A5 as Medusa's admin prints it, in both
 * languages: ja-JP's formatter gives the full-width "￥" (U+FFE5), boxes without a CJK font.
 */
export function formatMoney(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return "—"
  const code = (currency || "jpy").toUpperCase()
  try {
    const f = new Intl.NumberFormat("en-US", { style: "currency", currency: code, currencyDisplay: "narrowSymbol" })
    const digits = f.resolvedOptions().maximumFractionDigits ?? 0
    return f.format(minor / 10 ** digits)
  } catch {
    return `${minor} ${code}`
  }
}

/** Whole yen → "¥3,000". */
export function formatYen(yen: number | null | undefined): string {
  return formatMoney(yen, "jpy")
}

/**
 * Which jpPayments.threeDSDetail.* key (and values) words a 3-D Secure detail. A payment recorded
 * before the gateways kept detail_key has only its English text: a text of today's English labels is
 * found by its words, a text with values by the label's pattern, and the few texts older gateways
 * wrote in other words by those words. Null: no label fits, show the text as it is.
 */
export function threeDSDetailKey(
  o: { detail?: string | null; detail_key?: string | null; detail_values?: Record<string, string> | null; status?: string },
  labels: Record<string, string>,
  gateway?: string,
): { key: string; values: Record<string, string> } | null {
  if (o.detail_key) return { key: o.detail_key, values: o.detail_values ?? {} }
  const text = o.detail
  if (!text) return null
  for (const [key, label] of Object.entries(labels)) {
    const names: string[] = []
    const pattern = label
      .split(/\{\{(\w+)\}\}/)
      .map((part, i) => (i % 2 === 1 ? (names.push(part), "(.+?)") : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("")
    const m = new RegExp(`^${pattern}$`).exec(text)
    if (m) return { key, values: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) }
  }
  const legacy = LEGACY_DETAIL[text]
  if (legacy) return { key: legacy, values: {} }
  // PAYGENT's failed authentication was recorded as "<code> <English message>": the message stays English
  const failed = gateway === "paygent" && o.status === "failed" ? /^(\d+) (.+)$/.exec(text) : null
  if (failed) return { key: "paygentFailed", values: { code: failed[1], en: failed[2], ja: failed[2] } }
  return null
}

/** Texts that gateways wrote before their details took today's words. */
const LEGACY_DETAIL: Record<string, string> = {
  "attempt_kbn=1": "paygentAttemptMerchant",
  "attempt_kbn=0": "paygentAttemptIssuer",
  "3dsecure_ryaku=1": "paygentRyaku",
}
