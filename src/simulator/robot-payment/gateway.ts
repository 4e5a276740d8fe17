/**
 * The server-to-server endpoints of the simulated gateway:
 *
 *   /gateway/gateway_token.aspx   token payment (AUTH/CAPTURE/CHECK), with uid: 一括登録決済
 *   /gateway/gateway.aspx         jb=SALES (実売上) / jb=CANCEL (取消) with tid = gid
 *   /gateway/onetouch.aspx        ワンタッチ課金 (cmd=4) with a registered user's card
 *   /gateway/carduser.aspx        user register/update/delete/read, card delete/read (cmd 0,1,2,3,5,6)
 *   /gateway/carduser_token.aspx  card register/update with a token (cmd=4)
 *
 * Each handler validates in a fixed order and answers like the gateway:
 * rt=1 → the comma-separated record, rt=0 → "OK" or "ER:<code>" (details by
 * kickback); the user/card endpoints answer "rst,ec,uid,key[,...]".
 */
import { GatewayError, fail, type ErCode } from "./codes"
import { cardBehaviour, maskPan } from "./cards"
import { AUTO_BILLING_FIELDS, freeParams, type ParsedParams } from "./params"
import { randomAlnum, type SimState, type SimTransaction, type StoreConfig, type TokenRecord } from "./state"
import {
  requireEmOrPn,
  validateAid,
  validateAmount,
  validateCmd,
  validateCod,
  validateEm,
  validateFreeData,
  validateIid,
  validateJb,
  validateKey,
  validateContract,
  validateMdPt,
  validateNum,
  validatePn,
  validateRt,
  validateTid,
  validateTotal,
  validateUid,
} from "./validate"

export const PATHS = {
  token: "/gateway/gateway_token.aspx",
  gateway: "/gateway/gateway.aspx",
  onetouch: "/gateway/onetouch.aspx",
  carduser: "/gateway/carduser.aspx",
  carduserToken: "/gateway/carduser_token.aspx",
} as const

export const SERVER_TO_SERVER_PATHS: ReadonlySet<string> = new Set(Object.values(PATHS))

/** Fields that are never treated as free key=value data (card data, auth fields). */
const ALWAYS_KNOWN = ["aid", "cn", "ed", "fn", "ln", "cvv", "tkn", "ut", "hak", ...AUTO_BILLING_FIELDS]

const KNOWN = {
  token: new Set([...ALWAYS_KNOWN, "jb", "rt", "cod", "em", "pn", "am", "tx", "sf", "uid", "iid", "md", "pt"]),
  gateway: new Set([...ALWAYS_KNOWN, "jb", "rt", "tid", "cod", "am", "tx", "sf"]),
  onetouch: new Set([...ALWAYS_KNOWN, "cmd", "rt", "cod", "uid", "key", "num", "jb", "am", "tx", "sf", "em", "pn", "md", "pt", "iid"]),
  carduser: new Set([...ALWAYS_KNOWN, "cmd", "uid", "key", "em", "pn", "num"]),
  carduserToken: new Set([...ALWAYS_KNOWN, "cmd", "uid", "key", "num"]),
}

const AUTH_RETENTION_MS = 90 * 24 * 3600_000 // 「決済後90日以内に実売上を行ってください」

export interface S2SResult {
  /** Response body (text/html; charset=utf-8, HTTP 200). */
  body: string
  /** Kickback to send after the response, if any. */
  kickback?: { url: string; fields: Array<[string, string]> }
  /** One-line summary for the log (no token or card data). */
  summary: string
}

type Store = StoreConfig & { allowedIps: string[] }

interface TokenLookup {
  raw: string | undefined
  rec?: TokenRecord
  /** Why the token cannot pay, decided at the moment it was looked up. */
  problem?: "missing" | "invalid" | "expired"
}

/** A failure that belongs to the payment result (kickback-worthy), not to request validation. */
class PaymentDeclined extends Error {
  constructor(readonly code: string, readonly detail: string) {
    super(`${code} ${detail}`)
  }
}

const clean = (s: string | undefined): string => (s ?? "").replace(/[,\r\n]/g, "")
const freeText = (free: Array<[string, string]>): string[] => free.map(([k, v]) => `${k}=${v}`)

export function normaliseIp(ip: string | undefined): string {
  if (!ip) return ""
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip
}

export class GatewayEndpoints {
  constructor(
    private readonly state: SimState,
    private readonly opts: { tokenTtlMs: number; log: (line: string) => void },
  ) {}

