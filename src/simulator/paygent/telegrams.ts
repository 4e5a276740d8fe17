/**
 * The module-type telegrams, strict as PAYGENT is (SPEC-MAIN, SPEC-3DS: see README.md, Sources): the
 * common header, then per kind its fields, status rules and error codes. Each handler returns the
 * answer's `key=value` pairs (every documented key present, `out_acs_html` last) or CSV records.
 */
import iconv from "iconv-lite"
import { ACQUIRERS, authStub, scenarioFor } from "./cards"
import { fail, TelegramError } from "./codes"
import { jstStamp, SPLIT_COUNTS, type MerchantConfig, type PaymentStatus, type SimAuth, type SimCardData, type SimPayment, type SimState } from "./state"

/** Telegram kind → the path it must be sent to (url.<kind>, full kind first, then two characters). */
export const KIND_PATHS: Record<string, string> = {
  "020": "/n/card/request",
  "021": "/n/card/request",
  "022": "/n/card/request",
  "023": "/n/card/request",
  "025": "/n/card/request",
  "026": "/n/card/request",
  "027": "/n/card/request",
  "028": "/n/card/request",
  "029": "/n/card/request",
  "450": "/n/threeds/request",
  "094": "/n/ref/paymentref",
  "091": "/n/ref/paynotice",
}
export const MODULE_PATHS = new Set(Object.values(KIND_PATHS))
export const UTF8_KINDS = new Set(["450"])
export const CSV_KINDS = new Set(["027"])

const DAY = 86_400_000
/** An authorization lives 60 days (GUIDE-CARD §6). */
export const AUTH_LIFETIME_MS = 60 * DAY
/** No 3-D Secure result 30 minutes after the 450 answer → the timeout call (SPEC-3DS §1.3). */
export const THREEDS_TIMEOUT_MS = 30 * 60_000

export type Pairs = Array<[string, string]>

export interface TelegramResult {
  pairs?: Pairs
  csv?: string[][]
  /** Payments whose status changed: each makes a 差分通知. */
  changed: SimPayment[]
  summary: string
}

export interface TelegramContext {
  state: SimState
  /** The simulator's browser origin (plain HTTP), for the ACS form in out_acs_html. */
  browserOrigin: string
}

type Params = Record<string, string>

// ---- field rules ------------------------------------------------------------------------------

function req(p: Params, name: string): string {
  if (!(name in p)) fail("P005", name)
  if (p[name] === "") fail("P006", name)
  return p[name]
}
function opt(p: Params, name: string): string | undefined {
  return p[name] === undefined || p[name] === "" ? undefined : p[name]
}
function numeric(name: string, v: string, max: number): number {
  if (!/^\d+$/.test(v)) fail("P008", name)
  if (v.length > max) fail("P009", name)
  return Number(v)
}
function alnum(name: string, v: string, max: number, extra = ""): string {
  if (!new RegExp(`^[A-Za-z0-9${extra}]+$`).test(v)) fail("P008", name)
  if (v.length > max) fail("P009", name)
  return v
}
function oneOf(name: string, v: string | undefined, allowed: string[]): void {
  if (v !== undefined && !allowed.includes(v)) fail("P010", name)
}

/** 共通ヘッダ部: authentication, version, and the URL the kind belongs to. */
export function checkHeader(state: SimState, path: string, p: Params): { merchant: MerchantConfig; kind: string } {
  if (!p.merchant_id || !p.connect_id || !p.connect_password) fail("P001")
  const merchant = state.merchants.get(p.merchant_id)
  if (!merchant || merchant.connectId !== p.connect_id || merchant.connectPassword !== p.connect_password) fail("P002")
  if (p.telegram_version !== "1.0") fail("P003")
  const kind = req(p, "telegram_kind")
  if (KIND_PATHS[kind] !== path) fail("P004")
  if (p.trading_id !== undefined && p.trading_id !== "") alnum("trading_id", p.trading_id, 25, "_")
  if (p.payment_id !== undefined && p.payment_id !== "") numeric("payment_id", p.payment_id, 18)
  if (p.site_id !== undefined && p.site_id !== "") alnum("site_id", p.site_id, 4)
  return { merchant, kind }
}

