// ROBOT PAYMENT client: one method per gateway operation, in the gateway's own words.
// Public operations first, then the private vocabulary every gateway client shares:
// commit (send), parse, success?, error (message); scrubbing is the transport's redaction of SECRET_FIELDS.
import type { GatewayError } from "../../core/gateway"
import { Transport, charsetOf, decodeBody, type Logger } from "../../core/http"
import { codeError, httpError, malformed as unreadable, readAnswer, type Effect } from "../../core/vocabulary"
import { parseAnswer, parsePaymentRecord, parseUserRecord, SECRET_FIELDS, type MdPt, type PaymentRecord, type UserRecord } from "./codec"
import { describeCode } from "./codes"

const NAME = "ROBOT PAYMENT"

export type JobType = "AUTH" | "CAPTURE"

export const PATHS = {
  token: "/gateway/gateway_token.aspx",
  gateway: "/gateway/gateway.aspx",
  onetouch: "/gateway/onetouch.aspx",
  carduser: "/gateway/carduser.aspx",
  carduserToken: "/gateway/carduser_token.aspx",
  js: "/gateway/js",
} as const

export interface RobotPaymentClientConfig {
  aid: string
  baseUrl: string
  timeoutMs?: number
  connectTimeoutMs?: number
  logger?: Logger
}

/** Amount fields every payment carries: am + tx + sf is what the card company sees. */
export interface Amounts {
  am: number
  tx: number
  sf: number
}

export interface Payer {
  em?: string
  pn?: string
}

export interface RpUser {
  uid: string
  key: string
  em?: string
  pn?: string
}

export interface RpCard {
  num: string
  /** Last four digits behind asterisks, as the gateway gives it: `*****1111`. */
  cn: string
  /** YYMM */
  ed: string
  fn: string
  ln: string
}

export class RobotPaymentClient {
  private readonly transport: Transport

  constructor(private readonly config: RobotPaymentClientConfig) {
    this.transport = new Transport(NAME, SECRET_FIELDS, config)
  }

  /** URLs of the browser scripts (CPToken.js, EMV3DSAdapter.js and the jQuery they may need). */
  scriptUrls(): { jquery: string; cpToken: string; threeDS: string } {
    const base = this.config.baseUrl.replace(/\/+$/, "") + PATHS.js
    return { jquery: `${base}/jquery.js`, cpToken: `${base}/CPToken.js`, threeDS: `${base}/EMV3DSAdapter.js` }
  }

  // ---- payments -------------------------------------------------------------------------------

  /** トークン決済 on gateway_token.aspx (rt=1). With `uid` it is the one-shot user + card registration payment. */
  async tokenPayment(p: { jb: JobType; cod: string; tkn: string; amounts: Amounts; payer: Payer; uid?: string; method?: MdPt }): Promise<PaymentRecord> {
    return this.payment(PATHS.token, {
      jb: p.jb,
      rt: "1",
      cod: p.cod,
      tkn: p.tkn,
      em: p.payer.em,
      pn: p.payer.pn,
      ...amountParams(p.amounts),
      md: p.method?.md,
      pt: p.method?.pt,
      uid: p.uid,
    }, { registration: p.uid !== undefined })
  }

  /** ワンタッチ課金 (商品登録なし) on onetouch.aspx with a saved card. */
  async oneTouch(p: { jb: JobType; cod: string; uid: string; key: string; num: string; amounts: Amounts; payer?: Payer; method?: MdPt }): Promise<PaymentRecord> {
    return this.payment(PATHS.onetouch, {
      rt: "1",
      cmd: "4",
      cod: p.cod,
      uid: p.uid,
      key: p.key,
      num: p.num,
      jb: p.jb,
      ...amountParams(p.amounts),
      em: p.payer?.em,
      pn: p.payer?.pn,
      md: p.method?.md,
      pt: p.method?.pt,
    })
  }

  /** 実売上: capture an AUTH (gateway.aspx jb=SALES, tid = gid). */
  async sales(gid: string): Promise<PaymentRecord> {
    return this.payment(PATHS.gateway, { jb: "SALES", rt: "1", tid: gid })
  }

  /** 取消: void an AUTH or cancel a captured sale, which is the full refund (gateway.aspx jb=CANCEL). */
  async cancel(gid: string): Promise<PaymentRecord> {
    return this.payment(PATHS.gateway, { jb: "CANCEL", rt: "1", tid: gid })
  }

  // ---- users and cards ------------------------------------------------------------------------