  handle(path: string, method: string, params: ParsedParams | GatewayError, remoteAddress: string): S2SResult {
    const p: ParsedParams = params instanceof GatewayError ? { map: Object.create(null), order: [] } : params
    const pre = (): void => {
      if (method !== "GET" && method !== "POST") fail("ER107", `method ${method} (GET or POST only)`)
      if (params instanceof GatewayError) throw params
    }
    switch (path) {
      case PATHS.token:
        return this.gatewayToken(p, pre, remoteAddress)
      case PATHS.gateway:
        return this.salesCancel(p, pre, remoteAddress)
      case PATHS.onetouch:
        return this.onetouch(p, pre, remoteAddress)
      case PATHS.carduser:
        return this.carduser(p, pre, remoteAddress)
      case PATHS.carduserToken:
        return this.carduserToken(p, pre, remoteAddress)
      default:
        throw new Error(`not a gateway endpoint: ${path}`)
    }
  }

  // ---------------------------------------------------------------- common

  /** aid (ER050), configured store (ER004), source IP (ER003). */
  private authStore(aidRaw: string | undefined, remoteAddress: string): Store {
    const aid = validateAid(aidRaw)
    const store = this.state.stores.get(aid)
    if (!store) fail("ER004", `store ${aid} is not configured in the simulator`)
    const ip = normaliseIp(remoteAddress)
    const allowed = store.allowedIps.map(normaliseIp)
    if (!allowed.includes(ip)) fail("ER003", `source IP ${ip} is not in the store's 決済データ送信元IP list`)
    return store
  }

  private rt(raw: string | undefined, store: Store): "0" | "1" {
    const rt = validateRt(raw)
    if (rt === "0" && !store.kickbackUrl) fail("ER052", "rt=0 needs a 決済結果通知URL (kickbackUrl) for the store")
    return rt
  }

  private noAutoBilling(m: Record<string, string>): void {
    const f = AUTO_BILLING_FIELDS.find((k) => k in m)
    if (f) fail("ER001", `auto-billing (自動課金) parameter ${f} is not simulated`)
  }

  /**
   * Look the token up and CONSUME it: a token is single use, and any payment
   * or card registration that names a live token uses it up, even when the
   * request then fails.
   */
  private lookupToken(raw: string | undefined, aid: string): TokenLookup {
    if (raw === undefined || raw === "") return { raw, problem: "missing" }
    const rec = this.state.tokens.get(raw)
    if (!rec || rec.aid !== aid || rec.used) return { raw, rec, problem: "invalid" }
    const now = this.state.clock.now()
    rec.used = true
    rec.usedAt = now
    if (now - rec.createdAt > this.opts.tokenTtlMs) return { raw, rec, problem: "expired" }
    return { raw, rec }
  }

  private checkToken(t: TokenLookup): TokenRecord {
    if (t.problem === "missing") fail("ER583", "tkn is missing")
    if (t.problem === "invalid" || !t.rec) fail("ER584", "unknown, already used, or another store's token")
    if (t.problem === "expired") fail("ER585", "token is older than its 15-minute life")
    return t.rec
  }

  /** ThreeDSAdapter.authenticate must have run on the token with the same values. */
  private check3DS(
    token: TokenRecord,
    want: { kind: "payment" | "payment-uid"; am: number; tx: number; sf: number; em: string; pn: string } | { kind: "registration"; uid: string },
  ): "frictionless" | "challenge" {
    const t = token.threeDS
    if (!t) throw new PaymentDeclined("ER900", "ThreeDSAdapter.authenticate was not run for this token")
    if (want.kind === "registration") {
      if (t.mode !== "registration") {
        throw new PaymentDeclined("ER901", "token was authenticated for a payment (am/tx/sf); card registration needs authenticate with uid")
      }
      if (t.uid !== want.uid) throw new PaymentDeclined("ER901", `uid differs from the uid given to authenticate`)
    } else {
      if (t.mode !== "payment") {
        throw new PaymentDeclined("ER901", "token was authenticated with uid (card registration); a payment needs authenticate with am/tx/sf and no uid")
      }
      if (t.am !== want.am || t.tx !== want.tx || t.sf !== want.sf) {
        throw new PaymentDeclined("ER901", `am/tx/sf ${want.am}/${want.tx}/${want.sf} differ from authenticate ${t.am}/${t.tx}/${t.sf}`)
      }
      const aem = t.em ?? ""
      const apn = t.pn ?? ""
      if (want.kind === "payment-uid" && aem === "" && apn === "") throw new PaymentDeclined("ER901", "authenticate for 一括登録決済 was run without em or pn")
      // 「em/pn must match between authenticate and payment, or the payment fails」: a value on one side only differs too.
      if (aem !== want.em) throw new PaymentDeclined("ER901", "em differs from the value given to authenticate")
      if (apn !== want.pn) throw new PaymentDeclined("ER901", "pn differs from the value given to authenticate")
    }
    if (t.status === "pending") throw new PaymentDeclined("ER900", "3DS challenge was not completed")
    if (t.status === "failed") throw new PaymentDeclined("ER900", "3DS authentication failed or was cancelled by the cardholder")
    return t.flow === "challenge" ? "challenge" : "frictionless"
  }