// ---- the telegrams ---------------------------------------------------------------------------

export function handleTelegram(ctx: TelegramContext, merchant: MerchantConfig, kind: string, p: Params): TelegramResult {
  switch (kind) {
    case "450":
      return threeDSAuth(ctx, merchant, p)
    case "020":
      return authorize(ctx, merchant, p)
    case "021":
      return transition(ctx, merchant, p, "021")
    case "022":
      return transition(ctx, merchant, p, "022")
    case "023":
      return transition(ctx, merchant, p, "023")
    case "028":
    case "029":
      return correct(ctx, merchant, p, kind)
    case "025":
      return saveCard(ctx, merchant, p)
    case "026":
      return deleteCard(ctx, merchant, p)
    case "027":
      return listCards(ctx, merchant, p)
    case "094":
      return reference(ctx, merchant, p)
    case "091":
      return pullNotice(ctx, merchant, p)
    default:
      fail("P010", "telegram_kind")
  }
}

/** The card a telegram names: a token (checked, not consumed) or a saved card. */
function cardFrom(
  ctx: TelegramContext,
  merchant: MerchantConfig,
  token: string | undefined,
  saved: { customerId: string; customerCardId: string } | undefined,
  codes: { expired: string; missing: string; used: string; noCard: string }
): { data: SimCardData; token?: string } {
  const now = ctx.state.clock.now()
  if (token !== undefined) {
    const t = ctx.state.tokens.get(token)
    if (!t || t.merchantId !== merchant.merchantId) fail(codes.missing)
    if (t.used) fail(codes.used)
    if (t.validUntil < now) fail(codes.expired)
    return { data: t, token }
  }
  if (saved) {
    const card = ctx.state.cardsOf(merchant.merchantId, saved.customerId).find((c) => c.customerCardId === saved.customerCardId)
    if (!card) fail(codes.noCard)
    return { data: card }
  }
  fail("P005", "card_token")
}

