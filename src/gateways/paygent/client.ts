// PAYGENT module-type client: one method per telegram, in PAYGENT's own words (docs/gateways/paygent.md).
// Public operations first, then the private vocabulary every gateway client shares: build request
// (header + data part), commit (send over mutual TLS), parse, success?, message; scrubbing is the
// transport's redaction of SECRET_FIELDS (connect_password, card_token …).
import { existsSync, readFileSync } from "node:fs"
import { createSecureContext } from "node:tls"
import { GatewayError } from "../../core/gateway"
import { Transport, charsetOf, decodeBody, type Logger, type TransportOptions } from "../../core/http"
import { httpError, malformed as unreadable, readAnswer, type Effect } from "../../core/vocabulary"
import { CSV_KINDS, charsetFor, parseCsv, parseKeyValue, pathFor, SECRET_FIELDS, type Answer, type CsvAnswer } from "./codec"
import { describeCode } from "./codes"
import { phonePair } from "./risk"

const NAME = "PAYGENT"

export interface PaygentClientConfig {
  merchantId: string
  connectId: string
  connectPassword: string
  telegramVersion: string
  baseUrl: string
  clientCertificate: string
  clientKey?: string
  clientKeyPassphrase?: string
  caCertificate?: string
  siteId?: string
  timeoutMs?: number
  connectTimeoutMs?: number
  logger?: Logger
}

/** How a telegram names the card: a PaygentToken.js token, or a saved card (カード情報お預り). */
export type CardSpec = { token: string } | { customerId: string; customerCardId: string }

/** 020's 支払区分: payment_class 10 1回払い, 23 ボーナス1回, 61 分割 (+ split_count), 80 リボ. */
export interface PaymentClass {
  paymentClass: "10" | "23" | "61" | "80"
  splitCount?: number
}

/** The 3-D Secure part of a 020: an EMV 3DS result, or 3dsecure_ryaku=1 (no 3-D Secure). */
export type ThreeDSSpec = { authId: string } | { ryaku: true }

export type Fields = Record<string, string>

/** A PAYGENT error answer: the code, its detail, and the payment_id PAYGENT kept (2003). */
export class PaygentError extends GatewayError {
  constructor(
    readonly responseCode: string,
    readonly responseDetail: string,
    readonly fields: Fields,
    kind?: GatewayError["kind"]
  ) {
    const info = describeCode(responseCode, responseDetail)
    super({ code: responseCode, kind: kind ?? info.kind, message: info.en, messageJa: info.ja })
    this.name = "PaygentError"
  }
  get paymentId(): string | undefined {
    return this.fields.payment_id || undefined
  }
}

/** Telegrams that move money or cards: a lost or unreadable answer leaves their outcome unknown. */
const MUTATING = new Set(["020", "021", "022", "023", "025", "026", "028", "029"])

function effectOf(kind: string): Effect {
  return MUTATING.has(kind) ? "moves" : "reads"
}

/** At most 3 retries of a 2003 by payment_id (SPEC-MAIN 020 response); after that PAYGENT answers 2001. */
export const RETRIES_2003 = 3

export class PaygentClient {
  private transport: Transport | undefined

  constructor(private readonly config: PaygentClientConfig) {}

  // ---- EMV 3-D Secure ----------------------------------------------------------------------------

  /** 450 EMV 3Dセキュア認証電文 (UTF-8): answers 3ds_auth_id and out_acs_html, the page the browser shows. */
  async threeDSAuthenticate(p: {
    tradingId: string
    termUrl: string
    merchantName: string
    amount: number
    card: CardSpec
    cardholderName?: string
    email?: string
    phone?: string
    /** bill_address_* (risk data), already in PAYGENT's words. */
    billing?: Record<string, string>
  }): Promise<Fields> {
    const card =
      "token" in p.card
        ? { card_set_method: "token", card_token: p.card.token }
        : { card_set_method: "customer", customer_id: p.card.customerId, customer_card_id: p.card.customerCardId }
    const a = await this.telegram("450", {
      trading_id: p.tradingId,
      site_id: this.config.siteId,
      term_url: p.termUrl,
      merchant_name: p.merchantName,
      authentication_type: "01",
      ...card,
      payment_amount: String(p.amount),
      cardholder_name: p.cardholderName,
      email_address: p.email,
      // a landline in home_phone_*, a mobile number in mobile_phone_*
      ...phonePair(p.phone),
      ...(p.billing ?? {}),
    })
    if (!a.fields["3ds_auth_id"] || !a.fields.out_acs_html) throw malformed("450", "no 3ds_auth_id or out_acs_html in a successful answer")
    return a.fields
  }

  // ---- card payments -----------------------------------------------------------------------------