  private recordTx(tx: Omit<SimTransaction, "seq" | "createdAt" | "history">): SimTransaction {
    const at = this.state.clock.iso()
    const rec: SimTransaction = {
      ...tx,
      seq: this.state.issueSeq(),
      createdAt: at,
      history: [{ op: tx.jb, at, ok: tx.rst === "1", ...(tx.ec ? { ec: tx.ec } : {}) }],
    }
    this.state.transactions.push(rec)
    return rec
  }

  /** rt=1 record / rt=0 body and the kickback for a payment (gateway_token / onetouch). */
  private paymentAnswer(args: {
    path: string
    rtRaw: string | undefined
    store?: Store
    outcome: { ok: true; tx: SimTransaction } | { ok: false; ec: string; detail: string; kickback: boolean; tx?: SimTransaction }
    cod: string
    free: Array<[string, string]>
    /** [uid, key, num] fields 13–15 for the 一括登録決済, undefined otherwise. */
    user?: [string, string, string]
  }): S2SResult {
    const { outcome, cod, free, user } = args
    let fields: Array<[string, string]>
    if (outcome.ok) {
      const t = outcome.tx
      fields = [
        ["gid", t.gid], ["rst", "1"], ["ap", t.ap], ["ec", ""], ["god", t.god], ["cod", t.cod],
        ["am", String(t.am)], ["tx", String(t.tx)], ["sf", String(t.sf)], ["ta", String(t.ta)],
      ]
    } else {
      fields = [
        ["gid", "0"], ["rst", "2"], ["ap", ""], ["ec", outcome.ec], ["god", ""], ["cod", cod],
        ["am", "0"], ["tx", "0"], ["sf", "0"], ["ta", "0"],
      ]
    }
    const userFields: Array<[string, string]> = user ? [["uid", user[0]], ["key", user[1]], ["num", user[2]]] : []
    const csv = [...fields.map(([, v]) => v), "", "", ...userFields.map(([, v]) => v), ...freeText(free)].join(",")
    const body = args.rtRaw === "0" ? (outcome.ok ? "OK" : `ER:${outcome.ec}`) : csv
    const wantsKickback = outcome.ok || outcome.kickback
    const kickback =
      wantsKickback && args.store?.kickbackUrl ? { url: args.store.kickbackUrl, fields: [...fields, ...userFields, ...free] } : undefined
    const summary = outcome.ok ? `${args.path} → rst=1 gid=${outcome.tx.gid}` : `${args.path} → ${outcome.ec} ${outcome.detail}`
    return { body, kickback, summary }
  }

  // ------------------------------------------------------ gateway_token.aspx

