// ROBOT PAYMENT wire format. Requests are form parameters (UTF-8). Answers come in three shapes:
// `OK`; `ER:<code>` (or a bare code); and one comma-separated record without a header whose fixed
// fields are followed by the free `key=value` data the request carried (the vendor's
// 「複数カード情報登録ワンタッチ課金」 spec, レスポンス(rt=1)仕様; docs/gateways/robot-payment.md §4).
import { assertDocumented, type PaymentMethod } from "../../core/payment-method"
import { CodecError } from "../../core/vocabulary"
import { PAYMENT_METHODS } from "./options"

export type RawAnswer =
  | { shape: "ok" }
  | { shape: "error"; code: string }
  | { shape: "csv"; fields: string[] }

/** Fields whose values never reach a log line: the key of a saved-card user, the card token, and the card data only the browser sends (CPToken.js). */
export const SECRET_FIELDS = ["key", "tkn", "cn", "ed", "fn", "ln", "cvv"] as const

/** 支払方法 on the wire: md 「61」分割払い with pt (回数), md 「80」リボ払い. */
export interface MdPt {
  md?: "61" | "80"
  pt?: string
}

/**
 * The md/pt of a 支払方法. 一括 sends neither (「未指定の場合は一括払い」), as every payment did before.
 * A method ROBOT PAYMENT does not document (ボーナス, an undocumented 回数) throws: core refused it already.
 */
export function mdPt(m: PaymentMethod): MdPt {
  assertDocumented(m, PAYMENT_METHODS, "ROBOT PAYMENT")
  if (m.type === "installments") return { md: "61", pt: String(m.count) }
  if (m.type === "revolving") return { md: "80" }
  return {}
}

const ERROR_CODE = /^(?:ER|G)[0-9A-Z]{2,11}$/

/** Classifies one answer body. Anything that is none of the three shapes is a CodecError. */
export function parseAnswer(body: string): RawAnswer {
  const text = body.replace(/^\uFEFF/, "").trim()
  if (text === "") throw new CodecError("empty answer", body)
  if (/^ok$/i.test(text)) return { shape: "ok" }
  const er = text.match(/^ER:\s*(\S+)$/)
  if (er) return { shape: "error", code: er[1] }
  if (ERROR_CODE.test(text)) return { shape: "error", code: text }
  if (text.includes("\n") || /[<>]/.test(text) || !text.includes(",")) {
    throw new CodecError("not a ROBOT PAYMENT answer", body)
  }
  return { shape: "csv", fields: text.split(",") }
}

function decodeFree(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, " "))
  } catch {
    return v
  }
}

/** Splits the free `key=value` tail off positional fields. */
function splitFree(fields: string[], fixed: number): { positional: string[]; free: Record<string, string> } {
  const positional = fields.slice(0, fixed)
  const free: Record<string, string> = {}
  const tail: string[] = []
  for (const f of fields.slice(fixed)) {
    const i = f.indexOf("=")
    if (i > 0) free[decodeFree(f.slice(0, i))] = decodeFree(f.slice(i + 1))
    else tail.push(f)
  }
  return { positional: positional.concat(tail), free }
}

/** The fields a payment answer and a kickback share, in the gateway's words. */
interface PaymentFields {
  gid: string
  ap: string
  ec: string
  god: string
  cod: string
  am: number
  tx: number
  sf: number
  ta: number
  uid?: string
  num?: string
  free: Record<string, string>
}

/** A payment answer (gateway_token.aspx, onetouch.aspx, gateway.aspx SALES/CANCEL) with rt=1. */
export interface PaymentRecord extends PaymentFields {
  rst: "1" | "2"
  /** uid, key and num come only with the one-shot user + card registration payment. */
  key?: string
}

function int(v: string | undefined, name: string, body: string): number {
  if (v === undefined || v === "") return 0
  if (!/^-?\d+$/.test(v)) throw new CodecError(`${name} is not a number: ${v}`, body)
  return Number(v)
}