function threeDSAuth(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  if (!merchant.threeDSecure) fail("P063")
  const termUrl = req(p, "term_url")
  if (termUrl.length > 256) fail("P009", "term_url")
  if (!/^https?:\/\/[^\s]+$/.test(termUrl)) fail("P010", "term_url")
  const merchantName = req(p, "merchant_name")
  if (!/^[\x20-\x7e]+$/.test(merchantName)) fail("P008", "merchant_name")
  if (merchantName.length > 40) fail("P009", "merchant_name")
  if (req(p, "authentication_type") !== "01") fail("P010", "authentication_type")
  const method = req(p, "card_set_method")
  oneOf("card_set_method", method, ["token", "customer", "direct", "google"])
  const amountText = req(p, "payment_amount")
  if (!/^\d{1,13}(\.\d+)?$/.test(amountText)) fail("P008", "payment_amount")
  const amount = Number(amountText)
  const cardholderName = opt(p, "cardholder_name")
  if (cardholderName !== undefined && (!/^[\x20-\x7e]+$/.test(cardholderName) || cardholderName.length < 2 || cardholderName.length > 45)) fail("P010", "cardholder_name")
  const email = opt(p, "email_address")
  if (email !== undefined && !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) fail("P010", "email_address")
  // Risk data (3Dセキュア2.0 認証 telegram, part 2): phone pairs go together (country code, number
  // without its leading 0); the ISO codes are numeric / subdivision; address text is never blank.
  for (const pair of ["home_phone", "mobile_phone", "work_phone"]) {
    const cc = opt(p, `${pair}_cc`)
    const sub = opt(p, `${pair}_subscriber`)
    if ((cc === undefined) !== (sub === undefined)) fail("P010", `${pair}_cc`)
    if (cc !== undefined && !/^\d{1,3}$/.test(cc)) fail("P010", `${pair}_cc`)
    if (sub !== undefined && !/^[1-9]\d{0,14}$/.test(sub)) fail("P010", `${pair}_subscriber`)
  }
  const billCountry = opt(p, "bill_address_country")
  if (billCountry !== undefined && !/^\d{3}$/.test(billCountry)) fail("P010", "bill_address_country")
  const billState = opt(p, "bill_address_state")
  if (billState !== undefined && !/^[A-Za-z0-9]{1,3}$/.test(billState)) fail("P010", "bill_address_state")
  for (const [k, max] of [["bill_address_city", 50], ["bill_address_line1", 50], ["bill_address_line2", 50], ["bill_address_line3", 50], ["bill_address_post_code", 16]] as const) {
    const v = opt(p, k)
    if (v !== undefined && (v.trim() === "" || [...v].length > max)) fail("P010", k)
  }
  if (method === "direct") fail("2023")
  if (method === "google") fail("P007")
  const codes = { expired: "31003", missing: "31004", used: "31005", noCard: "31006" }
  let card
  if (method === "token") {
    if (p.customer_id || p.customer_card_id) fail("31002")
    card = cardFrom(ctx, merchant, req(p, "card_token"), undefined, codes)
  } else {
    if (p.card_token) fail("31002")
    card = cardFrom(ctx, merchant, undefined, { customerId: req(p, "customer_id"), customerCardId: req(p, "customer_card_id") }, codes)
  }
  const data = card.data
  if (merchant.no3DSBrands?.includes(data.brand)) fail("31012")
  const auth: SimAuth = {
    authId: ctx.state.newAuthId(),
    merchantId: merchant.merchantId,
    tradingId: p.trading_id ?? "",
    termUrl,
    amount,
    card: card.token ? { kind: "token", token: card.token } : { kind: "customer", customerId: p.customer_id, customerCardId: p.customer_card_id },
    data,
    scenario: scenarioFor(amount, cardholderName ?? data.name),
    createdAt: ctx.state.clock.now(),
    state: "pending",
    timeoutCalls: [],
  }
  ctx.state.auths.set(auth.authId, auth)
  const acq = ACQUIRERS[data.brand]
  return {
    pairs: [
      ["result", "0"],
      ["response_code", ""],
      ["response_detail", ""],
      ["card_brand", data.brand],
      ["acq_id", acq.acqId],
      ["3ds_auth_id", auth.authId],
      ["issur_class", data.pan.startsWith("4000") ? "1" : "0"],
      ["acq_name", acq.acqName],
      ["issur_name", acq.issurName],
      ["issur_id", acq.issurId],
      ["fingerprint", data.fingerprint],
      ["masked_card_number", data.masked],
      ["out_acs_html", acsHtml(ctx.browserOrigin, auth.authId)],
    ],
    changed: [],
    summary: `450 ${auth.authId} ${auth.scenario.flow}`,
  }
}

/** The HTML that starts 3-D Secure: a self-submitting form (name/id submitForm, body onload OnLoadEvent). */
function acsHtml(origin: string, authId: string): string {
  return [
    "<!DOCTYPE html>",
    "<html>",
    '<head><meta charset="UTF-8"><title>3D Secure</title></head>',
    '<body onload="OnLoadEvent();">',
    `<form name="submitForm" id="submitForm" action="${origin}/3ds/acs" method="POST">`,
    `<input type="hidden" name="threeDSServerTransID" value="${authId}">`,
    '<noscript><p>JavaScript is off: press the button to continue.</p><input type="submit" value="Continue"></noscript>',
    "</form>",
    '<script>function OnLoadEvent(){ document.submitForm.submit(); }</script>',
    "</body>",
    "</html>",
  ].join("\r\n")
}

