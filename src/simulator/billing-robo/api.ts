/**
 * The four 請求管理ロボ API calls a card merchant needs, as the public API specification
 * (apispec.billing-robo.jp) describes them, and strict about what they take:
 *   POST /api/v1.0/billing/bulk_upsert                     請求先登録更新
 *   POST /api/v1.0/billing_payment_method/credit_card_token クレジットカード登録 (トークン方式 3Dセキュア利用)
 *   POST /api/v1.0/billing_payment_method/search           決済情報参照
 *   POST /api/demand/bulk_register                          即時決済 請求書合算 (no v1.0 in the path)
 * Tokens and 3-D Secure come from the card gateway's CPToken.js / EMV3DSAdapter.js, served by this
 * simulator from the ROBOT PAYMENT simulator's own code (the same 店舗ID `aid`).
 */
import { randomBytes } from "node:crypto"
import { cardBehaviour, maskPan } from "../robot-payment/cards"
import type { SimState as CardState, TokenRecord } from "../robot-payment/state"
import { refill } from "../common/state-file"

export const PATHS = {
  upsert: "/api/v1.0/billing/bulk_upsert",
  cardToken: "/api/v1.0/billing_payment_method/credit_card_token",
  search: "/api/v1.0/billing_payment_method/search",
  register: "/api/demand/bulk_register",
} as const

/** An error answer: HTTP status and the documented `{"error":{"code","message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | string,
    message: string
  ) {
    super(message)
  }
}

const fail = (code: number | string, message: string, status = 400): never => {
  throw new ApiError(status, code, message)
}

// 種別 of the specification's index: メール形式, 半角英数 + 記号, 日付形式.
const EMAIL = /^([a-z0-9+_-]+)(\.[a-z0-9+_-]+)*@([a-z0-9-]+\.)+[a-z]+$/i
const ASCII_SYMBOLS = /^[\x21-\x7e]+$/
const DATE = /^([0-9]{4})[-/](0?[1-9]|1[012])[-/](0?[1-9]|[12][0-9]|3[01])$/

const PREFECTURES = "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県 その他".split(" ")

export interface SimIndividual {
  number: number
  code: string | null
  name: string
  address1: string
  zip_code: string
  pref: string
  city_address: string
  building_name: string | null
  tel: string | null
  email: string
  billing_method: number
  payment_method_code: string | null
}

export interface SimPayment {
  number: number
  code: string | null
  name: string
  payment_method: number
  credit_card_regist_kind: number | null
  register_status: number
  /** 店舗オーダー番号 (card payments only). */
  cod: string | null
  card: { masked: string; expiry: string } | null
  credit_status: number
  credit_error_code: string | null
  regist_date: string
  update_date: string
}

export interface SimBilling {
  id: number
  code: string
  name: string
  individuals: SimIndividual[]
  payments: SimPayment[]
}

export interface SimBill {
  number: number
  demand_code: number
  billing_code: string
  individual: string
  total: number
  goods_name: string
  card: string
  at: string
}

export interface Webhook {
  event_name: "credit_status_issue"
  event_detail: Record<string, string | null>
}

export interface ApiResult {
  body: unknown
  status?: number
  webhooks: Webhook[]
}

export class BillingState {
  readonly billings = new Map<string, SimBilling>()
  readonly bills: SimBill[] = []
  private seq = 1

  constructor(
    readonly cards: CardState,
    readonly aid: string,
    readonly tokenTtlMs: number
  ) {}

  next(): number {
    return this.seq++
  }

  /** What a state file keeps: billings, bills and the counter, with the card side's users and transactions. */
  save(): Record<string, unknown> {
    return { billings: this.billings, bills: this.bills, seq: this.seq, cards: this.cards.save() }
  }

  load(saved: Record<string, unknown>): void {
    refill(this.billings, saved.billings)
    refill(this.bills, saved.bills)
    this.seq = Number(saved.seq ?? this.seq)
    if (saved.cards && typeof saved.cards === "object") this.cards.load(saved.cards as Record<string, unknown>)
  }

  now(): Date {
    return new Date(this.cards.clock.now())
  }

  /** Today in Japan, yyyy/mm/dd. */
  today(): string {
    const d = new Date(this.cards.clock.now() + 9 * 3600_000)
    return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)
const given = (v: unknown) => v !== undefined && v !== null && v !== ""
const trim = (v: unknown) => (typeof v === "string" ? v.trim() : v)

function strField(v: unknown, max: number, pattern?: RegExp): string | null {
  const s = trim(v)
  if (typeof s !== "string" || s === "" || s.length > max) return null
  if (pattern && !pattern.test(s)) return null
  return s
}

function intField(v: unknown, min: number, max: number): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN
  return Number.isInteger(n) && n >= min && n <= max ? n : null
}