  private gatewayToken(p: ParsedParams, pre: () => void, ip: string): S2SResult {
    const m = p.map
    const free = freeParams(p, KNOWN.token)
    const withUid = m.uid !== undefined
    const userEcho = (): [string, string, string] | undefined => (withUid ? [clean(m.uid), "", ""] : undefined)
    let store: Store | undefined
    let cod = clean(m.cod)
    try {
      pre()
      store = this.authStore(m.aid, ip)
      const tok = this.lookupToken(m.tkn, store.aid)
      this.rt(m.rt, store)
      if (m.iid !== undefined) {
        validateIid(m.iid)
        fail("ER005", "商品登録あり: no products are registered in the simulator")
      }
      const jb = validateJb(m.jb, withUid ? (["AUTH", "CAPTURE"] as const) : (["AUTH", "CAPTURE", "CHECK"] as const))
      cod = validateCod(m.cod)
      const am = validateAmount(m.am, "am")
      const tx = validateAmount(m.tx, "tx")
      const sf = validateAmount(m.sf, "sf")
      const ta = am + tx + sf
      validateTotal(ta, jb === "CHECK")
      const em = validateEm(m.em)
      const pn = validatePn(m.pn)
      const { md, pt } = validateMdPt(m.md, m.pt)
      validateContract(md, pt, store.paymentMethods)
      let uid: string | undefined
      if (withUid) {
        uid = validateUid(m.uid)
        requireEmOrPn(em, pn)
        if (this.state.users.has(this.state.userKey(store.aid, uid))) fail("ER021", `uid ${uid} is already registered`)
      }
      this.noAutoBilling(m)
      validateFreeData(free)
      if (m.cn !== undefined) fail("ER586", "cn must not be sent with a token payment")
      const token = this.checkToken(tok)

      // ---- payment stage: failures from here on are payment results (kickback)
      try {
        const flow = this.check3DS(token, { kind: withUid ? "payment-uid" : "payment", am, tx, sf, em, pn })
        const card = cardBehaviour(token.pan)
        const base = {
          aid: store.aid, endpoint: "gateway_token" as const, jb, cod, md, pt, rt: m.rt as "0" | "1",
          cardLast4: token.pan.slice(-4), threeDS: flow, free: Object.fromEntries(free),
        }
        if (card.decline) {
          const failed = this.recordTx({
            ...base, gid: "0", god: "", state: "FAILED", rst: "2", ap: "", ec: card.decline, am, tx, sf, ta,
            ...(uid ? { uid } : {}),
          })
          return this.paymentAnswer({
            path: PATHS.token, rtRaw: m.rt, store, cod, free, user: userEcho(),
            outcome: { ok: false, ec: card.decline, detail: card.label, kickback: true, tx: failed },
          })
        }
        let user: [string, string, string] | undefined
        if (uid) {
          const now = this.state.clock.iso()
          const key = randomAlnum(10)
          this.state.users.set(this.state.userKey(store.aid, uid), {
            aid: store.aid, uid, key, em, pn, createdAt: now, updatedAt: now, nextNum: 2,
            cards: [{ num: "1", pan: token.pan, cn: maskPan(token.pan), last4: token.pan.slice(-4), ed: token.ed, fn: token.fn, ln: token.ln, createdAt: now, updatedAt: now }],
          })
          user = [uid, key, "1"]
        }
        const t = this.recordTx({
          ...base, gid: this.state.issueGid(), god: this.state.issueGod(),
          state: jb === "AUTH" ? "AUTH" : jb === "CAPTURE" ? "CAPTURED" : "CHECKED",
          rst: "1", ap: "TestMod", ec: "", am, tx, sf, ta,
          ...(user ? { uid: user[0], key: user[1], num: user[2] } : {}),
          ...(jb === "CAPTURE" ? { capturedAt: this.state.clock.iso() } : {}),
        })
        return this.paymentAnswer({ path: PATHS.token, rtRaw: m.rt, store, cod, free, user, outcome: { ok: true, tx: t } })
      } catch (e) {
        if (!(e instanceof PaymentDeclined)) throw e
        const failed = this.recordTx({
          aid: store.aid, endpoint: "gateway_token", jb, cod, md, pt, rt: m.rt as "0" | "1", cardLast4: token.pan.slice(-4),
          free: Object.fromEntries(free), gid: "0", god: "", state: "FAILED", rst: "2", ap: "", ec: e.code, am, tx, sf, ta,
          ...(uid ? { uid } : {}),
        })
        return this.paymentAnswer({
          path: PATHS.token, rtRaw: m.rt, store, cod, free, user: userEcho(),
          outcome: { ok: false, ec: e.code, detail: e.detail, kickback: true, tx: failed },
        })
      }
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e
      return this.paymentAnswer({
        path: PATHS.token, rtRaw: m.rt, store, cod, free, user: userEcho(),
        outcome: { ok: false, ec: e.code, detail: e.detail, kickback: false },
      })
    }
  }

  // ------------------------------------------------------------ gateway.aspx