const PAYMENT_KEYS = [
  "trading_id",
  "payment_id",
  "issur_class",
  "acq_id",
  "acq_name",
  "issur_name",
  "issur_id",
  "attempt_kbn",
  "fingerprint",
  "masked_card_number",
  "card_valid_term",
  "fc_auth_umu",
  "daiko_code",
  "card_shu_code",
  "k_card_name",
]

/** The 020-style answer (021/022/023 carry only the ids; the other keys are empty). */
function paymentPairs(pay: SimPayment | undefined, full: boolean, extra: Pairs = []): Pairs {
  const acq = pay ? ACQUIRERS[pay.card.brand] : undefined
  const values: Record<string, string> = pay
    ? {
        trading_id: pay.tradingId,
        payment_id: pay.paymentId,
        ...(full && acq
          ? {
              issur_class: pay.card.pan.startsWith("4000") ? "1" : "0",
              acq_id: acq.acqId,
              acq_name: acq.acqName,
              issur_name: acq.issurName,
              issur_id: acq.issurId,
              attempt_kbn: pay.attemptKbn,
              fingerprint: pay.card.fingerprint,
              masked_card_number: pay.card.masked,
              card_valid_term: pay.card.validTerm,
            }
          : {}),
      }
    : {}
  return [
    ["result", "0"],
    ["response_code", ""],
    ["response_detail", ""],
    ...PAYMENT_KEYS.map((k): [string, string] => [k, values[k] ?? ""]),
    ...extra,
    ["out_acs_html", ""],
  ]
}

