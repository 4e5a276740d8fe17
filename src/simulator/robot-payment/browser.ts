/**
 * Browser-facing endpoints used by the simulator's CPToken.js and
 * EMV3DSAdapter.js (the real gateway's internal endpoints are not public,
 * so these are the simulator's own, documented in README.md):
 *
 *   POST /gateway/token/create       JSON {aid, cn, ed, fn, ln, cvv?} (the spec's tokenRequest: md/pt go with the payment)
 *                                    → {resultCode:"Success", errMsg:"", token} | {resultCode:"ERxxx", errMsg}
 *   POST /gateway/3ds/authenticate   JSON {aid, tkn, am, tx, sf, em?, pn?} | {aid, tkn, uid}
 *                                    → {resultCode:"Success", errMsg:"" [, challengeId, challengeUrl]} | {resultCode:"ERxxx", errMsg}
 *   GET  /gateway/3ds/challenge?id=  the issuer (ACS) challenge page
 *   POST /gateway/3ds/challenge      form id, otp, action=submit|cancel
 */
import { ER_CODES, GatewayError, fail } from "./codes"
import { CHALLENGE_OTP, cardBehaviour, maskPan } from "./cards"
import { randomAlnum, type SimState, type StoreConfig, type ThreeDSRecord, type TokenRecord } from "./state"
import { challengePage, challengeResultPage } from "./scripts"
import {
  validateAid,
  validateAmount,
  validateCardName,
  validateCardNumber,
  validateCvv,
  validateEm,
  validateExpiry,
  validateIid,
  validatePn,
  validateTotal,
  validateUid,
} from "./validate"

export interface BrowserResult {
  resultCode: string
  errMsg: string
  token?: string
  challengeId?: string
  challengeUrl?: string
}

function errorResult(e: unknown): BrowserResult {
  if (e instanceof GatewayError) {
    return { resultCode: e.code, errMsg: `${ER_CODES[e.code]}${e.detail ? `: ${e.detail}` : ""}` }
  }
  throw e
}

function originOf(u: string): string | undefined {
  try {
    return new URL(u).origin
  } catch {
    return undefined
  }
}

/**
 * 決済データ送信元URL check (ER002). Entries of allowedReferers are URL
 * prefixes: a request passes when its Referer starts with one of them, or
 * its Origin equals the origin of one of them. No list = no check.
 */
export function refererAllowed(store: StoreConfig, origin: string | undefined, referer: string | undefined): boolean {
  const list = store.allowedReferers
  if (!list || list.length === 0) return true
  return list.some((a) => (referer !== undefined && referer.startsWith(a)) || (origin !== undefined && origin !== "null" && originOf(a) === origin))
}

export class BrowserEndpoints {
  constructor(
    private readonly state: SimState,
    private readonly opts: { tokenTtlMs: number },
  ) {}

  private store(aidRaw: string | undefined, origin: string | undefined, referer: string | undefined) {
    const aid = validateAid(aidRaw)
    const store = this.state.stores.get(aid)
    if (!store) fail("ER004", `store ${aid} is not configured in the simulator`)
    if (!refererAllowed(store, origin, referer)) fail("ER002", "店舗設定からリファラーURLを設定してください (Origin/Referer not in allowedReferers)")
    return store
  }

  /** CPToken.TokenCreate / CardInfo. */
  createToken(f: Record<string, string>, origin?: string, referer?: string): BrowserResult {
    try {
      const store = this.store(f.aid, origin, referer)
      const pan = validateCardNumber(f.cn)
      const ed = validateExpiry(f.ed, this.state.clock.now())
      const { fn, ln } = validateCardName(f.fn, f.ln)
      const cvv = validateCvv(f.cvv)
      let token = randomAlnum(40)
      while (this.state.tokens.has(token)) token = randomAlnum(40)
      const rec: TokenRecord = { token, aid: store.aid, pan, ed, fn, ln, cvv, createdAt: this.state.clock.now(), used: false }
      this.state.tokens.set(token, rec)
      return { resultCode: "Success", errMsg: "", token }
    } catch (e) {
      return errorResult(e)
    }
  }