  private salesCancel(p: ParsedParams, pre: () => void, ip: string): S2SResult {
    const m = p.map
    const free = freeParams(p, KNOWN.gateway)
    let store: Store | undefined
    const answerError = (code: string, detail: string): S2SResult => ({
      body: m.rt === "0" ? `ER:${code}` : ["0", "2", "", code, "", clean(m.cod), "0", "0", "0", "0", "", "", ...freeText(free)].join(","),
      summary: `${PATHS.gateway} jb=${clean(m.jb)} → ${code} ${detail}`,
    })
    let target: SimTransaction | undefined
    let jb: "SALES" | "CANCEL" | undefined
    try {
      pre()
      store = this.authStore(m.aid, ip)
      if (m.cn !== undefined) fail("ER001", "raw-card payments on gateway.aspx are not simulated; pay with a token on gateway_token.aspx")
      const rt = this.rt(m.rt, store)
      if (m.jb === "AUTH" || m.jb === "CAPTURE" || m.jb === "CHECK") {
        fail("ER001", `jb=${m.jb} on gateway.aspx is a raw-card payment, not simulated; use gateway_token.aspx`)
      }
      if (m.jb === "RETURN" || m.jb === "RETURNX") fail("ER001", `jb=${m.jb}: parameters are undocumented; not simulated`)
      jb = validateJb(m.jb, ["SALES", "CANCEL"] as const)
      validateCod(m.cod)
      for (const f of ["am", "tx", "sf"] as const) {
        if (m[f] !== undefined) fail("ER001", `${f} on jb=${jb}: partial capture/refund is undocumented and not accepted`)
      }
      this.noAutoBilling(m)
      validateFreeData(free)
      const tid = validateTid(m.tid)
      target = this.state.findTransaction(store.aid, tid)
      if (!target) fail("ER053", `no payment with gid ${tid} for store ${store.aid}`)
      const now = this.state.clock.now()
      if (jb === "SALES") {
        if (target.state !== "AUTH") fail("ER032", `transaction ${tid} is ${target.state}, not AUTH`)
        if (now - Date.parse(target.createdAt) > AUTH_RETENTION_MS) fail("ER032", "AUTH is older than 90 days")
        target.state = "CAPTURED"
        target.capturedAt = this.state.clock.iso()
      } else {
        if (target.state === "CANCELED") fail("ER033", `transaction ${tid} is already canceled`)
        if (target.state === "CHECKED") fail("ER033", `transaction ${tid} is a CHECK; nothing to cancel`)
        target.state = "CANCELED"
        target.canceledAt = this.state.clock.iso()
      }
      target.history.push({ op: jb, at: this.state.clock.iso(), ok: true })
      const fields: Array<[string, string]> = [
        ["gid", target.gid], ["rst", "1"], ["ap", target.ap], ["ec", ""], ["god", target.god], ["cod", target.cod],
        ["am", String(target.am)], ["tx", String(target.tx)], ["sf", String(target.sf)], ["ta", String(target.ta)],
      ]
      const body = rt === "0" ? "OK" : [...fields.map(([, v]) => v), "", "", ...freeText(free)].join(",")
      return {
        body,
        kickback: rt === "0" && store.kickbackUrl ? { url: store.kickbackUrl, fields: [...fields, ...free] } : undefined,
        summary: `${PATHS.gateway} jb=${jb} tid=${tid} → rst=1 (${target.state})`,
      }
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e
      if (target && jb) target.history.push({ op: jb, at: this.state.clock.iso(), ok: false, ec: e.code })
      return answerError(e.code, e.detail)
    }
  }

  // ----------------------------------------------------------- onetouch.aspx