function authorize(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  const state = ctx.state
  const amount = numeric("payment_amount", req(p, "payment_amount"), 7)
  if (amount <= 0) fail("P014")
  const { paymentClass, splitCount } = paymentClassOf(merchant, p)
  oneOf("sales_mode", opt(p, "sales_mode"), ["0", "1"])
  oneOf("3dsecure_ryaku", opt(p, "3dsecure_ryaku"), ["1"])
  oneOf("3dsecure_use_type", opt(p, "3dsecure_use_type"), ["1", "2"])
  oneOf("stock_card_mode", opt(p, "stock_card_mode"), ["1"])
  if (p.card_number || p.card_valid_term || p.card_conf_number) fail("2023")
  const stock = opt(p, "stock_card_mode") === "1"
  const token = opt(p, "card_token")
  if (stock && token && opt(p, "security_code_token") !== "1") fail("2024")
  if (!stock && !token) fail("P005", "card_token")

  // 3-D Secure: either an EMV 3DS result (type 2 + 3ds_auth_id), or 3dsecure_ryaku=1.
  const useType = opt(p, "3dsecure_use_type")
  const authId = opt(p, "3ds_auth_id")
  const ryaku = opt(p, "3dsecure_ryaku") === "1"
  if (authId && useType !== "2") fail("31008")
  if (useType === "2" && !authId) fail("31009")
  if (!ryaku && useType !== "2") fail("P005", "3dsecure_ryaku") // 3-D Secure 1.0 is gone: one of the two is required
  if (ryaku && useType === "2") fail("P010", "3dsecure_ryaku")

  // A retry by payment_id of a payment left in 申込済 by 2003.
  const retryId = opt(p, "payment_id")
  const retry = retryId ? state.payments.get(retryId) : undefined
  // Both header ids sent: they must name the same payment, as for 021–029 (SPEC-MAIN p.40).
  if (retryId && (!retry || retry.merchantId !== merchant.merchantId || (p.trading_id && p.trading_id !== retry.tradingId))) fail("2006")
  if (retry && retry.status !== "10") fail("2004")

  const saved = stock ? { customerId: req(p, "customer_id"), customerCardId: req(p, "customer_card_id") } : undefined
  const card = cardFrom(ctx, merchant, stock ? undefined : token, saved, { expired: "2020", missing: "2021", used: "2022", noCard: "P026" })

  let auth: SimAuth | undefined
  if (authId) {
    auth = state.auths.get(authId)
    if (!auth || auth.merchantId !== merchant.merchantId) fail("31011")
    if (auth.usedBy) fail("31010")
    // Only a finished, successful authentication can back an authorization (the simulator's reading).
    if (auth.state !== "done" || auth.outcome === "failed") fail("31011")
    const same =
      auth.card.kind === "token" ? !stock && auth.card.token === token : stock && auth.card.customerId === saved?.customerId && auth.card.customerCardId === saved?.customerCardId
    if (!same) fail("P010", "3ds_auth_id")
    if (auth.amount !== amount) fail("P010", "payment_amount")
  }

  const now = state.clock.now()
  const pay: SimPayment = retry ?? {
    paymentId: state.newPaymentId(),
    merchantId: merchant.merchantId,
    tradingId: p.trading_id ?? "",
    status: "10",
    amount,
    card: card.data,
    initAt: now,
    ryaku,
    authId,
    attemptKbn: auth?.outcome === "attempt1" ? "1" : auth?.outcome === "attempt0" ? "0" : "",
    customerId: saved?.customerId,
    customerCardId: saved?.customerCardId,
    retries: 0,
    paymentClass,
    splitCount,
  }
  if (!retry) state.payments.set(pay.paymentId, pay)
  pay.paymentClass = paymentClass
  pay.splitCount = splitCount
  pay.amount = amount
  pay.card = card.data
  const stub = authStub(card.data.pan)
  if (stub && stub.code !== "2008") {
    if (stub.code === "2003" && pay.retries < 3) {
      pay.retries++
      throw new TelegramError("2003", stub.detail, { payment_id: pay.paymentId, trading_id: pay.tradingId })
    }
    pay.status = "11"
    throw new TelegramError(stub.code === "2003" ? "2001" : stub.code, stub.detail)
  }
  pay.status = opt(p, "sales_mode") === "1" ? "40" : "20"
  pay.authorizedAt = now
  if (pay.status === "40") pay.capturedAt = now
  if (card.token) state.tokens.get(card.token)!.used = true
  if (auth) auth.usedBy = pay.paymentId
  if (saved) {
    const c = state.cardsOf(merchant.merchantId, saved.customerId).find((x) => x.customerCardId === saved.customerCardId)
    if (c) c.lastUse = now
  }
  if (stub?.code === "2008") {
    // The card network timed out towards PAYGENT, yet the authorization exists: 094 tells.
    throw Object.assign(new TelegramError("2008", ""), { changed: [pay] })
  }
  return { pairs: paymentPairs(pay, true), changed: [pay], summary: `020 ${pay.paymentId} ${pay.status} ${amount}` }
}

/**
 * 020's payment_class (default 10) and split_count: the defined values (P010), split_count with 61
 * only (P005/P006 when missing, P008/P009 format), then the merchant's contract (P030).
 * [?] split_count sent with another class is refused as P010 (the simulator's reading).
 */
function paymentClassOf(merchant: MerchantConfig, p: Params): { paymentClass: string; splitCount: string } {
  const paymentClass = opt(p, "payment_class") ?? "10"
  oneOf("payment_class", paymentClass, ["10", "23", "61", "80"])
  const contract = merchant.paymentMethods ?? {}
  if (paymentClass !== "61") {
    if (opt(p, "split_count") !== undefined) fail("P010", "split_count")
    if ((paymentClass === "23" && !contract.bonus) || (paymentClass === "80" && !contract.revolving)) fail("P030")
    return { paymentClass, splitCount: "" }
  }
  const count = numeric("split_count", req(p, "split_count"), 2)
  if (!SPLIT_COUNTS.includes(count)) fail("P010", "split_count")
  if (!(contract.installments ?? []).includes(count)) fail("P030")
  return { paymentClass, splitCount: String(count) }
}