  /** ThreeDSAdapter.authenticate. */
  authenticate(f: Record<string, string>, origin?: string, referer?: string): BrowserResult {
    try {
      const store = this.store(f.aid, origin, referer)
      if (f.tkn === undefined || f.tkn === "") fail("ER583", "tkn is missing")
      const token = this.state.tokens.get(f.tkn)
      if (!token || token.aid !== store.aid || token.used) fail("ER584", "unknown, already used, or another store's token")
      const now = this.state.clock.now()
      if (now - token.createdAt > this.opts.tokenTtlMs) fail("ER585", "token is older than its 15-minute life")
      const hasUid = f.uid !== undefined && f.uid !== ""
      const hasAmounts = ["am", "tx", "sf"].some((k) => f[k] !== undefined)
      if (hasUid && hasAmounts) {
        fail("ER001", "uid must not be given together with am/tx/sf (the 一括登録決済 authenticate takes no uid)")
      }
      if (f.iid !== undefined) {
        validateIid(f.iid)
        fail("ER005", "商品登録あり: no products are registered in the simulator")
      }
      const flow = cardBehaviour(token.pan).threeDS
      const base: Pick<ThreeDSRecord, "flow" | "status" | "at"> = {
        flow,
        status: flow === "challenge" ? "pending" : flow === "frictionless" ? "success" : "failed",
        at: now,
      }
      let rec: ThreeDSRecord
      if (hasUid) {
        rec = { ...base, mode: "registration", uid: validateUid(f.uid) }
      } else {
        const am = validateAmount(f.am, "am")
        const tx = validateAmount(f.tx, "tx")
        const sf = validateAmount(f.sf, "sf")
        validateTotal(am + tx + sf, true)
        const em = validateEm(f.em)
        const pn = validatePn(f.pn)
        rec = { ...base, mode: "payment", am, tx, sf, ...(em ? { em } : {}), ...(pn ? { pn } : {}) }
      }
      if (token.threeDS?.challengeId) this.state.challenges.delete(token.threeDS.challengeId)
      if (flow === "challenge") {
        rec.challengeId = randomAlnum(24)
        this.state.challenges.set(rec.challengeId, token.token)
      }
      token.threeDS = rec
      return rec.challengeId
        ? { resultCode: "Success", errMsg: "", challengeId: rec.challengeId, challengeUrl: `/gateway/3ds/challenge?id=${rec.challengeId}` }
        : { resultCode: "Success", errMsg: "" }
    } catch (e) {
      return errorResult(e)
    }
  }

  private challengeToken(id: string | undefined): TokenRecord | undefined {
    if (!id) return undefined
    const tkn = this.state.challenges.get(id)
    const token = tkn ? this.state.tokens.get(tkn) : undefined
    return token?.threeDS?.challengeId === id ? token : undefined
  }

  /** GET /gateway/3ds/challenge?id= → [status, html] */
  challengeGet(id: string | undefined): [number, string] {
    const token = this.challengeToken(id)
    if (!token || !token.threeDS || !id) return [404, challengeResultPage({ id: id ?? "", ok: false, message: "この認証セッションは無効です。" })]
    const t = token.threeDS
    if (t.status !== "pending") {
      return [200, challengeResultPage({ id, ok: t.status === "success", message: "この認証は完了しています。" })]
    }
    const amount = t.mode === "payment" ? `¥${((t.am ?? 0) + (t.tx ?? 0) + (t.sf ?? 0)).toLocaleString("ja-JP")}` : "カード登録"
    return [200, challengePage({ id, aid: token.aid, amount, card: maskPan(token.pan), otpHint: CHALLENGE_OTP })]
  }

  /** POST /gateway/3ds/challenge (form id, otp, action) → [status, html] */
  challengePost(f: Record<string, string>): [number, string] {
    const id = f.id
    const token = this.challengeToken(id)
    if (!token || !token.threeDS || !id) return [404, challengeResultPage({ id: id ?? "", ok: false, message: "この認証セッションは無効です。" })]
    const t = token.threeDS
    if (t.status !== "pending") {
      return [200, challengeResultPage({ id, ok: t.status === "success", message: "この認証は完了しています。" })]
    }
    if (f.action === "cancel") {
      t.status = "failed"
      return [200, challengeResultPage({ id, ok: false, message: "認証がキャンセルされました。" })]
    }
    if (f.action === "submit" && f.otp === CHALLENGE_OTP) {
      t.status = "success"
      return [200, challengeResultPage({ id, ok: true, message: "認証しました。" })]
    }
    t.status = "failed"
    return [200, challengeResultPage({ id, ok: false, message: "ワンタイムパスワードが違います。認証に失敗しました。" })]
  }
}
