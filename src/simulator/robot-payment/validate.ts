/**
 * One validation function per request field. Each returns the normalised
 * value or throws a GatewayError carrying the code the vendor documents for
 * that field (ER050–ER065, ER068, ER069, ER079 ...). Formats follow the
 * vendor field tables (半角数字(6), 半角英数(50), 50バイト以内 ...).
 */
import { fail } from "./codes"

export const AMOUNT_MAX = 9_999_999
export const FREE_DATA_MAX_BYTES = 1024
export const INSTALLMENT_COUNTS = ["3", "5", "6", "10", "12", "15", "18", "20", "24"] as const

const byteLength = (s: string): number => Buffer.byteLength(s, "utf8")
const present = (v: string | undefined): v is string => v !== undefined && v !== ""

/** aid 店舗ID: 半角数字(6). Missing or malformed → ER050. */
export function validateAid(v: string | undefined): string {
  if (!present(v) || !/^\d{6}$/.test(v)) fail("ER050", "aid must be 6 digits")
  return v
}

/** rt 決済結果返信方法: 「0」キックバック / 「1」レスポンス. → ER052 */
export function validateRt(v: string | undefined): "0" | "1" {
  if (v !== "0" && v !== "1") fail("ER052", "rt must be 0 or 1")
  return v
}

/** jb ジョブタイプ, from the endpoint's allowed list. → ER051 */
export function validateJb<T extends string>(v: string | undefined, allowed: readonly T[]): T {
  if (!present(v) || !(allowed as readonly string[]).includes(v)) {
    fail("ER051", `jb must be one of ${allowed.join("|")}`)
  }
  return v as T
}

/** cmd 変更タイプ/処理タイプ, from the endpoint's allowed list. → ER069 */
export function validateCmd<T extends string>(v: string | undefined, allowed: readonly T[]): T {
  if (!present(v) || !(allowed as readonly string[]).includes(v)) {
    fail("ER069", `cmd must be one of ${allowed.join("|")}`)
  }
  return v as T
}

/**
 * cod 店舗オーダー番号: optional, 50 bytes (UTF-8) at most. The simulator also
 * refuses commas and control characters (they would break the CSV answer);
 * that part is the simulator's choice. → ER054
 */
export function validateCod(v: string | undefined): string {
  if (v === undefined || v === "") return ""
  if (byteLength(v) > 50) fail("ER054", "cod longer than 50 bytes")
  // eslint-disable-next-line no-control-regex
  if (/[,\u0000-\u001f\u007f]/.test(v)) fail("ER054", "cod contains a comma or a control character")
  return v
}

/** am / tx / sf: required 半角数字 (non-negative integer). → ER061 / ER062 / ER063 */
export function validateAmount(v: string | undefined, field: "am" | "tx" | "sf"): number {
  const code = field === "am" ? "ER061" : field === "tx" ? "ER062" : "ER063"
  if (!present(v) || !/^\d+$/.test(v)) fail(code, `${field} must be a non-negative integer (half-width digits)`)
  return Number(v)
}

/** ta = am+tx+sf: at least 1 yen (ER017) and at most 9,999,999 yen (ER018). */
export function validateTotal(ta: number, allowZero = false): void {
  if (ta > AMOUNT_MAX) fail("ER018", `am+tx+sf must not exceed ${AMOUNT_MAX}`)
  if (!allowZero && ta < 1) fail("ER017", "am+tx+sf must be at least 1")
}

/** em メールアドレス: 半角英数(254), an e-mail address. Optional here. → ER059 */
export function validateEm(v: string | undefined): string {
  if (v === undefined || v === "") return ""
  if (v.length > 254 || !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v)) {
    fail("ER059", "em must be an ASCII e-mail address of at most 254 characters")
  }
  return v
}

/** pn 電話番号: 半角数字(15) (no hyphens). Optional here. → ER060 */
export function validatePn(v: string | undefined): string {
  if (v === undefined || v === "") return ""
  if (!/^\d{1,15}$/.test(v)) fail("ER060", "pn must be 1–15 half-width digits (no hyphens)")
  return v
}

/** 「メールアドレス、電話番号のどちらかが必須」 → ER059 when both are missing. */
export function requireEmOrPn(em: string, pn: string): void {
  if (em === "" && pn === "") fail("ER059", "em or pn is required")
}

/** uid ユーザーID: 半角英数(50). → ER021 (the simulator's choice; no dedicated code exists). */
export function validateUid(v: string | undefined): string {
  if (!present(v) || !/^[A-Za-z0-9]{1,50}$/.test(v)) fail("ER021", "uid must be 1–50 half-width alphanumerics")
  return v
}

/** key キー: 半角英数(10). → ER021 */
export function validateKey(v: string | undefined): string {
  if (!present(v) || !/^[A-Za-z0-9]{1,10}$/.test(v)) fail("ER021", "key must be 1–10 half-width alphanumerics")
  return v
}

/** num カード情報連番: 半角数字. → ER021 */
export function validateNum(v: string | undefined): string {
  if (!present(v) || !/^[1-9]\d{0,8}$/.test(v)) fail("ER021", "num must be a positive integer")
  return v
}

