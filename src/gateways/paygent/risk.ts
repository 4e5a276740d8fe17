// The 450's risk-based-authentication fields that come from the payer (PAYGENT's 3Dセキュア2.0
// 認証 telegram, its "part 2" fields): the cardholder's name, the billing address, and the phone in
// the pair that fits it (home for a landline, mobile for a mobile number). Values are UTF-8.
import type { PayerAddress } from "../../core/gateway"

/** JIS X 0401 / ISO 3166-2:JP prefecture numbers, by Japanese and English names. */
const PREFECTURES = [
  ["北海道", "hokkaido"], ["青森県", "aomori"], ["岩手県", "iwate"], ["宮城県", "miyagi"], ["秋田県", "akita"], ["山形県", "yamagata"],
  ["福島県", "fukushima"], ["茨城県", "ibaraki"], ["栃木県", "tochigi"], ["群馬県", "gunma"], ["埼玉県", "saitama"], ["千葉県", "chiba"],
  ["東京都", "tokyo"], ["神奈川県", "kanagawa"], ["新潟県", "niigata"], ["富山県", "toyama"], ["石川県", "ishikawa"], ["福井県", "fukui"],
  ["山梨県", "yamanashi"], ["長野県", "nagano"], ["岐阜県", "gifu"], ["静岡県", "shizuoka"], ["愛知県", "aichi"], ["三重県", "mie"],
  ["滋賀県", "shiga"], ["京都府", "kyoto"], ["大阪府", "osaka"], ["兵庫県", "hyogo"], ["奈良県", "nara"], ["和歌山県", "wakayama"],
  ["鳥取県", "tottori"], ["島根県", "shimane"], ["岡山県", "okayama"], ["広島県", "hiroshima"], ["山口県", "yamaguchi"], ["徳島県", "tokushima"],
  ["香川県", "kagawa"], ["愛媛県", "ehime"], ["高知県", "kochi"], ["福岡県", "fukuoka"], ["佐賀県", "saga"], ["長崎県", "nagasaki"],
  ["熊本県", "kumamoto"], ["大分県", "oita"], ["宮崎県", "miyazaki"], ["鹿児島県", "kagoshima"], ["沖縄県", "okinawa"],
] as const

/** bill_address_state: the ISO 3166-2 subdivision without the country ("13" for Tokyo), or undefined. */
export function prefectureCode(province: string): string | undefined {
  const p = province.trim()
  const iso = /^(?:JP-)?(\d{1,2})$/i.exec(p)
  if (iso) {
    const n = Number(iso[1])
    return n >= 1 && n <= 47 ? String(n).padStart(2, "0") : undefined
  }
  const latin = p.toLowerCase().replace(/[-\s]*(prefecture|to|fu|ken)$/, "").replace(/[^a-z]/g, "")
  const i = PREFECTURES.findIndex(([ja, en]) => ja === p || ja.replace(/[都府県]$/, "") === p || en === latin)
  return i >= 0 ? String(i + 1).padStart(2, "0") : undefined
}

/** ISO 3166-1 numeric codes for bill_address_country; only the countries a JPY shop mostly sees [?]. */
const COUNTRY_NUMERIC: Record<string, string> = { jp: "392", us: "840", kr: "410", cn: "156", tw: "158", gb: "826" }

/**
 * A Japanese phone number as the 450 takes it (country code 81, no leading 0), in the pair that fits:
 * 060/070/080/090 numbers are mobile, every other one home (a landline or an IP phone) [?].
 */
export function phonePair(phone: string | undefined): Record<string, string> {
  if (!phone) return {}
  let d = phone.replace(/[^\d+]/g, "")
  if (d.startsWith("+81")) d = "0" + d.slice(3).replace(/^0/, "")
  else if (d.startsWith("+")) return {}
  if (!/^0\d{9,10}$/.test(d)) return {}
  const subscriber = d.slice(1)
  return /^0[6789]0\d{8}$/.test(d) ? { mobile_phone_cc: "81", mobile_phone_subscriber: subscriber } : { home_phone_cc: "81", home_phone_subscriber: subscriber }
}

/** bill_address_* from the cart's billing address: only fields with a value (spaces-only fails at the DS). */
export function billingFields(a: PayerAddress | undefined): Record<string, string> {
  if (!a) return {}
  const out: Record<string, string> = {}
  const put = (k: string, v: string | undefined, max: number) => {
    const t = v?.trim()
    if (t) out[k] = t.slice(0, max)
  }
  // EMV 3DS lengths: city and lines 50, post code 16, state 3.
  put("bill_address_city", a.city, 50)
  put("bill_address_country", COUNTRY_NUMERIC[a.country_code.toLowerCase()], 3)
  put("bill_address_line1", a.address_1, 50)
  put("bill_address_line2", a.address_2, 50)
  put("bill_address_post_code", a.postal_code.replace(/[^\d-]/g, ""), 16)
  if (a.country_code.toLowerCase() === "jp") put("bill_address_state", prefectureCode(a.province), 3)
  return out
}

/** cardholder_name (2–45 ASCII): the billing name in capitals, when it is one; undefined otherwise. */
export function cardholderName(a: PayerAddress | undefined): string | undefined {
  const n = a?.name?.trim().replace(/\s+/g, " ").toUpperCase()
  return n && /^[\x20-\x7e]{2,45}$/.test(n) ? n : undefined
}
