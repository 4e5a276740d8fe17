// SBPS API型 wire format: a Shift_JIS XML document `<sps-api-request id="機能ID">`, its `sps_hashcode`
// (SHA-1 over the plain values in document order + the hash key), type M values as base64 of
// Shift_JIS, and 3DES-CBC (space padded) for `pay_method_info` when `encrypted_flg=1`.
// Source: docs/gateways/sbps.md §2–§4. One ordered tree gives both the XML and the hash,
// so the two can never disagree on order.
import { createCipheriv, createDecipheriv, createHash } from "node:crypto"
import iconv from "iconv-lite"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { CodecError } from "../../core/vocabulary"

/**
 * Fields whose values never reach a log line: the card tokens and their keys, and the hash key.
 * (The XML body is not logged at all; Basic auth travels in a header the transport does not log.)
 */
export const SECRET_FIELDS = ["token", "token_key", "tds_info_token", "tds_info_token_key", "hash_key", "hashkey", "cc_number", "security_code"] as const

/** 9 numeric, X single-byte, M multi-byte (base64 of Shift_JIS on the wire). */
export type FieldType = "9" | "X" | "M"

export interface Leaf {
  tag: string
  value: string | number | undefined
  type?: FieldType
}
export interface Group {
  tag: string
  children: XmlNode[]
}
export type XmlNode = Leaf | Group

/** 3DES暗号化キー (24 bytes) and 3DES初期化キー (8 bytes). */
export interface DesKey {
  key: string
  iv: string
}

const isGroup = (n: XmlNode): n is Group => "children" in n

// ASCII (0x00–0x7f) is the same bytes in Shift_JIS, both ways (iconv-lite's table maps them one to
// one): most of a telegram is, and going through iconv for it cost SBPS ~0.3 ms a call (npm run bench, P1).
const ASCII = /^[\x00-\x7f]*$/
export const sjis = (s: string): Buffer => (ASCII.test(s) ? Buffer.from(s, "latin1") : iconv.encode(s, "Shift_JIS"))
export const fromSjis = (b: Buffer): string => (isAsciiBytes(b) ? b.toString("latin1") : iconv.decode(b, "Shift_JIS"))

function isAsciiBytes(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false
  return true
}

/** True when every character survives a Shift_JIS round trip (SBPS rejects what it cannot read). */
export function isShiftJis(s: string): boolean {
  // Printable ASCII is Shift_JIS as it stands (most values: ids, amounts, tokens).
  return /^[\x20-\x7e]*$/.test(s) || fromSjis(sjis(s)) === s
}

// ---- sps_hashcode --------------------------------------------------------------------------------

/** The plain values of a tree in document order (empty and omitted values add nothing). */
export function hashValues(nodes: XmlNode[]): string[] {
  const out: string[] = []
  const walk = (ns: XmlNode[]) => {
    for (const n of ns) {
      if (isGroup(n)) walk(n.children)
      else if (n.value !== undefined) out.push(String(n.value).trim())
    }
  }
  walk(nodes)
  return out
}

/** lower(hex(SHA1(SJIS(v1 + … + vn + hashKey)))) */
export function spsHashcode(values: string[], hashKey: string): string {
  return createHash("sha1").update(sjis(values.join("") + hashKey)).digest("hex")
}

// ---- 3DES ------------------------------------------------------------------------------------------

/** DES-EDE3-CBC over the Shift_JIS bytes right-padded with spaces to a multiple of 8; base64 out. */
export function encrypt3des(plain: string | Buffer, des: DesKey): string {
  const bytes = typeof plain === "string" ? sjis(plain) : plain
  const padded = Buffer.concat([bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8, 0x20)])
  const c = createCipheriv("des-ede3-cbc", Buffer.from(des.key, "latin1"), Buffer.from(des.iv, "latin1"))
  c.setAutoPadding(false)
  return Buffer.concat([c.update(padded), c.final()]).toString("base64")
}

/** The plain bytes of a 3DES value, trailing padding spaces removed. */
export function decrypt3desBytes(b64: string, des: DesKey): Buffer {
  const data = Buffer.from(b64, "base64")
  if (data.length === 0 || data.length % 8 !== 0) throw new CodecError(`not a 3DES value: ${b64.slice(0, 16)}`)
  const d = createDecipheriv("des-ede3-cbc", Buffer.from(des.key, "latin1"), Buffer.from(des.iv, "latin1"))
  d.setAutoPadding(false)
  let out = Buffer.concat([d.update(data), d.final()])
  let end = out.length
  while (end > 0 && out[end - 1] === 0x20) end--
  out = out.subarray(0, end)
  return out
}

export function decrypt3des(b64: string, des: DesKey): string {
  return fromSjis(decrypt3desBytes(b64, des))
}

// ---- request ---------------------------------------------------------------------------------------

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!)
}

/** Blocks whose leaves are 3DES-encrypted when encrypted_flg=1 (docs/gateways/sbps.md §4). */
const ENCRYPTED_BLOCKS = new Set(["pay_method_info"])

export interface BuildOptions {
  hashKey: string
  /** Set when the request carries encrypted_flg=1. */
  des?: DesKey
}

/**
 * The request document as a string (encode it with `sjis` to send). `nodes` hold everything but
 * `sps_hashcode`, which is computed here and appended.
 */