function parseDate(v: unknown): string | null {
  const m = typeof v === "string" ? DATE.exec(v.trim()) : null
  if (!m) return null
  return `${m[1]}/${m[2].padStart(2, "0")}/${m[3].padStart(2, "0")}`
}

// ---- billing/bulk_upsert ------------------------------------------------------------------------

export function bulkUpsert(s: BillingState, body: Record<string, unknown>): ApiResult {
  const list = body.billing
  if (!Array.isArray(list) || list.length === 0) fail(1101, "billing is required")
  const webhooks: Webhook[] = []
  const out = (list as unknown[]).map((raw) => upsertOne(s, isObj(raw) ? raw : {}, webhooks))
  return { body: { user_id: body.user_id, billing: out }, webhooks }
}

type Element = Record<string, unknown> & { error_code: number | null; error_message: string | null }
const ok = (o: Record<string, unknown>): Element => ({ error_code: null, error_message: null, ...o })
const bad = (code: number, message: string, o: Record<string, unknown> = {}): Element => ({ ...o, error_code: code, error_message: message })

function upsertOne(s: BillingState, b: Record<string, unknown>, webhooks: Webhook[]): Element {
  const code = strField(b.code, 20, ASCII_SYMBOLS)
  if (!code) return bad(1102, "Invalid 'code'.", { code: b.code ?? null })
  const existing = s.billings.get(code)
  const name = given(b.name) ? strField(b.name, 100) : existing?.name ?? null
  if (!name) return bad(1103, "Invalid 'name'.", { code })
  // Work on a copy: a billing with any bad element is saved not at all.
  const draft: SimBilling = existing ? structuredClone(existing) : { id: s.next(), code, name, individuals: [], payments: [] }
  draft.name = name
  const payOut: Element[] = []
  const indOut: Element[] = []
  const payments = Array.isArray(b.payment) ? b.payment : []
  const individuals = Array.isArray(b.individual) ? b.individual : []
  const isCard = payments.some((p) => isObj(p) && Number(p.payment_method) === 1)
  const newCards: SimPayment[] = []
  for (const raw of payments) payOut.push(upsertPayment(s, draft, isObj(raw) ? raw : {}, newCards))
  for (const raw of individuals) indOut.push(upsertIndividual(draft, isObj(raw) ? raw : {}, isCard))
  const failed = [...payOut, ...indOut].some((e) => e.error_code !== null)
  if (failed) {
    // The others get 1185 (a sibling failed), the billing 1184 (something below failed).
    const mark = (els: Element[]) => els.map((e) => (e.error_code === null ? bad(1185, "Sibling data has an error.", e) : e))
    return bad(1184, "Child data has an error.", { code, name, individual: mark(indOut), payment: mark(payOut) })
  }
  s.billings.set(code, draft)
  for (const p of newCards) webhooks.push(creditWebhook(draft, p))
  return ok({ code, name, individual: indOut, payment: payOut })
}

function findBy<T extends { number: number; code: string | null }>(list: T[], o: Record<string, unknown>): { found?: T; both: boolean; key?: string } {
  const hasNumber = given(o.number)
  const hasCode = given(o.code)
  if (hasNumber && hasCode) return { both: true }
  if (hasNumber) return { found: list.find((x) => String(x.number) === String(o.number).trim()), both: false, key: "number" }
  if (hasCode) return { found: list.find((x) => x.code === String(o.code).trim()), both: false, key: "code" }
  return { both: false }
}

