// 請求管理ロボ wire format: JSON over HTTPS, UTF-8, `user_id` + `access_key` in every body; errors as
// `{"error":{"code":…,"message":…}}` (code a number, or an ER… string from the card gateway) or per
// element (`error_code`/`error_message` on each billing, individual, payment, bill). Parsers never
// trust a shape: anything unexpected is a CodecError.
import { createHash } from "node:crypto"
import { CodecError } from "../../core/vocabulary"

/** Never logged: the credentials and the card token. */
export const SECRET_FIELDS = ["access_key", "token", "BillingRoboSignaturekey"] as const

export type Code = number | string

export interface ApiError {
  code: Code
  message: string
}

export function parseJson(text: string): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new CodecError("not JSON", text)
  }
  if (!isRecord(v)) throw new CodecError("not a JSON object", text)
  return v
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

function code(v: unknown, where: string): Code {
  if (typeof v === "number" && Number.isInteger(v)) return v
  if (typeof v === "string" && /^[A-Za-z0-9]+$/.test(v)) return /^\d+$/.test(v) ? Number(v) : v
  throw new CodecError(`${where}: error code is neither a number nor a code string`)
}

/** The top-level `error`: null (or absent) on success. */
export function topError(body: Record<string, unknown>): ApiError | null {
  const e = body.error
  if (e === null || e === undefined) return null
  if (!isRecord(e)) throw new CodecError("error is not an object")
  return { code: code(e.code, "error"), message: typeof e.message === "string" ? e.message : "" }
}

/** A per-element error (`error_code`, `error_message`), or null. */
export function elementError(el: Record<string, unknown>, where: string): ApiError | null {
  if (el.error_code === null || el.error_code === undefined) return null
  return { code: code(el.error_code, where), message: typeof el.error_message === "string" ? el.error_message : "" }
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null)
const int = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : null)

// ---- codes the plugin makes -------------------------------------------------------------------

/**
 * The 請求先コード of a Medusa customer: the prefix and a hash of the customer id, 18 characters.
 * Stable (the same customer always maps to the same 請求先) and not guessable from the id alone is not
 * needed: routes derive it from the logged-in customer, never from the request.
 */
export function billingCodeFor(prefix: string, customerId: string): string {
  const hex = createHash("sha256").update(customerId, "utf8").digest("hex")
  return `${prefix}-${hex.slice(0, 17 - prefix.length)}`
}
/** The 部署 and 決済情報 codes of a 請求先 made by the plugin (≤ 20 characters each). */
export const individualCodeOf = (billingCode: string) => `${billingCode}-i`
export const paymentCodeOf = (billingCode: string) => `${billingCode}-c`

// ---- billing/bulk_upsert ----------------------------------------------------------------------

export interface Individual {
  code: string
  name: string
  address1: string
  zip_code: string
  pref: string
  city_address: string
  building_name?: string
  tel: string
  email: string
}

export interface UpsertBilling {
  code: string
  name: string
  individual: Individual
  payment: { code: string; name: string }
}

/** One 請求先 with its 部署 and a credit-card 決済情報 (登録方法 1: あとで登録, by the token API). */
export function upsertBody(b: UpsertBilling): Record<string, unknown> {
  return {
    billing: [
      {
        code: b.code,
        name: b.name,
        individual: [{ ...b.individual, billing_method: 0, payment_method_code: b.payment.code }],
        payment: [{ code: b.payment.code, name: b.payment.name, payment_method: 1, credit_card_regist_kind: 1 }],
      },
    ],
  }
}

export interface UpsertResult {
  billingCode: string
  individual: { number: string; code: string; email: string | null; tel: string | null }
  payment: { number: string; code: string; cod: string | null; register_status: number | null }
}

