// SBPS API型 client: one method per 機能ID, in SBPS's own words. Public operations first, then the
// shared vocabulary: build request (codec), commit (POST /api/xmlapi.do with Basic auth), parse,
// success? (res_result OK), message (codes). Scrubbing: the XML body is never logged (core/http logs
// only form parameters), and Basic credentials travel in a header it does not log either.
import { GatewayError } from "../../core/gateway"
import { Transport, charsetOf, type Logger } from "../../core/http"
import { CodecError, codeError, httpError, invalid, malformed as unreadable, readAnswer, type Effect } from "../../core/vocabulary"
import { buildRequest, fromSjis, parseResponse, requestDate, SECRET_FIELDS, sjis, type DesKey, type Leaf, type SpsResponse, type XmlNode } from "./codec"
import { describeCode } from "./codes"

export const API_PATH = "/api/xmlapi.do"

const NAME = "SBPS"

export const FUNCTION_IDS = {
  authorizeToken: "ST01-00131-101",
  authorize3ds: "ST01-00118-101",
  commit: "ST02-00101-101",
  sales: "ST02-00201-101",
  cancelRefund: "ST02-00303-101",
  partialRefund: "ST02-00307-101",
  inquire: "MG01-00101-101",
  saveCustomer: "MG02-00131-101",
  updateCustomer: "MG02-00132-101",
  deleteCustomer: "MG02-00103-101",
  readCustomer: "MG02-00104-101",
  tdsAuthenticate: "TA02-00101-101",
} as const

export interface SbpsClientConfig {
  merchantId: string
  serviceId: string
  hashKey: string
  basicAuthUser?: string
  basicAuthPassword?: string
  des?: DesKey
  baseUrl: string
  limitSecond?: number
  timeoutMs?: number
  connectTimeoutMs?: number
  logger?: Logger
  /** For tests: the clock request_date is read from. */
  now?: () => Date
}

/** What 与信 (ST01-00131 / ST01-00118) needs besides the card. */
export interface AuthorizeInput {
  custCode: string
  orderId: string
  itemId: string
  amount: number
  /** cust_manage_flg=1: keep the card under cust_code. */
  saveCard?: boolean
  /** pay_method_info; absent: 一括 (dealings_type 10). */
  payMethod?: PayMethodInfo
}

/** pay_method_info in SBPS's words: dealings_type 10 一括, 21 ボーナス一括, 61 分割 (+ divide_times), 80 リボ. */
export interface PayMethodInfo {
  dealingsType: "10" | "21" | "61" | "80"
  divideTimes?: number
}

export interface Authorization {
  trackingId: string
  spsTransactionId: string
  processDate: string
  brand?: string
  recognizedNo?: string
}

export interface Inquiry {
  spsTransactionId: string
  /** 0 未処理, 1 コミット済, 2/3 cancelled after/before commit. */
  commitStatus: string
  /** 1 与信済, 2 売上済, 3 取消済, 4 返金済 (5 部分返金 where SBPS reports it). */
  paymentStatus: string
  amount?: number
  masked?: string
  expiry?: string
  brand?: string
}

export interface SbpsCard {
  masked: string
  /** YYYYMM */
  expiry: string
  brand?: string
}

export class SbpsClient {
  private readonly transport: Transport
  private readonly authorization: string

  constructor(private readonly config: SbpsClientConfig) {
    this.transport = new Transport(NAME, SECRET_FIELDS, config)
    const user = config.basicAuthUser ?? config.merchantId + config.serviceId
    const password = config.basicAuthPassword ?? config.hashKey
    this.authorization = "Basic " + Buffer.from(`${user}:${password}`).toString("base64")
  }

  // ---- payments -------------------------------------------------------------------------------

