/**
 * Request parameter parsing for the gateway endpoints: query string plus an
 * application/x-www-form-urlencoded body, decoded strictly as UTF-8 (the
 * gateway's encoding). Invalid percent-escapes, bytes that are not UTF-8
 * (e.g. a Shift_JIS encoded value) or a non-UTF-8 charset → ER001.
 * A parameter given more than once is joined with "," (as ASP.NET's
 * Request[] does), which then fails the field's own validation.
 */
import type { IncomingMessage } from "node:http"
import { readBody as readWholeBody } from "../common/http"
import { fail } from "./codes"

const utf8 = new TextDecoder("utf-8", { fatal: true })

export const MAX_BODY_BYTES = 64 * 1024

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return readWholeBody(req, { bytes: limit, tooLarge: () => new Error("request body too large") })
}

/** Percent-decode one form component ('+' is a space) as strict UTF-8. */
export function decodeComponent(s: string): string {
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === "+") bytes.push(0x20)
    else if (c === "%") {
      const hex = s.slice(i + 1, i + 3)
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail("ER001", "invalid percent-escape in the request")
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      const cp = s.codePointAt(i) as number
      if (cp > 0xffff) i++
      for (const b of Buffer.from(String.fromCodePoint(cp), "utf8")) bytes.push(b)
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes))
  } catch {
    fail("ER001", "parameter is not valid UTF-8 (the gateway expects UTF-8)")
  }
}

/** Ordered [key, value] pairs of an x-www-form-urlencoded string. */
export function parseForm(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  if (s === "") return out
  for (const part of s.split("&")) {
    if (part === "") continue
    const eq = part.indexOf("=")
    const k = decodeComponent(eq < 0 ? part : part.slice(0, eq))
    const v = eq < 0 ? "" : decodeComponent(part.slice(eq + 1))
    out.push([k, v])
  }
  return out
}

export interface ParsedParams {
  /** Parameters by name (repeated names joined with ","). */
  map: Record<string, string>
  /** Names in order of first appearance. */
  order: string[]
}

function merge(pairs: Array<[string, string]>): ParsedParams {
  const map: Record<string, string> = Object.create(null)
  const order: string[] = []
  for (const [k, v] of pairs) {
    if (k in map) map[k] = `${map[k]},${v}`
    else {
      map[k] = v
      order.push(k)
    }
  }
  return { map, order }
}

/**
 * Parameters of a GET or POST to a gateway endpoint. Throws GatewayError
 * ER001 for an undecodable request. Bodies of other content types are
 * ignored (as ASP.NET ignores a JSON body), so their fields are "missing".
 */
export function gatewayParams(rawQuery: string, contentType: string | undefined, body: Buffer): ParsedParams {
  const pairs = parseForm(rawQuery)
  const ct = (contentType ?? "").toLowerCase()
  if (body.length > 0 && ct.startsWith("application/x-www-form-urlencoded")) {
    const charset = /charset\s*=\s*"?([^";\s]+)/.exec(ct)?.[1]
    if (charset && charset !== "utf-8" && charset !== "utf8") fail("ER001", `unsupported request charset ${charset} (UTF-8 only)`)
    let text: string
    try {
      text = utf8.decode(body)
    } catch {
      fail("ER001", "request body is not valid UTF-8")
    }
    pairs.push(...parseForm(text.trim()))
  }
  return merge(pairs)
}

/** Split parameters into the endpoint's known fields and the free key=value data (in request order). */
export function freeParams(p: ParsedParams, known: ReadonlySet<string>): Array<[string, string]> {
  return p.order.filter((k) => !known.has(k)).map((k) => [k, p.map[k]] as [string, string])
}

/** Auto-billing (自動課金) fields: not simulated, rejected with ER001. */
export const AUTO_BILLING_FIELDS = [
  "actp", "acam", "actx", "acsf", "ac1", "ac3", "ac4", "ac5",
  "trtp", "tr1", "tr2", "tr3", "tram", "trtx", "trsf", "acid", "nad",
] as const

/**
 * Normalise a JSON body from the browser scripts into string fields
 * (numbers become their decimal text; other types are dropped).
 */
export function jsonFields(body: Buffer): Record<string, string> {
  let obj: unknown
  try {
    obj = JSON.parse(utf8.decode(body))
  } catch {
    fail("ER001", "request body is not JSON")
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) fail("ER001", "request body must be a JSON object")
  const out: Record<string, string> = Object.create(null)
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof v === "string") out[k] = v
    else if (typeof v === "number" && Number.isFinite(v)) out[k] = String(v)
  }
  return out
}
