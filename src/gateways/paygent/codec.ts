// PAYGENT wire format (docs/gateways/paygent.md §3): form-urlencoded requests in Windows-31J, or UTF-8 for
// the UTF-8 kinds (450 …); answers as CRLF `key=value` lines where a key ending in `_html` takes the
// rest of the body, or as CSV records for 027/090; and the three `hc` hashes.
import { createHash, timingSafeEqual } from "node:crypto"
import { CodecError } from "../../core/vocabulary"

/** Fields whose values never reach a log line: the connect password, the card token and card data. */
export const SECRET_FIELDS = ["connect_password", "card_token", "card_number", "card_conf_number", "card_valid_term", "cardholder_name"] as const

/** paygentB2Bmodule.telegram_kind.utf8 (sandbox_modenv_properties.php): every other kind is Windows-31J. */
export const UTF8_KINDS = new Set(["098", "380", "410", "411", "412", "413", "414", "415", "416", "417", "418", "450"])
/** paygentB2Bmodule.telegram_kind.ref: answers in CSV. */
export const CSV_KINDS = new Set(["027", "090"])

/** url.<kind> in modenv_properties.php: the full kind first, then its first two characters. */
const PATHS: Record<string, string> = {
  "094": "/n/ref/paymentref",
  "091": "/n/ref/paynotice",
  "098": "/n/token/request",
  "02": "/n/card/request",
  "45": "/n/threeds/request",
}

export function pathFor(kind: string): string {
  const p = PATHS[kind] ?? PATHS[kind.slice(0, 2)]
  if (!p) throw new CodecError(`no URL for telegram kind ${kind}`)
  return p
}

export function charsetFor(kind: string): "utf-8" | "windows-31j" {
  return UTF8_KINDS.has(kind) ? "utf-8" : "windows-31j"
}

export interface Answer {
  result: string
  responseCode: string
  responseDetail: string
  fields: Record<string, string>
}

/**
 * Parses a `key=value` answer (PaymentResponseDataImpl::parse): CRLF lines, split on the first `=`,
 * lines without `=` skipped; a key ending in `_html` takes everything after it, re-joined with CRLF.
 * Values are not URL-decoded: no official parser does, and out_acs_html arrives as raw HTML.
 */
export function parseKeyValue(body: string): Answer {
  const text = body.replace(/^\uFEFF/, "")
  const lines = text.split(/\r?\n/)
  const fields: Record<string, string> = {}
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const eq = line.indexOf("=")
    if (eq <= 0) continue
    const key = line.slice(0, eq)
    if (!/^[A-Za-z0-9_]+$/.test(key)) throw new CodecError(`not a PAYGENT answer (line ${i + 1} is not key=value)`)
    const value = line.slice(eq + 1)
    if (key.endsWith("_html")) {
      // The module starts the HTML on the next line; text after `=` on the key line is kept too.
      const rest = lines.slice(i + 1).join("\r\n").replace(/\r\n$/, "")
      fields[key] = value ? (rest ? `${value}\r\n${rest}` : value) : rest
      break
    }
    fields[key] = value
  }
  return answerOf(fields)
}

function answerOf(fields: Record<string, string>): Answer {
  const result = fields.result ?? ""
  if (result === "") throw new CodecError("resultStatus is Nothing (no result in the answer)")
  if (!/^[0-9]$/.test(result)) throw new CodecError(`unexpected result ${JSON.stringify(result.slice(0, 20))}`)
  const { result: _r, response_code, response_detail, ...rest } = fields
  return { result, responseCode: response_code ?? "", responseDetail: response_detail ?? "", fields: rest }
}

export interface CsvAnswer extends Omit<Answer, "fields"> {
  rows: Record<string, string>[]
  count: number
}

/** Splits CSV text into records: `"`-quoted fields, `""` an escaped quote, CRLF between records. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ""
  let quoted = false
  let i = 0
  const s = text.replace(/^\uFEFF/, "")
  let started = false
  while (i < s.length) {
    const ch = s[i]
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += ch
      i++
      continue
    }
    if (ch === '"') {
      quoted = true
      started = true
      i++
    } else if (ch === ",") {
      record.push(field)
      field = ""
      started = true
      i++
    } else if (ch === "\r" || ch === "\n") {
      if (started || field) {
        record.push(field)
        records.push(record)
      }
      record = []
      field = ""
      started = false
      i += ch === "\r" && s[i + 1] === "\n" ? 2 : 1
    } else {
      field += ch
      started = true
      i++
    }
  }
  if (quoted) throw new CodecError("unterminated quoted CSV field")
  if (started || field) {
    record.push(field)
    records.push(record)
  }
  return records
}

/** Parses a CSV answer (ReferenceResponseDataImpl): "1" header, "2" column names, "3" rows, "4" count. */
export function parseCsv(body: string): CsvAnswer {
  const records = parseCsvRecords(body)
  const head = records.find((r) => r[0] === "1")
  if (!head || head.length < 2) throw new CodecError("not a PAYGENT CSV answer (no header record \"1\")")
  const [, result, responseCode = "", responseDetail = ""] = head
  if (!/^[0-9]$/.test(result)) throw new CodecError(`unexpected result ${JSON.stringify(result.slice(0, 20))}`)
  const names = records.find((r) => r[0] === "2")?.slice(1) ?? []
  const rows = records
    .filter((r) => r[0] === "3")
    .map((r) => {
      if (r.length - 1 !== names.length) throw new CodecError(`a data record has ${r.length - 1} fields for ${names.length} columns`)
      return Object.fromEntries(names.map((n, i) => [n, r[i + 1]]))
    })
  const trailer = records.find((r) => r[0] === "4")
  const count = trailer ? Number(trailer[1]) : rows.length
  if (!Number.isInteger(count)) throw new CodecError("bad trailer record \"4\"")
  return { result, responseCode, responseDetail, rows, count }
}

// ---- hashes (lowercase hex SHA-256 over UTF-8, compared in constant time) -------------------------

export function sha256hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex")
}

/** 3Dセキュア結果 (term_url): result + 3ds_auth_id + attempt_kbn (absent = "") + 3Dセキュア結果受付ハッシュ鍵. */
export function threeDSResultHash(v: { result: string; authId: string; attemptKbn?: string }, key: string): string {
  return sha256hex(v.result + v.authId + (v.attemptKbn ?? "") + key)
}

/** 差分通知: payment_notice_id + payment_id + trading_id + payment_type + payment_amount + ハッシュ値生成キー. */
export function noticeHash(v: { noticeId: string; paymentId: string; tradingId: string; paymentType: string; amount: string }, key: string): string {
  return sha256hex(v.noticeId + v.paymentId + v.tradingId + v.paymentType + v.amount + key)
}

/** PaygentToken.js: token + masked_card_number + valid_until + fingerprint + トークン受取ハッシュ鍵. */
export function tokenHash(v: { token: string; masked: string; validUntil: string; fingerprint: string }, key: string): string {
  return sha256hex(v.token + v.masked + v.validUntil + v.fingerprint + key)
}

/** Constant-time comparison of a received hash with the expected one. */
export function hashMatches(expected: string, received: string | undefined): boolean {
  if (typeof received !== "string") return false
  const a = Buffer.from(expected.toLowerCase(), "utf8")
  const b = Buffer.from(received.toLowerCase(), "utf8")
  return a.length === b.length && timingSafeEqual(a, b)
}
