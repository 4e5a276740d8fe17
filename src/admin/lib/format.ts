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