/** The first error found, deepest first (1184/1185 only say "look below / beside"). */
export function upsertError(body: Record<string, unknown>): ApiError | null {
  const list = body.billing
  if (!Array.isArray(list)) return null
  const found: ApiError[] = []
  for (const b of list) {
    if (!isRecord(b)) continue
    for (const key of ["individual", "payment", "sub_account_title"]) {
      const els = b[key]
      if (Array.isArray(els)) for (const el of els) if (isRecord(el)) {
        const e = elementError(el, key)
        if (e) found.push(e)
      }
    }
    const own = elementError(b, "billing")
    if (own) found.push(own)
  }
  return found.find((e) => e.code !== 1184 && e.code !== 1185) ?? found[0] ?? null
}

export function parseUpsert(body: Record<string, unknown>): UpsertResult {
  const b = Array.isArray(body.billing) && isRecord(body.billing[0]) ? body.billing[0] : null
  if (!b) throw new CodecError("billing/bulk_upsert: no billing in the answer")
  const ind = Array.isArray(b.individual) && isRecord(b.individual[0]) ? b.individual[0] : null
  const pay = Array.isArray(b.payment) && isRecord(b.payment[0]) ? b.payment[0] : null
  const billingCode = str(b.code)
  if (!ind || !pay || !billingCode) throw new CodecError("billing/bulk_upsert: individual or payment missing from the answer")
  const indNumber = str(ind.number)
  const payNumber = str(pay.number)
  if (!indNumber || !payNumber || !str(ind.code) || !str(pay.code)) throw new CodecError("billing/bulk_upsert: number or code missing")
  return {
    billingCode,
    individual: { number: indNumber, code: str(ind.code)!, email: str(ind.email), tel: str(ind.tel) },
    payment: { number: payNumber, code: str(pay.code)!, cod: str(pay.cod), register_status: int(pay.register_status) },
  }
}

// ---- billing_payment_method/credit_card_token -------------------------------------------------

export interface CardTokenRequest {
  billing_code: string
  /** Exactly one of number and code. */
  billing_payment_method_number?: number
  billing_payment_method_code?: string
  token: string
  email?: string
  tel?: string
}

export function cardTokenBody(r: CardTokenRequest): Record<string, unknown> {
  const hasNumber = r.billing_payment_method_number !== undefined
  const hasCode = r.billing_payment_method_code !== undefined
  if (hasNumber === hasCode) throw new CodecError("give exactly one of billing_payment_method_number and billing_payment_method_code")
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))
}

// ---- billing_payment_method/search ------------------------------------------------------------

export interface PaymentMethodRow {
  billing_code: string
  number: string
  code: string | null
  payment_method: number | null
  register_status: number | null
  cod: string | null
  valid_flg: number | null
  update_date: string | null
}

export function parseSearch(body: Record<string, unknown>): { rows: PaymentMethodRow[]; error: ApiError | null } {
  const list = body.billing_payment_method
  if (list === undefined || list === null) return { rows: [], error: null }
  if (!Array.isArray(list)) throw new CodecError("billing_payment_method/search: billing_payment_method is not a list")
  const rows: PaymentMethodRow[] = []
  for (const el of list) {
    if (!isRecord(el)) throw new CodecError("billing_payment_method/search: an element is not an object")
    const e = elementError(el, "billing_payment_method")
    if (e) return { rows, error: e }
    const billing = str(el.billing_code)
    const number = str(el.number)
    if (!billing || !number) throw new CodecError("billing_payment_method/search: billing_code or number missing")
    rows.push({
      billing_code: billing,
      number,
      code: str(el.code),
      payment_method: int(el.payment_method),
      register_status: int(el.register_status),
      cod: str(el.cod),
      valid_flg: int(el.valid_flg),
      update_date: str(el.update_date),
    })
  }
  return { rows, error: null }
}

// ---- demand/bulk_register (即時決済) -----------------------------------------------------------

export interface ChargeRequest {
  billing_code: string
  billing_individual_code: string
  billing_method: number
  bill_template_code: number
  tax: number
  /** yyyy/mm/dd, Japan's date today. */
  date: string
  goods_name: string
  /** Whole yen, tax included (tax_category 1, 内税). */
  amount: number
}