/** The payment a telegram names by payment_id and/or trading_id (both must agree when both are sent). */
function findPayment(ctx: TelegramContext, merchant: MerchantConfig, p: Params, notFound: string): SimPayment {
  const id = opt(p, "payment_id")
  const tid = opt(p, "trading_id")
  if (!id && !tid) fail("P005", "payment_id")
  let pay: SimPayment | undefined
  if (id) {
    pay = ctx.state.payments.get(id)
    if (pay && tid && pay.tradingId !== tid) pay = undefined
  } else {
    const all = [...ctx.state.payments.values()].filter((x) => x.merchantId === merchant.merchantId && x.tradingId === tid)
    // A corrected payment keeps the trading_id: the live one is the one meant.
    const live = all.filter((x) => !["32", "33", "60", "11"].includes(x.status))
    if (live.length > 1 || (live.length === 0 && all.length > 1)) fail(notFound === "13001" ? "13002" : "2004")
    pay = live[0] ?? all[0]
  }
  if (!pay || pay.merchantId !== merchant.merchantId) fail(notFound)
  return pay
}

/** 60 days after the authorization an uncaptured payment is オーソリ期限切 (33). */
function expire(ctx: TelegramContext, pay: SimPayment): SimPayment[] {
  if (pay.status === "20" && pay.authorizedAt !== undefined && ctx.state.clock.now() - pay.authorizedAt > AUTH_LIFETIME_MS) {
    pay.status = "33"
    return [pay]
  }
  return []
}

function transition(ctx: TelegramContext, merchant: MerchantConfig, p: Params, kind: "021" | "022" | "023"): TelegramResult {
  const pay = findPayment(ctx, merchant, p, "2006")
  const changed = expire(ctx, pay)
  const now = ctx.state.clock.now()
  const rules: Record<typeof kind, { from: PaymentStatus; to: PaymentStatus }> = {
    "021": { from: "20", to: "32" },
    "022": { from: "20", to: "40" },
    "023": { from: "40", to: "60" },
  }
  const r = rules[kind]
  if (pay.status === "33") throw Object.assign(new TelegramError("2007", "オーソリ期限切れです。"), { changed })
  if (kind === "023" && pay.status === "40" && pay.capturedAt !== undefined && now - pay.capturedAt > AUTH_LIFETIME_MS) {
    pay.status = "41"
    throw Object.assign(new TelegramError("2007", "売上取消期限切れです。"), { changed: [pay] })
  }
  if (pay.status !== r.from) fail("2004")
  pay.status = r.to
  if (kind === "022") pay.capturedAt = now
  else pay.canceledAt = now
  return { pairs: paymentPairs(pay, false), changed: [pay], summary: `${kind} ${pay.paymentId} → ${pay.status}` }
}

/** 028/029: a decrease only; a NEW payment replaces the original, which is canceled. */
function correct(ctx: TelegramContext, merchant: MerchantConfig, p: Params, kind: "028" | "029"): TelegramResult {
  const pay = findPayment(ctx, merchant, p, "2006")
  const changed = expire(ctx, pay)
  if (pay.status === "33") throw Object.assign(new TelegramError("2007", "オーソリ期限切れです。"), { changed })
  const from: PaymentStatus = kind === "028" ? "20" : "40"
  if (pay.status !== from) fail("2004")
  const value = numeric("payment_amount", req(p, "payment_amount"), 7)
  const flag = req(p, "reduction_flag")
  oneOf("reduction_flag", flag, ["0", "1"])
  oneOf("base_payment_cancel_timing", opt(p, "base_payment_cancel_timing"), ["0", "1"])
  const next = flag === "1" ? pay.amount - value : value
  if (next <= 0 || next > pay.amount) fail("2013")
  const now = ctx.state.clock.now()
  // The amount change re-authorizes without 3-D Secure (GUIDE-3DS §2.1).
  const created: SimPayment = {
    ...pay,
    paymentId: ctx.state.newPaymentId(),
    amount: next,
    initAt: now,
    authorizedAt: now,
    capturedAt: kind === "029" ? now : undefined,
    canceledAt: undefined,
    status: kind === "028" ? "20" : "40",
    ryaku: true,
    authId: undefined,
    attemptKbn: "",
    basePaymentId: pay.paymentId,
  }
  ctx.state.payments.set(created.paymentId, created)
  pay.status = kind === "028" ? "32" : "60"
  pay.canceledAt = now
  return {
    pairs: paymentPairs(created, true, [
      ["base_payment_id", pay.paymentId],
      ["reduced_amount", String(pay.amount - next)],
    ]),
    changed: [created, pay],
    summary: `${kind} ${pay.paymentId} → ${created.paymentId} ${next}`,
  }
}