  /** 020 カード決済オーソリ (sales_mode=1: authorization and capture at once). */
  async authorize(p: { tradingId: string; amount: number; capture: boolean; card: CardSpec; threeDS: ThreeDSSpec; paymentClass?: PaymentClass; paymentId?: string }): Promise<Fields> {
    const pc = p.paymentClass ?? { paymentClass: "10" }
    const card = "token" in p.card ? { card_token: p.card.token } : { stock_card_mode: "1", customer_id: p.card.customerId, customer_card_id: p.card.customerCardId }
    const tds = "authId" in p.threeDS ? { "3dsecure_use_type": "2", "3ds_auth_id": p.threeDS.authId } : { "3dsecure_ryaku": "1" }
    const a = await this.telegram("020", {
      trading_id: p.tradingId,
      payment_id: p.paymentId,
      site_id: this.config.siteId,
      payment_amount: String(p.amount),
      payment_class: pc.paymentClass,
      // split_count only with 61 (分割).
      split_count: pc.paymentClass === "61" ? String(pc.splitCount) : undefined,
      ...card,
      ...tds,
      sales_mode: p.capture ? "1" : "0",
    })
    if (!a.fields.payment_id) throw malformed("020", "no payment_id in a successful answer")
    return a.fields
  }

  /** 021 オーソリキャンセル. */
  async voidAuthorization(paymentId: string): Promise<Fields> {
    return (await this.telegram("021", { payment_id: paymentId })).fields
  }

  /** 022 売上 (capture); it takes no amount. */
  async capture(paymentId: string): Promise<Fields> {
    return (await this.telegram("022", { payment_id: paymentId })).fields
  }

  /** 023 売上キャンセル. */
  async cancelSale(paymentId: string): Promise<Fields> {
    return (await this.telegram("023", { payment_id: paymentId })).fields
  }

  /**
   * 028 補正オーソリ / 029 補正売上: decrease an authorization or a sale. reduction_flag=1 = `amount` is
   * the reduction. The answer's payment_id is a NEW payment that replaces the old one.
   */
  async correct(p: { kind: "028" | "029"; paymentId: string; reduction: number }): Promise<Fields> {
    const a = await this.telegram(p.kind, {
      payment_id: p.paymentId,
      payment_amount: String(p.reduction),
      reduction_flag: "1",
      // 0 = create the new payment first, then cancel the original: never a moment with nothing held.
      base_payment_cancel_timing: "0",
    })
    if (!a.fields.payment_id) throw malformed(p.kind, "no new payment_id in a successful answer")
    return a.fields
  }

  /** 094 決済情報照会 by payment_id or trading_id. */
  async reference(p: { paymentId: string } | { tradingId: string }): Promise<Fields> {
    const a = await this.telegram("094", "paymentId" in p ? { payment_id: p.paymentId, payment_type: "02" } : { trading_id: p.tradingId, payment_type: "02" })
    return a.fields
  }

  /** 091 決済情報差分照会: one notification per call; success_code 1 = nothing more. */
  async pullNotice(paymentNoticeId?: string): Promise<Fields & { success_code: string }> {
    const a = await this.telegram("091", { payment_notice_id: paymentNoticeId })
    return { ...a.fields, success_code: a.fields.success_code ?? "" }
  }

  // ---- saved cards (カード情報お預り機能) ---------------------------------------------------------

  /** 025 カード情報設定. */
  async saveCard(p: { customerId: string; token: string }): Promise<Fields> {
    const a = await this.telegram("025", { customer_id: p.customerId, card_token: p.token, site_id: this.config.siteId })
    if (!a.fields.customer_card_id) throw malformed("025", "no customer_card_id in a successful answer")
    return a.fields
  }

  /** 026 カード情報削除 (no customer_card_id = every card of the customer). */
  async deleteCard(p: { customerId: string; customerCardId?: string }): Promise<Fields> {
    return (await this.telegram("026", { customer_id: p.customerId, customer_card_id: p.customerCardId })).fields
  }

  /** 027 カード情報照会 (CSV). P026 (no card) is an empty list, not an error. */
  async listCards(p: { customerId: string; customerCardId?: string }): Promise<Fields[]> {
    try {
      const a = await this.csvTelegram("027", { customer_id: p.customerId, customer_card_id: p.customerCardId, return_fingerprint_flg: "1" })
      return a.rows
    } catch (e) {
      if (e instanceof PaygentError && (e.responseCode === "P026" || e.responseCode === "P024")) return []
      throw e
    }
  }

