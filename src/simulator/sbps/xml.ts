/**
 * The simulator's own reading of SBPS API型 XML (SBPS's API型 基本仕様, and the sandbox exchanges sbpayment.rb recorded), written apart from
 * src/gateways/sbps so that a misreading there is caught here: Shift_JIS bytes, the request tree in
 * document order, sps_hashcode, type M base64, 3DES-CBC with space padding.
 */
import { createCipheriv, createDecipheriv, createHash } from "node:crypto"
import iconv from "iconv-lite"
import { XMLParser, XMLValidator } from "fast-xml-parser"

export interface ReqNode {
  tag: string
  /** Raw text as received (base64 / 3DES still applied). Undefined for a block. */
  text?: string
  children?: ReqNode[]
}

export class XmlFormatError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: false,
  preserveOrder: true,
  processEntities: true,
})

/** Decodes the bytes as Shift_JIS, refusing bytes that are not. */
export function decodeShiftJis(body: Buffer): string {
  const text = iconv.decode(body, "Shift_JIS")
  if (text.includes("\uFFFD")) throw new XmlFormatError("body is not Shift_JIS")
  return text
}

export const toSjis = (s: string): Buffer => iconv.encode(s, "Shift_JIS")

/** Parses a request document: root `sps-api-request` with its `id`, children in order. */
export function parseRequestXml(text: string): { id: string | undefined; nodes: ReqNode[] } {
  const decl = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(text)
  if (!decl) throw new XmlFormatError("no XML declaration with an encoding")
  if (!/^shift_jis$/i.test(decl[1])) throw new XmlFormatError(`declared encoding ${decl[1]} is not Shift_JIS`)
  const v = XMLValidator.validate(text)
  if (v !== true) throw new XmlFormatError(v.err.msg)
  const doc = parser.parse(text) as Array<Record<string, unknown>>
  const root = doc.find((n) => "sps-api-request" in n)
  if (!root) throw new XmlFormatError("root is not sps-api-request")
  const attrs = (root[":@"] as Record<string, string> | undefined) ?? {}
  const convert = (items: Array<Record<string, unknown>>): ReqNode[] => {
    const out: ReqNode[] = []
    for (const item of items) {
      const tag = Object.keys(item).find((k) => k !== ":@")!
      if (tag === "#text") {
        if (String(item["#text"]).trim() !== "") throw new XmlFormatError("text outside an element")
        continue
      }
      const kids = item[tag] as Array<Record<string, unknown>>
      const texts = kids.filter((k) => "#text" in k)
      const elems = kids.filter((k) => !("#text" in k))
      if (elems.length > 0) {
        if (texts.some((t) => String(t["#text"]).trim() !== "")) throw new XmlFormatError(`mixed content in ${tag}`)
        out.push({ tag, children: convert(elems) })
      } else {
        out.push({ tag, text: texts.map((t) => String(t["#text"])).join("") })
      }
    }
    return out
  }
  return { id: attrs["@_id"], nodes: convert(root["sps-api-request"] as Array<Record<string, unknown>>) }
}

export function sha1Hashcode(values: string[], hashKey: string): string {
  return createHash("sha1").update(toSjis(values.join("") + hashKey)).digest("hex")
}

export function desEncrypt(bytes: Buffer, key: string, iv: string): string {
  const padded = Buffer.concat([bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8, 0x20)])
  const c = createCipheriv("des-ede3-cbc", Buffer.from(key, "latin1"), Buffer.from(iv, "latin1"))
  c.setAutoPadding(false)
  return Buffer.concat([c.update(padded), c.final()]).toString("base64")
}

/** Null when the value is not a 3DES ciphertext under this key. */
export function desDecrypt(b64: string, key: string, iv: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null
  const data = Buffer.from(b64, "base64")
  if (data.length === 0 || data.length % 8 !== 0) return null
  const d = createDecipheriv("des-ede3-cbc", Buffer.from(key, "latin1"), Buffer.from(iv, "latin1"))
  d.setAutoPadding(false)
  const out = Buffer.concat([d.update(data), d.final()])
  let end = out.length
  while (end > 0 && out[end - 1] === 0x20) end--
  return out.subarray(0, end)
}

/** Response element: a leaf value (plain) or a block. */
export type ResNode = [string, string | ResNode[]]

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!)

/** A response document shaped like the recorded ones (single-quoted declaration, indented). */
export function buildResponseXml(id: string | undefined, nodes: ResNode[]): string {
  const render = (ns: ResNode[], depth: number): string =>
    ns
      .map(([tag, v]) => {
        const pad = "  ".repeat(depth)
        if (Array.isArray(v)) return `${pad}<${tag}>\n${render(v, depth + 1)}${pad}</${tag}>\n`
        return v === "" ? `${pad}<${tag}/>\n` : `${pad}<${tag}>${esc(v)}</${tag}>\n`
      })
      .join("")
  const open = id ? `<sps-api-response id="${esc(id)}">` : "<sps-api-response>"
  return `<?xml version='1.0' encoding='Shift_JIS' ?>\n  ${open}\n${render(nodes, 2)}  </sps-api-response>\n`
}