function saveCard(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  const customerId = alnum("customer_id", req(p, "customer_id"), 25, "_")
  const token = req(p, "card_token")
  oneOf("valid_check_flg", opt(p, "valid_check_flg"), ["0", "1"])
  const card = cardFrom(ctx, merchant, token, undefined, { expired: "2020", missing: "2021", used: "2022", noCard: "P026" })
  const cards = ctx.state.cardsOf(merchant.merchantId, customerId)
  if (cards.length >= 10) fail("P023")
  const addInfo = [1, 2, 3, 4].map((i) => p[`add_info${i}`] ?? "")
  for (const [i, v] of addInfo.entries()) if (iconv.encode(v, "cp932").length > 64) fail("P009", `add_info${i + 1}`)
  const saved = { ...card.data, customerCardId: ctx.state.newCardId(), addInfo }
  cards.push(saved)
  ctx.state.tokens.get(token)!.used = true
  return {
    pairs: [
      ["result", "0"],
      ["response_code", ""],
      ["response_detail", ""],
      ["customer_card_id", saved.customerCardId],
      ["num_of_cards", String(cards.length)],
      ["fingerprint", saved.fingerprint],
      ["masked_card_number", saved.masked],
      ["card_valid_term", saved.validTerm],
      ["cardholder_name", saved.name ?? ""],
    ],
    changed: [],
    summary: `025 ${customerId} +${saved.customerCardId}`,
  }
}

function deleteCard(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  const customerId = alnum("customer_id", req(p, "customer_id"), 25, "_")
  const cardId = opt(p, "customer_card_id")
  const cards = ctx.state.cardsOf(merchant.merchantId, customerId)
  if (cardId) {
    const i = cards.findIndex((c) => c.customerCardId === cardId)
    if (i < 0) fail("P026")
    cards.splice(i, 1)
  } else {
    if (cards.length === 0) fail("P026")
    cards.splice(0, cards.length)
  }
  return { pairs: [["result", "0"], ["response_code", ""], ["response_detail", ""], ["num_of_cards", String(cards.length)]], changed: [], summary: `026 ${customerId}` }
}

const CARD_COLUMNS = [
  "customer_id",
  "customer_card_id",
  "card_number",
  "card_valid_term",
  "card_last_use_date",
  "card_brand",
  "cardholder_name",
  "add_info1",
  "add_info2",
  "add_info3",
  "add_info4",
  "card_expire_flag",
  "valid_check_result",
  "valid_update_cd",
  "valid_check_date",
  "issur_name",
  "fingerprint",
]