function upsertPayment(s: BillingState, draft: SimBilling, p: Record<string, unknown>, created: SimPayment[]): Element {
  const { found, both, key } = findBy(draft.payments, p)
  if (both) return bad(1173, "number and code cannot both be given.")
  if (key === "number" && !found) return bad(1172, "Invalid 'number'.")
  if (key === "code" && !strField(p.code, 20, ASCII_SYMBOLS)) return bad(1140, "Invalid 'code'.")
  const name = given(p.name) ? strField(p.name, 100) : found?.name ?? null
  if (!name) return bad(1141, "Invalid 'name'.")
  const method = given(p.payment_method) ? intField(p.payment_method, 0, 98) : found?.payment_method ?? null
  if (method === null) return bad(1143, "Invalid 'payment_method'.")
  if (found && found.payment_method !== method) return bad(1143, "payment_method cannot be changed.")
  let kind: number | null = found?.credit_card_regist_kind ?? null
  if (method === 1) {
    if (given(p.credit_card_regist_kind)) {
      kind = intField(p.credit_card_regist_kind, 1, 2)
      if (kind === null) return bad(1168, "Invalid 'credit_card_regist_kind'.")
    }
    // 2 (registration e-mail) is not simulated: this simulator registers cards by token only.
    if (kind === 2) return bad(1178, "The simulator sends no registration e-mail (use credit_card_regist_kind 1 and the token API).")
  }
  const at = s.now().toISOString()
  const payment: SimPayment = found ?? {
    number: s.next(),
    code: key === "code" ? String(p.code).trim() : null,
    name,
    payment_method: method,
    credit_card_regist_kind: method === 1 ? kind ?? 1 : null,
    register_status: method === 1 ? 1 : 5,
    cod: method === 1 ? randomBytes(8).toString("hex").toUpperCase() : null,
    card: null,
    credit_status: 0,
    credit_error_code: null,
    regist_date: at,
    update_date: at,
  }
  payment.name = name
  if (!found) {
    draft.payments.push(payment)
    if (method === 1) created.push(payment)
  }
  return ok(paymentView(payment))
}

function paymentView(p: SimPayment): Record<string, unknown> {
  return {
    number: String(p.number),
    code: p.code,
    name: p.name,
    payment_method: p.payment_method,
    register_status: p.register_status,
    cod: p.cod,
    credit_card_regist_kind: p.credit_card_regist_kind,
  }
}

function upsertIndividual(draft: SimBilling, o: Record<string, unknown>, cardPayment: boolean): Element {
  const { found, both, key } = findBy(draft.individuals, o)
  if (both) return bad(1167, "number and code cannot both be given.")
  if (key === "number" && !found) return bad(1104, "Invalid 'number'.")
  if (key === "code" && !strField(o.code, 20, ASCII_SYMBOLS)) return bad(1105, "Invalid 'code'.")
  const adding = !found
  const pick = <T>(field: string, check: (v: unknown) => T | null, code: number, required: boolean, current: T | undefined): T | Element => {
    if (!given(o[field])) {
      if (required && adding) return bad(code, `'${field}' is required.`)
      return current as T
    }
    const v = check(o[field])
    return v === null ? bad(code, `Invalid '${field}'.`) : v
  }
  const fields = {
    name: pick("name", (v) => strField(v, 100), 1106, true, found?.name),
    address1: pick("address1", (v) => strField(v, 60), 1108, true, found?.address1),
    zip_code: pick("zip_code", (v) => (typeof v === "string" && /^\d{7}$/.test(v.trim().replace(/-/g, "")) ? v.trim() : null), 1111, true, found?.zip_code),
    pref: pick("pref", (v) => (typeof v === "string" && PREFECTURES.includes(v.trim()) ? v.trim() : null), 1112, true, found?.pref),
    city_address: pick("city_address", (v) => strField(v, 56), 1113, true, found?.city_address),
    building_name: pick("building_name", (v) => strField(v, 100), 1114, false, found?.building_name ?? undefined),
    // tel: required when adding with a card (payment_method 1, 2, 6, 7, 8).
    tel: pick("tel", (v) => (typeof v === "string" && /^[0-9-]{1,15}$/.test(v.trim()) ? v.trim() : null), 1123, cardPayment, found?.tel ?? undefined),
    email: pick("email", (v) => (typeof v === "string" && v.trim().length <= 100 && EMAIL.test(v.trim()) ? v.trim() : null), 1124, true, found?.email),
    billing_method: pick("billing_method", (v) => intField(v, 0, 9), 1127, false, found?.billing_method ?? 0),
    payment_method_code: pick(
      "payment_method_code",
      (v) => (typeof v === "string" && draft.payments.some((p) => p.code === v.trim()) ? v.trim() : null),
      1134,
      false,
      found?.payment_method_code ?? undefined
    ),
  }
  for (const v of Object.values(fields)) if (isObj(v) && "error_code" in v) return v as Element
  const f = fields as Record<string, unknown>
  const ind: SimIndividual = found ?? ({ number: draft.individuals.length + 1000 + draft.id * 10, code: key === "code" ? String(o.code).trim() : null } as SimIndividual)
  Object.assign(ind, {
    name: f.name,
    address1: f.address1,
    zip_code: f.zip_code,
    pref: f.pref,
    city_address: f.city_address,
    building_name: f.building_name ?? null,
    tel: f.tel ?? null,
    email: f.email,
    billing_method: f.billing_method ?? 0,
    payment_method_code: f.payment_method_code ?? null,
  })
  if (!found) draft.individuals.push(ind)
  return ok({ ...ind, number: String(ind.number) })
}