  async registerUser(u: { uid: string } & Payer): Promise<RpUser> {
    const r = await this.user(PATHS.carduser, { cmd: "0", uid: u.uid, em: u.em, pn: u.pn }, 0, "moves")
    return { uid: r.uid || u.uid, key: r.key, em: u.em, pn: u.pn }
  }

  /** ユーザー参照: also how the key of an existing user is found again. */
  async readUser(uid: string): Promise<RpUser> {
    const r = await this.user(PATHS.carduser, { cmd: "3", uid }, 2, "reads")
    return { uid: r.uid || uid, key: r.key, em: r.rest[0] || undefined, pn: r.rest[1] || undefined }
  }

  async updateUser(u: { uid: string; key: string } & Payer): Promise<RpUser> {
    const r = await this.user(PATHS.carduser, { cmd: "1", uid: u.uid, key: u.key, em: u.em, pn: u.pn }, 0, "moves")
    return { uid: r.uid || u.uid, key: r.key || u.key, em: u.em, pn: u.pn }
  }

  async deleteUser(u: { uid: string; key: string }): Promise<void> {
    await this.user(PATHS.carduser, { cmd: "2", uid: u.uid, key: u.key }, 0, "moves")
  }

  /** カード情報登録 on carduser_token.aspx (the token's 3-D Secure was run with this uid). */
  async registerCard(c: { uid: string; key: string; tkn: string }): Promise<string> {
    const r = await this.user(PATHS.carduserToken, { cmd: "4", uid: c.uid, key: c.key, tkn: c.tkn }, 1, "moves")
    const num = r.rest[0]
    if (!num || !/^\d+$/.test(num)) throw malformed("moves", `card registration answered no card number (num)`)
    return num
  }

  async updateCard(c: { uid: string; key: string; num: string; tkn: string }): Promise<void> {
    await this.user(PATHS.carduserToken, { cmd: "4", uid: c.uid, key: c.key, num: c.num, tkn: c.tkn }, 1, "moves")
  }

  async readCard(c: { uid: string; key: string; num: string }): Promise<RpCard> {
    const r = await this.user(PATHS.carduser, { cmd: "6", uid: c.uid, key: c.key, num: c.num }, 5, "reads")
    const [num, cn, ed, fn, ln] = r.rest
    return { num: num || c.num, cn: cn ?? "", ed: ed ?? "", fn: fn ?? "", ln: ln ?? "" }
  }

  async deleteCard(c: { uid: string; key: string; num: string }): Promise<void> {
    await this.user(PATHS.carduser, { cmd: "5", uid: c.uid, key: c.key, num: c.num }, 1, "moves")
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  private async payment(path: string, params: Record<string, string | undefined>, opts: { registration?: boolean } = {}): Promise<PaymentRecord> {
    const answer = await this.commit(path, params, "moves")
    if (answer.shape === "error") throw error(answer.code)
    if (answer.shape !== "csv") throw malformed("moves", `answered ${answer.shape} where a payment record was expected`)
    const rec = readAnswer(NAME, "moves", () => parsePaymentRecord(answer.fields, answer.fields.join(","), opts))
    if (!success(rec)) throw error(rec.ec || "ER030")
    return rec
  }

  private async user(path: string, params: Record<string, string | undefined>, expectRest: number, effect: Effect): Promise<UserRecord> {
    const answer = await this.commit(path, params, effect)
    if (answer.shape === "error") throw error(answer.code)
    if (answer.shape !== "csv") throw malformed(effect, `answered ${answer.shape} where a user record was expected`)
    const rec = readAnswer(NAME, effect, () => parseUserRecord(answer.fields, answer.fields.join(","), expectRest))
    if (!success(rec)) throw error(rec.ec || "ER001")
    return rec
  }

  private async commit(path: string, params: Record<string, string | undefined>, effect: Effect) {
    const res = await this.transport.request({ method: "POST", path, form: { aid: this.config.aid, ...params }, effect })
    if (res.status !== 200) throw httpError(NAME, res.status, effect)
    const text = decodeBody(res.body, charsetOf(res.headers))
    return readAnswer(NAME, effect, () => parseAnswer(text))
  }
}

function success(rec: { rst: string }): boolean {
  return rec.rst === "1"
}

function amountParams(a: Amounts): Record<string, string> {
  return { am: String(a.am), tx: String(a.tx), sf: String(a.sf) }
}

/** A gateway code as a GatewayError with its meaning in both languages. */
export function error(code: string): GatewayError {
  return codeError(code, describeCode(code))
}

function malformed(effect: Effect, detail: string): GatewayError {
  return unreadable(NAME, effect, detail)
}