  private onetouch(p: ParsedParams, pre: () => void, ip: string): S2SResult {
    const m = p.map
    const free = freeParams(p, KNOWN.onetouch)
    let store: Store | undefined
    let cod = clean(m.cod)
    try {
      pre()
      store = this.authStore(m.aid, ip)
      validateCmd(m.cmd, ["4"] as const)
      this.rt(m.rt, store)
      if (m.iid !== undefined) {
        validateIid(m.iid)
        fail("ER005", "商品登録あり: no products are registered in the simulator")
      }
      const jb = validateJb(m.jb, ["AUTH", "CAPTURE"] as const)
      cod = validateCod(m.cod)
      const am = validateAmount(m.am, "am")
      const tx = validateAmount(m.tx, "tx")
      const sf = validateAmount(m.sf, "sf")
      const ta = am + tx + sf
      validateTotal(ta)
      const em = validateEm(m.em)
      const pn = validatePn(m.pn)
      const { md, pt } = validateMdPt(m.md, m.pt)
      validateContract(md, pt, store.paymentMethods)
      const uid = validateUid(m.uid)
      const key = validateKey(m.key)
      const num = validateNum(m.num)
      const user = this.state.users.get(this.state.userKey(store.aid, uid))
      if (!user || user.key !== key) fail("ER021", "unknown uid or wrong key")
      const card = user.cards.find((c) => c.num === num)
      if (!card) fail("ER021", `user ${uid} has no card ${num}`)
      this.noAutoBilling(m)
      validateFreeData(free)
      if (m.cn !== undefined) fail("ER001", "onetouch.aspx takes no card number")
      if (m.tkn !== undefined) fail("ER001", "onetouch.aspx takes no token (the registered card is used)")
      // 「指定の場合は、登録されているユーザーの情報が更新されます」
      if (em !== "" || pn !== "") {
        if (em !== "") user.em = em
        if (pn !== "") user.pn = pn
        user.updatedAt = this.state.clock.iso()
      }
      const behaviour = cardBehaviour(card.pan)
      const base = {
        aid: store.aid, endpoint: "onetouch" as const, jb, cod, md, pt, rt: m.rt as "0" | "1",
        cardLast4: card.last4, free: Object.fromEntries(free), am, tx, sf, ta, uid, key, num,
      }
      if (behaviour.decline) {
        const failed = this.recordTx({ ...base, gid: "0", god: "", state: "FAILED", rst: "2", ap: "", ec: behaviour.decline })
        return this.paymentAnswer({
          path: PATHS.onetouch, rtRaw: m.rt, store, cod, free,
          outcome: { ok: false, ec: behaviour.decline, detail: behaviour.label, kickback: true, tx: failed },
        })
      }
      const t = this.recordTx({
        ...base, gid: this.state.issueGid(), god: this.state.issueGod(), state: jb === "AUTH" ? "AUTH" : "CAPTURED",
        rst: "1", ap: "TestMod", ec: "", ...(jb === "CAPTURE" ? { capturedAt: this.state.clock.iso() } : {}),
      })
      return this.paymentAnswer({ path: PATHS.onetouch, rtRaw: m.rt, store, cod, free, outcome: { ok: true, tx: t } })
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e
      return this.paymentAnswer({
        path: PATHS.onetouch, rtRaw: m.rt, store, cod, free,
        outcome: { ok: false, ec: e.code, detail: e.detail, kickback: false },
      })
    }
  }

  // ----------------------------------------------------------- carduser.aspx

  private userRecord(aid: string, uid: string, key?: string) {
    const user = this.state.users.get(this.state.userKey(aid, uid))
    if (!user) fail("ER021", `unknown uid ${uid}`)
    if (key !== undefined && user.key !== key) fail("ER021", "key does not match the uid")
    return user
  }