function creditWebhook(b: SimBilling, p: SimPayment, viaToken = false): Webhook {
  return {
    event_name: "credit_status_issue",
    event_detail: {
      // The token API's webhook carries no billing_id (the specification says so).
      billing_id: viaToken ? "" : String(b.id),
      billing_code: b.code,
      payment_number: String(p.number),
      payment_code: p.code,
      payment_status: String(p.register_status),
      credit_status: String(p.credit_status),
      credit_error_code: p.credit_error_code,
      credit_update_time: p.update_date,
    },
  }
}

// ---- billing_payment_method/credit_card_token ---------------------------------------------------

export function cardToken(s: BillingState, body: Record<string, unknown>): ApiResult {
  const code = strField(body.billing_code, 20, ASCII_SYMBOLS)
  const billing = code ? s.billings.get(code) : undefined
  if (!billing) fail(3401, "Invalid 'billing_code'.")
  const b = billing!
  const hasNumber = given(body.billing_payment_method_number)
  const hasCode = given(body.billing_payment_method_code)
  if (hasNumber && hasCode) fail(3404, "billing_payment_method_number and billing_payment_method_code cannot both be given.")
  if (!hasNumber && !hasCode) fail(3402, "billing_payment_method_number or billing_payment_method_code is required.")
  let payment: SimPayment | undefined
  if (hasNumber) {
    const n = intField(body.billing_payment_method_number, 1, 999_999_999_999_999_999)
    payment = n === null ? undefined : b.payments.find((p) => p.number === n)
    if (!payment || payment.payment_method !== 1) fail(3402, "Invalid 'billing_payment_method_number'.")
  } else {
    const c = strField(body.billing_payment_method_code, 20, ASCII_SYMBOLS)
    payment = b.payments.find((p) => p.code === c)
    if (!payment || payment.payment_method !== 1) fail(3403, "Invalid 'billing_payment_method_code'.")
  }
  const p = payment!
  const tokenText = typeof body.token === "string" && /^[A-Za-z0-9]+$/.test(body.token) ? body.token : null
  if (!tokenText) fail(3405, "Invalid 'token'.")
  const token = s.cards.tokens.get(tokenText!)
  if (!token || token.aid !== s.aid || token.used || s.cards.clock.now() - token.createdAt > s.tokenTtlMs) fail(3405, "Invalid 'token'.")
  // The 部署 that uses this 決済情報 (or the first): em/pn and email/tel must be its own.
  const ind = b.individuals.find((i) => i.payment_method_code === p.code) ?? b.individuals[0]
  const indEmail = ind?.email ?? ""
  const indTel = (ind?.tel ?? "").replace(/-/g, "")
  if (given(body.email)) {
    const e = typeof body.email === "string" ? body.email.trim() : ""
    if (e.length > 100 || !EMAIL.test(e) || e !== indEmail) fail(3406, "Invalid 'email'.")
  }
  if (given(body.tel)) {
    const t = typeof body.tel === "string" || typeof body.tel === "number" ? String(body.tel).trim() : ""
    if (!/^\d{1,15}$/.test(t) || t !== indTel) fail(3407, "Invalid 'tel'.")
  }
  const webhooks: Webhook[] = []
  const refusal = threeDSRefusal(token!, indEmail, indTel)
  token!.used = true
  token!.usedAt = s.cards.clock.now()
  p.update_date = s.now().toISOString()
  if (refusal) {
    p.credit_status = 3
    p.credit_error_code = refusal.code
    if (p.register_status !== 5) p.register_status = 6
    webhooks.push(creditWebhook(b, p, true))
    // Gateway errors come back as 200 with the gateway's code (the specification's sample: ER000).
    return { status: 200, body: { error: { code: refusal.code, message: refusal.message } }, webhooks }
  }
  p.register_status = 5
  p.credit_status = 2
  p.credit_error_code = null
  p.card = { masked: maskPan(token!.pan), expiry: token!.ed }
  webhooks.push(creditWebhook(b, p, true))
  return { body: { error: null }, webhooks }
}