/**
 * Fields 1–10 are fixed (gid … ta). After them come id and ps (content products only), then, for the
 * one-shot user + card registration payment, uid, key and num. The vendor's printed sample
 * (`…,1006,,012345,vnpjBycDO5,1`) has one column fewer than its table, so those three are read as the
 * last three plain fields of the tail, whatever stands before them.
 */
export function parsePaymentRecord(fields: string[], body: string, opts: { registration?: boolean } = {}): PaymentRecord {
  if (fields.length < 10) throw new CodecError(`payment record has ${fields.length} fields, expected at least 10`, body)
  const { positional: tail, free } = splitFree(fields.slice(10), 0)
  const rst = fields[1]
  if (rst !== "1" && rst !== "2") throw new CodecError(`rst is ${rst}, expected 1 or 2`, body)
  const rec: PaymentRecord = {
    gid: fields[0],
    rst,
    ap: fields[2],
    ec: fields[3],
    god: fields[4],
    cod: fields[5],
    am: int(fields[6], "am", body),
    tx: int(fields[7], "tx", body),
    sf: int(fields[8], "sf", body),
    ta: int(fields[9], "ta", body),
    free,
  }
  if (opts.registration && rst === "1") {
    while (tail.length > 3 && tail[tail.length - 1] === "") tail.pop()
    if (tail.length < 3) throw new CodecError("registration payment without uid, key and num", body)
    ;[rec.uid, rec.key, rec.num] = tail.slice(-3)
  }
  if (rst === "1" && !/^\d+$/.test(rec.gid)) throw new CodecError(`gid is not a number: ${rec.gid}`, body)
  return rec
}

/** A carduser.aspx / carduser_token.aspx answer: rst, ec, uid, key, then the command's own fields. */
export interface UserRecord {
  rst: "1" | "2"
  ec: string
  uid: string
  key: string
  rest: string[]
  free: Record<string, string>
}

export function parseUserRecord(fields: string[], body: string, expectRest: number): UserRecord {
  let f = fields
  // The vendor's printed card-read sample (`1,012345,vnjpBycDO5,1,*****9999,2512,sample,sample`)
  // has no ec column while its field table has one: accept both.
  if (f[0] === "1" && f.length === 4 + expectRest - 1 && f[1] !== "") f = [f[0], "", ...f.slice(1)]
  if (f.length < 2) throw new CodecError("user record too short", body)
  const { positional: p, free } = splitFree(f, 4 + expectRest)
  const rst = p[0]
  if (rst !== "1" && rst !== "2") throw new CodecError(`rst is ${rst}, expected 1 or 2`, body)
  return { rst, ec: p[1] ?? "", uid: p[2] ?? "", key: p[3] ?? "", rest: p.slice(4), free }
}

/** A kickback (決済結果通知): GET query parameters. rst 3–5 belong to auto-billing. */
export interface Kickback extends PaymentFields {
  rst: string
}

const KICKBACK_KNOWN = new Set(["gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta", "uid", "key", "num", "id", "ps", "acid"])

export function parseKickback(query: Record<string, string>): Kickback {
  const body = new URLSearchParams(query).toString()
  for (const f of ["gid", "rst", "cod"]) {
    if (!query[f]) throw new CodecError(`kickback without ${f}`, body)
  }
  if (!/^\d+$/.test(query.gid)) throw new CodecError(`kickback gid is not a number: ${query.gid}`, body)
  if (!/^[1-5]$/.test(query.rst)) throw new CodecError(`kickback rst is ${query.rst}`, body)
  const free: Record<string, string> = {}
  for (const [k, v] of Object.entries(query)) if (!KICKBACK_KNOWN.has(k)) free[k] = v
  const am = int(query.am, "am", body)
  const tx = int(query.tx, "tx", body)
  const sf = int(query.sf, "sf", body)
  return {
    gid: query.gid,
    rst: query.rst,
    ap: query.ap ?? "",
    ec: query.ec ?? "",
    god: query.god ?? "",
    cod: query.cod.trim(),
    am,
    tx,
    sf,
    ta: query.ta ? int(query.ta, "ta", body) : am + tx + sf,
    uid: query.uid?.trim() || undefined,
    num: query.num || undefined,
    free,
  }
}