/** md 支払方法 (10 default, 61 分割 needs pt, 80 リボ) and pt 分割回数. → ER064 / ER065 */
export function validateMdPt(md: string | undefined, pt: string | undefined): { md: string; pt: string } {
  const m = md === undefined || md === "" ? "10" : md
  if (!["10", "61", "80"].includes(m)) fail("ER064", "md must be 10, 61 or 80")
  if (m === "61") {
    if (!present(pt) || !(INSTALLMENT_COUNTS as readonly string[]).includes(pt)) {
      fail("ER065", `pt must be one of ${INSTALLMENT_COUNTS.join(",")} when md=61`)
    }
    return { md: m, pt }
  }
  return { md: m, pt: "" }
}

/**
 * md/pt against the store's card contract (「分割払い・リボ払いは契約時のみ指定可」). The spec names no
 * code for a method outside the contract [?]: assumed ER064 for md (分割 or リボ not contracted) and
 * ER065 for a pt the contract does not include.
 */
export function validateContract(md: string, pt: string, contract: { installments?: number[]; revolving?: boolean } | undefined): void {
  const counts = (contract?.installments ?? []).map(String)
  if (md === "61") {
    if (counts.length === 0) fail("ER064", "md=61 (分割払い): the store's contract has no 分割払い")
    if (!counts.includes(pt)) fail("ER065", `pt=${pt}: the store's contract allows 分割 in ${counts.join(",")} 回 only`)
  }
  if (md === "80" && contract?.revolving !== true) fail("ER064", "md=80 (リボ払い): the store's contract has no リボ払い")
}

/** iid 商品コード: 半角英数(50). → ER068 */
export function validateIid(v: string | undefined): string {
  if (!present(v) || !/^[A-Za-z0-9]{1,50}$/.test(v)) fail("ER068", "iid must be 1–50 half-width alphanumerics")
  return v
}

/** tid 決済番号 (the gid of the original payment): 半角数字. → ER053 */
export function validateTid(v: string | undefined): string {
  if (!present(v) || !/^[1-9]\d{0,17}$/.test(v)) fail("ER053", "tid must be the numeric gid of a payment")
  return v
}

/** Luhn check digit. */
export function luhnValid(pan: string): boolean {
  let sum = 0
  let double = false
  for (let i = pan.length - 1; i >= 0; i--) {
    let d = pan.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/** cn カード番号: 14–16 半角数字 (ER055), Luhn check digit (ER014). */
export function validateCardNumber(v: string | undefined): string {
  if (!present(v) || !/^\d{14,16}$/.test(v)) fail("ER055", "cn must be 14–16 half-width digits")
  if (!luhnValid(v)) fail("ER014", "card number fails the Luhn check")
  return v
}

/** ed 有効期限 YYMM: 4 digits, month 01–12, not before the current month (JST). → ER056 */
export function validateExpiry(v: string | undefined, nowMs: number): string {
  if (!present(v) || !/^\d{4}$/.test(v)) fail("ER056", "ed must be YYMM (4 digits)")
  const yy = Number(v.slice(0, 2))
  const mm = Number(v.slice(2, 4))
  if (mm < 1 || mm > 12) fail("ER056", "ed month must be 01–12")
  const jst = new Date(nowMs + 9 * 3600_000)
  const curYy = jst.getUTCFullYear() % 100
  const curMm = jst.getUTCMonth() + 1
  if (yy * 100 + mm < curYy * 100 + curMm) fail("ER056", "card has expired")
  return v
}

/**
 * fn / ln カード名義: 半角英数記号(43), the only symbols being period and hyphen,
 * fn+ln at most 44 characters. → ER057 (fn) / ER058 (ln)
 */
export function validateCardName(fn: string | undefined, ln: string | undefined): { fn: string; ln: string } {
  const re = /^[A-Za-z0-9.-]{1,43}$/
  if (!present(fn) || !re.test(fn)) fail("ER057", "fn must be 1–43 half-width letters, digits, '.' or '-'")
  if (!present(ln) || !re.test(ln)) fail("ER058", "ln must be 1–43 half-width letters, digits, '.' or '-'")
  if (fn.length + ln.length > 44) fail("ER058", "fn + ln must be 44 characters or fewer")
  return { fn, ln }
}

/** cvv セキュリティコード: optional, 3 or 4 digits. → ER079 */
export function validateCvv(v: string | undefined): string {
  if (v === undefined || v === "") return ""
  if (!/^\d{3,4}$/.test(v)) fail("ER079", "cvv must be 3 or 4 digits")
  return v
}

/** その他データ: free key=value parameters, 1024 bytes at most in total. → ER001 */
export function validateFreeData(free: Array<[string, string]>): void {
  const size = free.reduce((n, [k, v]) => n + byteLength(k) + 1 + byteLength(v), 0) + Math.max(0, free.length - 1)
  if (size > FREE_DATA_MAX_BYTES) fail("ER001", `free key=value data exceeds ${FREE_DATA_MAX_BYTES} bytes`)
}