/**
 * Why a token's 3-D Secure does not register a card, or null. The 3-D Secure call must have run with
 * am = tx = sf = 0 and the 部署's em/pn (the API specification fixes them at 0; the vendor's older
 * sample shows am 1000 — refused here). A decline of the card check passes the card company's code.
 */
function threeDSRefusal(token: TokenRecord, em: string, pn: string): { code: string; message: string } | null {
  const t = token.threeDS
  if (!t || t.mode !== "payment") return { code: "ER900", message: "3-D Secure was not run on this token (ThreeDSAdapter.authenticate)." }
  if (t.status !== "success") return { code: "ER900", message: "3-D Secure authentication failed." }
  if (t.am !== 0 || t.tx !== 0 || t.sf !== 0) return { code: "ER061", message: "3-D Secure for a card registration must run with am, tx and sf 0." }
  if ((t.em ?? "") !== em) return { code: "ER059", message: "3-D Secure ran with another e-mail (em) than the 部署's." }
  if ((t.pn ?? "") !== pn) return { code: "ER060", message: "3-D Secure ran with another phone number (pn) than the 部署's." }
  const decline = cardBehaviour(token.pan).decline
  if (decline) return { code: decline, message: "Credit card payment error." }
  return null
}

// ---- billing_payment_method/search --------------------------------------------------------------

export function search(s: BillingState, body: Record<string, unknown>): ApiResult {
  const limit = given(body.limit_count) ? intField(body.limit_count, 0, 200) : 20
  const page = given(body.page_count) ? intField(body.page_count, 0, 999) : 0
  if (limit === null || page === null) fail(1, "Invalid 'limit_count' or 'page_count'.")
  const q = isObj(body.billing_payment_method) ? body.billing_payment_method : {}
  if (given(q.billing_code) && !strField(q.billing_code, 20, ASCII_SYMBOLS)) fail(4501, "Invalid 'billing_code'.")
  if (given(q.number) && intField(q.number, 0, Number.MAX_SAFE_INTEGER) === null) fail(4503, "Invalid 'number'.")
  if (given(q.code) && !strField(q.code, 20, ASCII_SYMBOLS)) fail(4504, "Invalid 'code'.")
  const rows: Record<string, unknown>[] = []
  for (const b of s.billings.values()) {
    if (given(q.billing_code) && b.code !== String(q.billing_code).trim()) continue
    for (const p of b.payments) {
      if (given(q.number) && String(p.number) !== String(q.number)) continue
      if (given(q.code) && p.code !== String(q.code).trim()) continue
      rows.push({
        error_code: null,
        error_message: null,
        billing_code: b.code,
        billing_name: b.name,
        number: p.number,
        code: p.code,
        name: p.name,
        payment_method: p.payment_method,
        register_status: p.register_status,
        cod: p.cod,
        regist_date: p.regist_date.slice(0, 10),
        update_date: p.update_date.slice(0, 10),
        valid_flg: 1,
      })
    }
  }
  const slice = rows.slice(page! * limit!, page! * limit! + limit!)
  return { body: { user_id: body.user_id, limit_count: limit, page_count: page, total_page_count: Math.ceil(rows.length / Math.max(limit!, 1)), billing_payment_method: slice }, webhooks: [] }
}

// ---- demand/bulk_register -----------------------------------------------------------------------