  /** ST01-00131-101 決済要求（ワンタイムトークン利用）; without a token, the card saved under cust_code. */
  async authorize(p: AuthorizeInput & { token?: string; tokenKey?: string }): Promise<Authorization> {
    const r = await this.commit(FUNCTION_IDS.authorizeToken, [
      ...this.merchant(),
      leaf("cust_code", p.custCode),
      leaf("order_id", p.orderId),
      leaf("item_id", p.itemId),
      leaf("amount", p.amount),
      payMethodGroup(p.payMethod),
      group("pay_option_manage", [
        leaf("token", p.token),
        leaf("token_key", p.tokenKey),
        leaf("cust_manage_flg", p.saveCard ? "1" : "0"),
        leaf("cardbrand_return_flg", "1"),
      ]),
      ...this.trailer(true),
    ])
    return authorization(r)
  }

  /** TA02-00101-101 3DS認証要求: the browser must then go to redirect_url. */
  async tdsAuthenticate(p: {
    custCode: string
    amount: number
    token: string
    tokenKey: string
    tdsInfoToken?: string
    tdsInfoTokenKey?: string
    okReturnUrl: string
    ngReturnUrl: string
  }): Promise<{ tdsAuthenticationId: string; redirectUrl: string; spsTransactionId: string }> {
    const r = await this.commit(FUNCTION_IDS.tdsAuthenticate, [
      ...this.merchant(),
      leaf("cust_code", p.custCode),
      leaf("amount", p.amount),
      group("pay_option_manage", [
        leaf("token", p.token),
        leaf("token_key", p.tokenKey),
        leaf("tds_info_token", p.tdsInfoToken),
        leaf("tds_info_token_key", p.tdsInfoTokenKey),
        leaf("ok_return_url", p.okReturnUrl),
        leaf("ng_return_url", p.ngReturnUrl),
      ]),
      ...this.trailer(true),
    ])
    const tdsAuthenticationId = r.fields.res_tds_authentication_id
    const redirectUrl = r.fields.redirect_url
    if (!tdsAuthenticationId || !redirectUrl || !/^https?:\/\//.test(redirectUrl)) throw malformed(FUNCTION_IDS.tdsAuthenticate, "TA02 answered OK without res_tds_authentication_id or redirect_url")
    return { tdsAuthenticationId, redirectUrl, spsTransactionId: r.fields.res_sps_transaction_id ?? "" }
  }

  /** ST01-00118-101 決済要求（3DS認証情報付加・認証結果ID指定）. */
  async authorize3ds(p: AuthorizeInput & { tdsAuthenticationId: string }): Promise<Authorization> {
    const r = await this.commit(FUNCTION_IDS.authorize3ds, [
      ...this.merchant(),
      leaf("cust_code", p.custCode),
      leaf("order_id", p.orderId),
      leaf("item_id", p.itemId),
      leaf("amount", p.amount),
      payMethodGroup(p.payMethod),
      group("pay_option_manage", [
        leaf("cust_manage_flg", p.saveCard ? "1" : "0"),
        leaf("cardbrand_return_flg", "1"),
        leaf("tds_authentication_id", p.tdsAuthenticationId),
      ]),
      ...this.trailer(true),
    ])
    return authorization(r)
  }

  /** ST02-00101-101 確定要求（コミット）. */
  async commitPayment(trackingId: string, processingDatetime?: string): Promise<SpsResponse> {
    return this.commit(FUNCTION_IDS.commit, [...this.merchant(), ...target(trackingId, processingDatetime), ...this.trailer(false)])
  }

  /** ST02-00201-101 売上要求; `amount` for a capture below the authorized amount. */
  async sales(trackingId: string, amount?: number): Promise<SpsResponse> {
    return this.commit(FUNCTION_IDS.sales, [...this.merchant(), ...target(trackingId), group("pay_option_manage", [leaf("amount", amount)]), ...this.trailer(false)])
  }

  /** ST02-00303-101 取消返金要求: cancels an authorization, or refunds a sale in full. */
  async cancelRefund(trackingId: string): Promise<SpsResponse> {
    return this.commit(FUNCTION_IDS.cancelRefund, [...this.merchant(), ...target(trackingId), ...this.trailer(false)])
  }

  /** ST02-00307-101 部分返金要求: `amount` is what goes back to the card. */
  async partialRefund(trackingId: string, amount: number): Promise<SpsResponse> {
    return this.commit(FUNCTION_IDS.partialRefund, [...this.merchant(), ...target(trackingId), group("pay_option_manage", [leaf("amount", amount)]), ...this.trailer(false)])
  }

  /** MG01-00101-101 決済結果参照要求. */
  async inquire(trackingId: string): Promise<Inquiry> {
    const r = await this.commit(FUNCTION_IDS.inquire, [
      ...this.merchant(),
      leaf("sps_transaction_id", undefined),
      leaf("tracking_id", trackingId),
      leaf("response_info_type", "2"),
      group("pay_option_manage", [leaf("cardbrand_return_flg", "1")]),
      ...this.trailer(true),
    ])
    const f = r.fields
    if (!/^\d$/.test(f.commit_status ?? "") || !/^\d{1,2}$/.test(f.payment_status ?? "")) throw malformed(FUNCTION_IDS.inquire, "MG01 answered without commit_status/payment_status")
    return {
      spsTransactionId: f.res_sps_transaction_id ?? "",
      commitStatus: f.commit_status!,
      paymentStatus: f.payment_status!,
      // [?] The public record shows no amount in MG01's answer; a simulator or a later spec may carry one.
      amount: /^\d+$/.test(f.amount ?? "") ? Number(f.amount) : undefined,
      masked: f.cc_number || undefined,
      expiry: f.cc_expiration || undefined,
      brand: f.cardbrand_code || undefined,
    }
  }

  // ---- customers (one saved card per cust_code) -------------------------------------------------

  /** MG02-00131-101 顧客情報登録（トークン）, or MG02-00132-101 更新 when `update`. */
  async saveCustomer(p: { custCode: string; token: string; tokenKey: string; update?: boolean }): Promise<{ brand?: string }> {
    const r = await this.commit(p.update ? FUNCTION_IDS.updateCustomer : FUNCTION_IDS.saveCustomer, [
      ...this.merchant(),
      leaf("cust_code", p.custCode),
      leaf("sps_cust_info_return_flg", "1"),
      group("pay_option_manage", [leaf("token", p.token), leaf("token_key", p.tokenKey), leaf("cardbrand_return_flg", "1")]),
      ...this.trailer(true),
    ])
    return { brand: r.fields.cardbrand_code || undefined }
  }

  /** MG02-00104-101 顧客情報参照; null when SBPS keeps no card for cust_code. */
  async readCustomer(custCode: string): Promise<SbpsCard | null> {
    try {
      const r = await this.commit(FUNCTION_IDS.readCustomer, [
        ...this.merchant(),
        leaf("cust_code", custCode),
        leaf("sps_cust_info_return_flg", "1"),
        leaf("response_info_type", "2"),
        group("pay_option_manage", [leaf("cardbrand_return_flg", "1")]),
        ...this.trailer(true),
      ])
      return { masked: r.fields.cc_number ?? "", expiry: r.fields.cc_expiration ?? "", brand: r.fields.cardbrand_code || undefined }
    } catch (e) {
      // [?] The code for "no such customer" is not public: a record search error (type 83) on
      // cust_code (item 003) is read as "no card". Any other error still fails loudly.
      if (e instanceof GatewayError && /^\d{3}83003$/.test(e.code)) return null
      throw e
    }
  }

  /** MG02-00103-101 顧客情報削除. */
  async deleteCustomer(custCode: string): Promise<void> {
    await this.commit(FUNCTION_IDS.deleteCustomer, [...this.merchant(), leaf("cust_code", custCode), leaf("sps_cust_info_return_flg", "0"), ...this.trailer(true)])
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  private merchant(): XmlNode[] {
    return [leaf("merchant_id", this.config.merchantId), leaf("service_id", this.config.serviceId)]
  }

  /** encrypted_flg (where the request has one), request_date, limit_second. */
  private trailer(hasEncryptedFlg: boolean): XmlNode[] {
    return [
      ...(hasEncryptedFlg ? [leaf("encrypted_flg", this.config.des ? "1" : "0")] : []),
      leaf("request_date", requestDate(this.config.now?.() ?? new Date())),
      leaf("limit_second", this.config.limitSecond),
    ]
  }

  /** Builds, signs and sends one request; an NG answer becomes a GatewayError with its meaning. */
  private async commit(id: string, nodes: XmlNode[]): Promise<SpsResponse> {
    const encrypted = nodes.some((n) => n.tag === "encrypted_flg" && (n as Leaf).value === "1")
    let xml: string
    try {
      xml = buildRequest(id, nodes, { hashKey: this.config.hashKey, des: encrypted ? this.config.des : undefined })
    } catch (e) {
      if (e instanceof CodecError) throw invalid(`SBPS request not sent: ${e.message}`)
      throw e
    }
    const effect = effectOf(id)
    const res = await this.transport.request({
      method: "POST",
      path: API_PATH,
      body: { contentType: "text/xml; charset=Shift_JIS", data: sjis(xml) },
      headers: { authorization: this.authorization },
      effect,
    })
    if (res.status !== 200) throw httpError(NAME, res.status, effect, id, res.status === 401 ? " (check basicAuthUser/basicAuthPassword)" : "")
    const parsed = this.parse(id, effect, res.body, charsetOf(res.headers), encrypted ? this.config.des : undefined)
    if (!success(parsed)) throw error(parsed.errCode!)
    return parsed
  }

  private parse(id: string, effect: Effect, body: Buffer, charset: string | undefined, des?: DesKey): SpsResponse {
    if (charset && !/^(shift_jis|sjis|x-sjis|windows-31j|cp932|ms932)$/i.test(charset)) {
      throw malformed(id, `${id} answered in ${charset}, not Shift_JIS`)
    }
    const text = fromSjis(body)
    if (text.includes("\uFFFD")) throw malformed(id, `${id} answered bytes that are not Shift_JIS`)
    const r = readAnswer(NAME, effect, () => parseResponse(text, des))
    if (r.id !== undefined && r.id !== id) throw malformed(id, `${id} was answered as ${r.id}`)
    return r
  }
}

function success(r: SpsResponse): boolean {
  return r.result === "OK"
}

function leaf(tag: string, value: string | number | undefined, type?: Leaf["type"]): Leaf {
  return { tag, value, type }
}

function group(tag: string, children: XmlNode[]): XmlNode {
  return { tag, children }
}

/** pay_method_info (3DES-encrypted by the codec when encrypted_flg=1); divide_times only with 61. */
function payMethodGroup(m: PayMethodInfo = { dealingsType: "10" }): XmlNode {
  return group("pay_method_info", [leaf("dealings_type", m.dealingsType), leaf("divide_times", m.dealingsType === "61" ? m.divideTimes : undefined)])
}

/** sps_transaction_id (left out: optional), tracking_id, processing_datetime. */
function target(trackingId: string, processingDatetime?: string): XmlNode[] {
  return [leaf("sps_transaction_id", undefined), leaf("tracking_id", trackingId), leaf("processing_datetime", processingDatetime)]
}

function authorization(r: SpsResponse): Authorization {
  const f = r.fields
  if (!f.res_tracking_id || !/^\d{1,14}$/.test(f.res_tracking_id)) throw malformed(FUNCTION_IDS.authorizeToken, "与信 answered OK without res_tracking_id")
  return {
    trackingId: f.res_tracking_id,
    spsTransactionId: f.res_sps_transaction_id ?? "",
    processDate: f.res_process_date ?? "",
    brand: f.cardbrand_code || undefined,
    recognizedNo: f.recognized_no || undefined,
  }
}

/** A res_err_code as a GatewayError with its meaning in both languages. */
export function error(code: string): GatewayError {
  const d = describeCode(code)
  return codeError(code, d, ` [${d.method}-${d.type}-${d.item}]`)
}

/** Reads (MG01 決済結果参照, MG02-00104 顧客情報参照) move nothing; every other 機能ID may. */
const READS: ReadonlySet<string> = new Set([FUNCTION_IDS.inquire, FUNCTION_IDS.readCustomer])

function effectOf(id: string): Effect {
  return READS.has(id) ? "reads" : "moves"
}

/** An unreadable answer to `id`. */
function malformed(id: string, detail: string): GatewayError {
  return unreadable(NAME, effectOf(id), detail)
}