  private carduser(p: ParsedParams, pre: () => void, ip: string): S2SResult {
    const m = p.map
    const free = freeParams(p, KNOWN.carduser)
    const answer = (fields: string[], summary: string): S2SResult => ({ body: [...fields, ...freeText(free)].join(","), summary })
    try {
      pre()
      const store = this.authStore(m.aid, ip)
      const cmd = validateCmd(m.cmd, ["0", "1", "2", "3", "5", "6"] as const)
      if (m.cn !== undefined || m.tkn !== undefined) {
        fail("ER001", "carduser.aspx takes no card data; register cards on carduser_token.aspx")
      }
      validateFreeData(free)
      const now = this.state.clock.iso()
      switch (cmd) {
        case "0": {
          const uid = validateUid(m.uid)
          const em = validateEm(m.em)
          const pn = validatePn(m.pn)
          requireEmOrPn(em, pn)
          const k = this.state.userKey(store.aid, uid)
          if (this.state.users.has(k)) fail("ER021", `uid ${uid} is already registered`)
          const key = randomAlnum(10)
          this.state.users.set(k, { aid: store.aid, uid, key, em, pn, createdAt: now, updatedAt: now, cards: [], nextNum: 1 })
          return answer(["1", "", uid, key], `${PATHS.carduser} cmd=0 uid=${uid} → registered`)
        }
        case "1": {
          const uid = validateUid(m.uid)
          const key = validateKey(m.key)
          const user = this.userRecord(store.aid, uid, key)
          const em = validateEm(m.em)
          const pn = validatePn(m.pn)
          // 「どちらかが必須…すでに登録済みの場合は除く」: a registered user always has one of them.
          requireEmOrPn(em || user.em, pn || user.pn)
          if (em !== "") user.em = em
          if (pn !== "") user.pn = pn
          user.updatedAt = now
          return answer(["1", "", uid, key], `${PATHS.carduser} cmd=1 uid=${uid} → updated`)
        }
        case "2": {
          const uid = validateUid(m.uid)
          const key = validateKey(m.key)
          this.userRecord(store.aid, uid, key)
          this.state.users.delete(this.state.userKey(store.aid, uid))
          return answer(["1", "", uid, key], `${PATHS.carduser} cmd=2 uid=${uid} → deleted`)
        }
        case "3": {
          const uid = validateUid(m.uid)
          const user = this.userRecord(store.aid, uid)
          return answer(["1", "", uid, user.key, user.em, user.pn], `${PATHS.carduser} cmd=3 uid=${uid} → read`)
        }
        case "5": {
          const uid = validateUid(m.uid)
          const key = validateKey(m.key)
          const num = validateNum(m.num)
          const user = this.userRecord(store.aid, uid, key)
          const i = user.cards.findIndex((c) => c.num === num)
          if (i < 0) fail("ER021", `user ${uid} has no card ${num}`)
          user.cards.splice(i, 1)
          user.updatedAt = now
          return answer(["1", "", uid, key, num], `${PATHS.carduser} cmd=5 uid=${uid} num=${num} → card deleted`)
        }
        case "6": {
          const uid = validateUid(m.uid)
          const key = validateKey(m.key)
          const num = validateNum(m.num)
          const user = this.userRecord(store.aid, uid, key)
          const card = user.cards.find((c) => c.num === num)
          if (!card) fail("ER021", `user ${uid} has no card ${num}`)
          return answer(["1", "", uid, key, num, card.cn, card.ed, card.fn, card.ln], `${PATHS.carduser} cmd=6 uid=${uid} num=${num} → card read`)
        }
      }
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e
      return answer(["2", e.code, clean(m.uid), clean(m.key)], `${PATHS.carduser} cmd=${clean(m.cmd)} → ${e.code} ${e.detail}`)
    }
  }

  // ----------------------------------------------------- carduser_token.aspx

  private carduserToken(p: ParsedParams, pre: () => void, ip: string): S2SResult {
    const m = p.map
    const free = freeParams(p, KNOWN.carduserToken)
    const answer = (fields: string[], summary: string): S2SResult => ({ body: [...fields, ...freeText(free)].join(","), summary })
    try {
      pre()
      const store = this.authStore(m.aid, ip)
      const tok = this.lookupToken(m.tkn, store.aid)
      validateCmd(m.cmd, ["4"] as const)
      const uid = validateUid(m.uid)
      const key = validateKey(m.key)
      const user = this.userRecord(store.aid, uid, key)
      let num: string | undefined
      if (m.num !== undefined) {
        num = validateNum(m.num)
        if (!user.cards.some((c) => c.num === num)) fail("ER021", `user ${uid} has no card ${num} to update`)
      }
      // 「ユーザーに紐づくメールアドレス、電話番号が登録されていない場合、エラー」
      if (user.em === "" && user.pn === "") fail("ER059", "the user has neither em nor pn registered")
      validateFreeData(free)
      if (m.cn !== undefined) fail("ER586", "cn must not be sent with a token")
      const token = this.checkToken(tok)
      try {
        this.check3DS(token, { kind: "registration", uid })
      } catch (e) {
        if (e instanceof PaymentDeclined) fail(e.code as ErCode, e.detail)
        throw e
      }
      const now = this.state.clock.iso()
      const data = { pan: token.pan, cn: maskPan(token.pan), last4: token.pan.slice(-4), ed: token.ed, fn: token.fn, ln: token.ln, updatedAt: now }
      if (num !== undefined) {
        const card = user.cards.find((c) => c.num === num)
        if (card) Object.assign(card, data)
      } else {
        num = String(user.nextNum++)
        user.cards.push({ num, createdAt: now, ...data })
      }
      user.updatedAt = now
      return answer(["1", "", uid, key, num], `${PATHS.carduserToken} uid=${uid} num=${num} → card ${m.num !== undefined ? "updated" : "registered"}`)
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e
      return answer(["2", e.code, clean(m.uid), clean(m.key)], `${PATHS.carduserToken} → ${e.code} ${e.detail}`)
    }
  }
}