function listCards(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  const customerId = alnum("customer_id", req(p, "customer_id"), 25, "_")
  const cardId = opt(p, "customer_card_id")
  const withFingerprint = opt(p, "return_fingerprint_flg") === "1"
  const cards = ctx.state.cardsOf(merchant.merchantId, customerId).filter((c) => !cardId || c.customerCardId === cardId)
  if (cards.length === 0) fail("P026")
  const rows = cards.map((c) => {
    const v: Record<string, string> = {
      customer_id: customerId,
      customer_card_id: c.customerCardId,
      card_number: c.masked,
      card_valid_term: c.validTerm,
      card_last_use_date: jstStamp(c.lastUse).slice(0, 8),
      card_brand: c.brand,
      cardholder_name: c.name ?? "",
      card_expire_flag: "0",
      issur_name: ACQUIRERS[c.brand].issurName,
      fingerprint: withFingerprint ? c.fingerprint : "",
      add_info1: c.addInfo[0],
      add_info2: c.addInfo[1],
      add_info3: c.addInfo[2],
      add_info4: c.addInfo[3],
    }
    return ["3", ...CARD_COLUMNS.map((k) => v[k] ?? "")]
  })
  return {
    csv: [["1", "0", "", ""], ["2", ...CARD_COLUMNS], ...rows, ["4", String(rows.length)]],
    changed: [],
    summary: `027 ${customerId} ${rows.length} card(s)`,
  }
}

export function referencePairs(pay: SimPayment): Pairs {
  const acq = ACQUIRERS[pay.card.brand]
  const v: Record<string, string> = {
    payment_id: pay.paymentId,
    trading_id: pay.tradingId,
    payment_type: "02",
    site_id: "",
    payment_status: pay.status,
    payment_amount: String(pay.amount),
    payment_init_date: jstStamp(pay.initAt),
    authorized_date: jstStamp(pay.authorizedAt),
    cancel_date: jstStamp(pay.canceledAt),
    payment_date: jstStamp(pay.capturedAt),
    acq_id: acq.acqId,
    acq_name: acq.acqName,
    joho_code: ["20", "32", "33", "40", "41", "60"].includes(pay.status) ? "000" : "",
    payment_class: pay.paymentClass,
    split_count: pay.splitCount,
    issur_code: acq.issurId,
    issur_name: acq.issurName,
    "3dsecure_ryaku": pay.ryaku ? "1" : "",
    attempt_kbn: pay.attemptKbn,
    authrized_number: pay.authorizedAt ? pay.paymentId.slice(-7) : "",
    currency_code: "JPY",
    fingerprint: pay.card.fingerprint,
    masked_card_number: pay.card.masked,
    card_valid_term: pay.card.validTerm,
    customer_id: pay.customerId ?? "",
    customer_card_id: pay.customerCardId ?? "",
    "3dsecure_message_version": pay.authId ? "2.2.0" : "",
  }
  return Object.entries(v)
}

function reference(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  oneOf("payment_type", opt(p, "payment_type"), ["02"])
  const pay = findPayment(ctx, merchant, p, "13001")
  const changed = expire(ctx, pay)
  return { pairs: [["result", "0"], ["response_code", ""], ["response_detail", ""], ...referencePairs(pay)], changed, summary: `094 ${pay.paymentId} ${pay.status}` }
}

function pullNotice(ctx: TelegramContext, merchant: MerchantConfig, p: Params): TelegramResult {
  const wanted = opt(p, "payment_notice_id")
  const mine = ctx.state.notices.filter((n) => n.merchantId === merchant.merchantId)
  let notice
  if (wanted) {
    numeric("payment_notice_id", wanted, 18)
    notice = mine.find((n) => n.paymentNoticeId === wanted)
  } else {
    notice = mine.find((n) => !pulled.has(n))
    if (notice) pulled.add(notice)
  }
  if (!notice) return { pairs: [["result", "0"], ["response_code", ""], ["response_detail", ""], ["success_code", "1"]], changed: [], summary: "091 none" }
  const { hc: _hc, ...fields } = notice.fields
  return { pairs: [["result", "0"], ["response_code", ""], ["response_detail", ""], ["success_code", "0"], ...Object.entries(fields)], changed: [], summary: `091 ${notice.paymentNoticeId}` }
}
const pulled = new WeakSet<object>()