export function buildRequest(id: string, nodes: XmlNode[], opts: BuildOptions): string {
  const values = hashValues(nodes)
  for (const v of values) {
    if (/[\t\r\n]/.test(v)) throw new CodecError("a value holds a tab or line break, which SBPS rejects")
    if (!isShiftJis(v)) throw new CodecError(`a value holds characters Shift_JIS cannot carry: ${JSON.stringify(v.slice(0, 20))}`)
  }
  const hash = spsHashcode(values, opts.hashKey)
  const render = (ns: XmlNode[], encrypted: boolean): string =>
    ns
      .map((n) => {
        if (isGroup(n)) {
          const inner = render(n.children, encrypted || (opts.des !== undefined && ENCRYPTED_BLOCKS.has(n.tag)))
          return inner ? `<${n.tag}>${inner}</${n.tag}>` : ""
        }
        if (n.value === undefined || String(n.value) === "") return ""
        const plain = String(n.value)
        let wire: string
        if (encrypted && opts.des) wire = encrypt3des(plain, opts.des)
        else if (n.type === "M") wire = sjis(plain).toString("base64")
        else wire = plain
        return `<${n.tag}>${escapeXml(wire)}</${n.tag}>`
      })
      .join("")
  return `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="${escapeXml(id)}">${render(nodes, false)}<sps_hashcode>${hash}</sps_hashcode></sps-api-request>`
}

// ---- response --------------------------------------------------------------------------------------

export interface SpsResponse {
  /** The id attribute; absent on some NG answers (docs/gateways/sbps.md §2). */
  id?: string
  result: "OK" | "NG"
  errCode?: string
  /** Every leaf by tag name, decoded (base64 M fields, 3DES blocks). The first of a repeated tag wins. */
  fields: Record<string, string>
}

/** Response leaves that are type M (base64 of Shift_JIS). */
const RESPONSE_M_FIELDS = new Set(["resrv1", "resrv2", "resrv3", "res_err_msg", "item_name", "free1", "free2", "free3"])
const RESPONSE_ENCRYPTED_BLOCKS = new Set(["res_pay_method_info"])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
})

/** Reads the decoded text of an answer. `des` when the request was sent with encrypted_flg=1. */
export function parseResponse(text: string, des?: DesKey): SpsResponse {
  const trimmed = text.trim()
  if (!trimmed.startsWith("<")) throw new CodecError(`not XML: ${JSON.stringify(trimmed.slice(0, 40))}`)
  const valid = XMLValidator.validate(trimmed)
  if (valid !== true) throw new CodecError(`malformed XML: ${valid.err.msg}`)
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(trimmed) as Record<string, unknown>
  } catch (e) {
    // fast-xml-parser refuses some well-formed XML itself (a tag named constructor or __proto__)
    throw new CodecError(`unreadable XML: ${(e as Error).message}`)
  }
  const root = doc["sps-api-response"]
  if (root === undefined || root === null) throw new CodecError(`no <sps-api-response> root (got ${Object.keys(doc).filter((k) => k !== "?xml").join(", ") || "nothing"})`)
  const fields: Record<string, string> = {}
  let id: string | undefined
  const walk = (node: unknown, encrypted: boolean) => {
    if (typeof node !== "object" || node === null) return
    for (const [tag, v] of Object.entries(node as Record<string, unknown>)) {
      if (tag === "@_id") {
        id = String(v)
        continue
      }
      if (tag.startsWith("@_") || tag === "#text") continue
      const items = Array.isArray(v) ? v : [v]
      for (const item of items) {
        if (typeof item === "object" && item !== null) {
          walk(item, encrypted || (des !== undefined && RESPONSE_ENCRYPTED_BLOCKS.has(tag)))
          continue
        }
        if (tag in fields) continue
        const raw = item === undefined || item === null ? "" : String(item)
        fields[tag] = decodeLeaf(tag, raw, encrypted ? des : undefined)
      }
    }
  }
  if (typeof root === "object") walk(root, false)
  const result = fields.res_result
  if (result !== "OK" && result !== "NG") throw new CodecError(`res_result is ${JSON.stringify(result ?? null)}, not OK or NG`)
  const errCode = fields.res_err_code || undefined
  if (result === "NG" && (!errCode || !/^[0-9A-Z]{8}$/.test(errCode))) throw new CodecError(`NG without a valid res_err_code (${JSON.stringify(errCode ?? null)})`)
  return { id, result, errCode, fields }
}

function decodeLeaf(tag: string, raw: string, des?: DesKey): string {
  if (raw === "") return ""
  if (des) {
    // An encrypted M value is the ciphertext of the Shift_JIS bytes, not of their base64 (docs/gateways/sbps.md §4).
    return fromSjis(decrypt3desBytes(raw, des))
  }
  if (RESPONSE_M_FIELDS.has(tag)) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) throw new CodecError(`${tag} is not base64`)
    return fromSjis(Buffer.from(raw, "base64"))
  }
  return raw
}

// ---- dates -----------------------------------------------------------------------------------------

/** YYYYMMDDHHMMSS in Japan time (JST has no summer time: UTC+9 always). */
export function requestDate(now: Date = new Date()): string {
  const jst = new Date(now.getTime() + 9 * 3600_000)
  const p = (n: number, w = 2) => String(n).padStart(w, "0")
  return `${jst.getUTCFullYear()}${p(jst.getUTCMonth() + 1)}${p(jst.getUTCDate())}${p(jst.getUTCHours())}${p(jst.getUTCMinutes())}${p(jst.getUTCSeconds())}`
}