export function chargeBody(r: ChargeRequest): Record<string, unknown> {
  if (!Number.isInteger(r.amount) || r.amount < 1 || r.amount > 9_999_999) throw new CodecError("amount must be whole yen between 1 and 9,999,999")
  return {
    bill: [
      {
        billing_code: r.billing_code,
        billing_individual_code: r.billing_individual_code,
        billing_method: r.billing_method,
        bill_template_code: r.bill_template_code,
        tax: r.tax,
        issue_date: r.date,
        sending_date: r.date,
        deadline_date: r.date,
        jb: "CAPTURE",
        bill_detail: [
          {
            demand_type: 0,
            goods_name: r.goods_name.slice(0, 60),
            price: r.amount,
            quantity: 1,
            tax_category: 1,
            tax: r.tax,
            start_date: r.date,
            period_format: 99,
          },
        ],
      },
    ],
  }
}

export interface ChargeResult {
  /** 請求書番号. */
  billNumber: string | null
  /** 請求情報番号. */
  demandCode: string | null
  total: number | null
  error: (ApiError & { ec: string | null }) | null
}

/**
 * The answer's `user.bill[0]` (error or bill), or the documented success sample's `user.demand`.
 * [?] The public sample of a success shows only `user.demand`; the bill's number and total are read
 * when present.
 */
export function parseCharge(body: Record<string, unknown>): ChargeResult {
  const user = body.user
  if (!isRecord(user)) throw new CodecError("demand/bulk_register: no user in the answer")
  const bill = Array.isArray(user.bill) && isRecord(user.bill[0]) ? user.bill[0] : null
  const demandRaw = Array.isArray(user.demand) ? user.demand[0] : user.demand
  const demand = isRecord(demandRaw) ? demandRaw : null
  if (!bill && !demand) throw new CodecError("demand/bulk_register: neither bill nor demand in the answer")
  if (bill) {
    const e = elementError(bill, "bill")
    if (e) return { billNumber: null, demandCode: null, total: null, error: { ...e, ec: str(bill.ec) } }
  }
  const total = int(bill?.total_amount_billed)
  return { billNumber: str(bill?.number), demandCode: str(demand?.code), total, error: null }
}

// ---- webhook credit_status_issue --------------------------------------------------------------

export interface CreditStatusEvent {
  signatureKey: string
  id: string | null
  eventName: string
  billingCode: string
  paymentNumber: string | null
  paymentCode: string | null
  paymentStatus: number | null
  creditStatus: number | null
  creditErrorCode: string | null
  registTime: string | null
  creditUpdateTime: string | null
}

/** The webhook's JSON. Numbers arrive as strings in the public sample, empty for "not set". */
export function parseCreditStatus(text: string): CreditStatusEvent {
  const body = parseJson(text)
  const d = body.event_detail
  if (typeof body.BillingRoboSignaturekey !== "string") throw new CodecError("BillingRoboSignaturekey missing")
  if (typeof body.event_name !== "string") throw new CodecError("event_name missing")
  if (!isRecord(d)) throw new CodecError("event_detail missing")
  const billingCode = str(d.billing_code)
  if (!billingCode) throw new CodecError("event_detail.billing_code missing")
  return {
    signatureKey: body.BillingRoboSignaturekey,
    id: str(body.id),
    eventName: body.event_name,
    billingCode,
    paymentNumber: str(d.payment_number) || null,
    paymentCode: str(d.payment_code) || null,
    paymentStatus: int(d.payment_status),
    creditStatus: int(d.credit_status),
    creditErrorCode: str(d.credit_error_code) || null,
    registTime: str(body.regist_time),
    creditUpdateTime: str(d.credit_update_time),
  }
}

/** Japan's date, yyyy/mm/dd (the API's 日付形式; bulk_register refuses a date after today there). */
export function japanDate(now: Date): string {
  const jst = new Date(now.getTime() + 9 * 3600_000)
  return `${jst.getUTCFullYear()}/${String(jst.getUTCMonth() + 1).padStart(2, "0")}/${String(jst.getUTCDate()).padStart(2, "0")}`
}