  async close(): Promise<void> {
    await this.transport?.close()
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  /** 共通ヘッダ部 + data part; an absent value is left out (the module sends "" for null). */
  private buildRequest(kind: string, data: Record<string, string | undefined>): Record<string, string | undefined> {
    return {
      merchant_id: this.config.merchantId,
      connect_id: this.config.connectId,
      connect_password: this.config.connectPassword,
      telegram_kind: kind,
      telegram_version: this.config.telegramVersion,
      ...data,
    }
  }

  private async commit(kind: string, data: Record<string, string | undefined>): Promise<string> {
    const transport = this.transportOrLoad()
    const effect = effectOf(kind)
    const res = await transport.request({ method: "POST", path: pathFor(kind), form: this.buildRequest(kind, data), charset: charsetFor(kind), effect })
    // The module treats any status outside 200–206 as a connection error (E02005).
    if (res.status < 200 || res.status > 206) throw httpError(NAME, res.status, effect, `telegram ${kind}`)
    // The body is in the telegram's charset; a Content-Type that names one wins.
    return decodeBody(res.body, charsetOf(res.headers) ?? (charsetFor(kind) === "utf-8" ? "utf-8" : "windows-31j"))
  }

  private async telegram(kind: string, data: Record<string, string | undefined>): Promise<Answer> {
    const text = await this.commit(kind, data)
    const a = readAnswer(NAME, effectOf(kind), () => parseKeyValue(text))
    if (!success(a)) throw this.error(kind, a.responseCode, a.responseDetail, a.fields)
    return a
  }

  private async csvTelegram(kind: string, data: Record<string, string | undefined>): Promise<CsvAnswer> {
    if (!CSV_KINDS.has(kind)) throw new Error(`${kind} is not a CSV telegram`)
    const text = await this.commit(kind, data)
    const a = readAnswer(NAME, effectOf(kind), () => parseCsv(text))
    if (!success(a)) throw this.error(kind, a.responseCode, a.responseDetail, {})
    return a
  }

  private error(kind: string, code: string, detail: string, fields: Fields): PaygentError {
    if (!code) return new PaygentError("E01901", detail, fields, effectOf(kind) === "moves" ? "unknown_outcome" : "retry")
    return new PaygentError(code, detail, fields)
  }

  /** The transport, made on first use: certificate files are read then, not at boot. */
  private transportOrLoad(): Transport {
    if (!this.transport) {
      this.transport = new Transport(NAME, SECRET_FIELDS, { ...this.config, tls: loadTls(this.config) })
    }
    return this.transport
  }
}

function success(a: { result: string }): boolean {
  return a.result === "0"
}

/** An unreadable answer to telegram `kind`. */
function malformed(kind: string, detail: string): GatewayError {
  return unreadable(NAME, effectOf(kind), `telegram ${kind}: ${detail}`)
}

/** A Japanese phone number as 450 wants it: country code apart, the leading 0 dropped. */
export function mobilePhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined
  let d = phone.replace(/[^\d+]/g, "")
  if (d.startsWith("+81")) d = d.slice(3)
  else if (d.startsWith("+")) return undefined
  d = d.replace(/^0/, "")
  return /^\d{9,10}$/.test(d) ? d : undefined
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/

function readPemOrFile(value: string, what: string): Buffer {
  if (PEM.test(value)) return Buffer.from(value)
  try {
    return readFileSync(value)
  } catch (e) {
    throw new GatewayError({
      code: "E02004",
      kind: "merchant",
      message: `PAYGENT ${what} could not be read from ${value}: ${(e as Error).message}`,
      messageJa: `ペイジェントの${what}を読み込めませんでした (${value})`,
    })
  }
}

/**
 * The 接続キット as TLS options: a PEM bundle (certificate + encrypted key) or a separate key, or a
 * PKCS#12 file; TLS 1.2 as PAYGENT requires (MOD-JAVA17 §1-1), which also allows its renegotiation.
 */
export function loadTls(c: Pick<PaygentClientConfig, "clientCertificate" | "clientKey" | "clientKeyPassphrase" | "caCertificate">): NonNullable<TransportOptions["tls"]> {
  const cert = readPemOrFile(c.clientCertificate, "client certificate")
  const ca = c.caCertificate ? readPemOrFile(c.caCertificate, "CA certificate") : undefined
  const base = { passphrase: c.clientKeyPassphrase, ca, minVersion: "TLSv1.2" as const, maxVersion: "TLSv1.2" as const }
  if (!PEM.test(cert.toString("latin1"))) return { ...base, pfx: cert } // PKCS#12 (.pfx/.p12) is DER
  const key = c.clientKey ? readPemOrFile(c.clientKey, "client key") : cert
  if (!/PRIVATE KEY-----/.test(key.toString("latin1"))) {
    throw new GatewayError({ code: "E02004", kind: "merchant", message: "PAYGENT client certificate has no private key: set clientKey", messageJa: "クライアント証明書の秘密鍵がありません" })
  }
  return { ...base, cert, key }
}

/**
 * Boot-time check of the 接続キット: when the files are there (or the PEM is inline), the certificate,
 * its key and passphrase and the CA must make a TLS context; a wrong passphrase or a key that does
 * not match stops the boot with a message, instead of failing the first payment. Files not yet
 * deployed are left to the first telegram. Returns the problem, or null.
 */
export function checkTlsAtBoot(c: Pick<PaygentClientConfig, "clientCertificate" | "clientKey" | "clientKeyPassphrase" | "caCertificate">): string | null {
  const present = (v: string | undefined) => v === undefined || PEM.test(v) || existsSync(v)
  if (!present(c.clientCertificate) || !present(c.clientKey) || !present(c.caCertificate)) return null
  try {
    const { minVersion: _min, maxVersion: _max, ...tls } = loadTls(c)
    createSecureContext(tls)
    return null
  } catch (e) {
    return `the client certificate, its key, passphrase or CA cannot be used: ${(e as Error).message}`
  }
}