export function bulkRegister(s: BillingState, body: Record<string, unknown>): ApiResult {
  const bills = body.bill
  const err = (code: number, message: string, ec: string | null = null, status = 400): ApiResult => ({
    status,
    body: { user: { user_id: body.user_id, bill: [{ error_code: code, error_message: message, number: null, ec, bill_detail: [] }] } },
    webhooks: [],
  })
  if (!Array.isArray(bills) || bills.length === 0 || !isObj(bills[0])) return err(237, "bill is required.")
  if (bills.length > 1) return err(242, "Only one bill per request.")
  const bill = bills[0] as Record<string, unknown>
  const billing = s.billings.get(String(trim(bill.billing_code) ?? ""))
  if (!billing) return err(237, "Invalid 'billing_code'.")
  const hasNumber = given(bill.billing_individual_number)
  const hasCode = given(bill.billing_individual_code)
  if (hasNumber === hasCode) return err(238, "Give billing_individual_number or billing_individual_code.")
  const ind = billing.individuals.find((i) => (hasNumber ? String(i.number) === String(bill.billing_individual_number) : i.code === String(bill.billing_individual_code).trim()))
  if (!ind) return err(201, "The individual does not exist.")
  if (intField(bill.billing_method, 0, 9) === null) return err(214, "Invalid 'billing_method'.")
  if (![10000, 10010].includes(Number(bill.bill_template_code))) return err(229, "Invalid 'bill_template_code'.")
  const tax = intField(bill.tax, 0, 99)
  if (tax === null || ![8, 10].includes(tax)) return err(211, "Invalid 'tax'.")
  const today = s.today()
  const issue = parseDate(bill.issue_date)
  const sending = parseDate(bill.sending_date)
  const deadline = parseDate(bill.deadline_date)
  if (!issue || issue > today) return err(239, "Invalid 'issue_date'.")
  if (!sending || sending < issue || sending > today) return err(240, "Invalid 'sending_date'.")
  if (!deadline || deadline < sending || deadline > today) return err(241, "Invalid 'deadline_date'.")
  if (bill.jb !== "CAPTURE") return err(232, "Invalid 'jb'.")
  const details = bill.bill_detail
  if (!Array.isArray(details) || details.length === 0) return err(206, "bill_detail is required.")
  let total = 0
  let goodsName = ""
  for (const raw of details) {
    const d = isObj(raw) ? raw : {}
    // The simulator takes 単発 (0) only: 定期 needs 繰返し settings it does not model.
    if (intField(d.demand_type, 0, 0) === null) return err(203, "Invalid 'demand_type' (the simulator takes 0).")
    const name = strField(d.goods_name, 60)
    if (!name) return err(206, "Invalid 'goods_name'.")
    const price = typeof d.price === "number" ? d.price : typeof d.price === "string" && /^\d+(\.\d{1,4})?$/.test(d.price.trim()) ? Number(d.price) : NaN
    if (!Number.isFinite(price) || price < 0 || Math.trunc(price) > 9_999_999) return err(207, "Invalid 'price' (card payments: at most 7 integer digits).")
    const qty = typeof d.quantity === "number" ? d.quantity : typeof d.quantity === "string" && /^\d+(\.\d{1,2})?$/.test(d.quantity.trim()) ? Number(d.quantity) : NaN
    if (!Number.isFinite(qty) || qty <= 0 || qty >= 1_000_000) return err(208, "Invalid 'quantity'.")
    const category = intField(d.tax_category, 0, 3)
    if (category === null) return err(210, "Invalid 'tax_category'.")
    if (!parseDate(d.start_date)) return err(217, "Invalid 'start_date'.")
    if (intField(d.period_format, 0, 99) === null || ![0, 1, 2, 3, 99].includes(Number(d.period_format))) return err(219, "Invalid 'period_format'.")
    const rate = given(d.tax) ? intField(d.tax, 0, 99) : tax
    if (rate === null || ![8, 10].includes(rate)) return err(211, "Invalid 'tax'.")
    const subtotal = Math.floor(price * qty)
    // 外税 adds the tax; 内税, 対象外 and 非課税 bill the price as it is.
    total += category === 0 ? subtotal + Math.floor((subtotal * rate) / 100) : subtotal
    goodsName ||= name
  }
  const payment = billing.payments.find((p) => p.code === ind.payment_method_code)
  if (!payment || payment.payment_method !== 1) return err(231, "The individual's payment method is not a credit card.")
  if (total < 1) return err(207, "Nothing to charge.")
  if (payment.register_status !== 5 || !payment.card) return err(234, "Credit Payment failure", "ER021", 200)
  const number = s.next()
  const demandCode = s.next()
  s.bills.push({ number, demand_code: demandCode, billing_code: billing.code, individual: ind.code ?? String(ind.number), total, goods_name: goodsName, card: payment.card.masked, at: s.now().toISOString() })
  return {
    body: {
      user: {
        user_id: body.user_id,
        demand: { code: demandCode, billing_code: billing.code, billing_individual_code: ind.code, payment_method: 1, jb: "CAPTURE", goods_name: goodsName },
        bill: [
          {
            error_code: null,
            error_message: null,
            number,
            billing_code: billing.code,
            billing_individual_number: ind.number,
            billing_individual_code: ind.code,
            issue_date: issue,
            deadline_date: deadline,
            payment_method: 1,
            total_amount_billed: total,
            ec: null,
          },
        ],
      },
    },
    webhooks: [],
  }
}
