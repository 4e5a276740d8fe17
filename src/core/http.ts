// The one HTTP transport every gateway client uses: an undici keep-alive pool per gateway origin,
// connect and response timeouts, client certificates, UTF-8/Shift_JIS both ways, and a log line per
// call with tokens, card data and credentials removed. No Medusa import: gateway clients use it.
import { Agent, errors as undiciErrors } from "undici"
import iconv from "iconv-lite"
import { GatewayError } from "./gateway"
import { maskPans, redactParams, secretSet } from "./redact"
import type { Effect } from "./vocabulary"

export interface Logger {
  debug?(message: string): void
  /** Medusa's logger says whether a level is on; the debug line is built only when it is. */
  shouldLog?(level: string): boolean
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export type Charset = "utf-8" | "shift_jis" | "windows-31j"

/** Where and how a gateway client connects. */
export interface TransportOptions {
  baseUrl: string
  connectTimeoutMs?: number
  /** Time allowed for the whole answer once the request is sent. */
  timeoutMs?: number
  /** Client certificate (PEM or PKCS#12) and CA for gateways that need mutual TLS; TLS versions to pin. */
  tls?: {
    cert?: string | Buffer
    key?: string | Buffer
    passphrase?: string
    pfx?: Buffer
    ca?: string | Buffer
    minVersion?: "TLSv1.2" | "TLSv1.3"
    maxVersion?: "TLSv1.2" | "TLSv1.3"
  }
  logger?: Logger
}

export interface HttpRequest {
  method: "GET" | "POST"
  path: string
  /** Form parameters: sent as the query (GET) or an x-www-form-urlencoded body (POST). */
  form?: Record<string, string | number | undefined>
  /** A raw body with its content type (XML, JSON). */
  body?: { contentType: string; data: string | Buffer }
  headers?: Record<string, string>
  /** Charset of the form encoding; default UTF-8. */
  charset?: Charset
  /** What the call does: a request sent without an answer is unknown_outcome when it moves money, retry when it only reads. */
  effect: Effect
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

const ASCII = /^[\x00-\x7f]*$/
const NOT_UNRESERVED = /[^A-Za-z0-9\-_.~]/g

/** Percent-encodes form parameters in the given charset (Shift_JIS bytes for Japanese gateways that want them). */
export function encodeForm(params: Record<string, string | number | undefined>, charset: Charset = "utf-8"): string {
  const enc = (s: string) => {
    if (charset === "utf-8") return encodeURIComponent(s)
    // ASCII is the same bytes in Shift_JIS: escape it directly instead of byte by byte through iconv
    // (most values: ids, amounts, tokens; the slow path cost PAYGENT ~0.8 ms a telegram, npm run bench P1).
    if (ASCII.test(s)) return s.replace(NOT_UNRESERVED, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"))
    const bytes = iconv.encode(s, charset === "windows-31j" ? "cp932" : "shift_jis")
    let out = ""
    for (const b of bytes) {
      const c = String.fromCharCode(b)
      out += /[A-Za-z0-9\-_.~]/.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0")
    }
    return out
  }
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join("&")
}

// One decoder for every answer: decode() without { stream } keeps no state between calls.
const UTF8 = new TextDecoder("utf-8", { fatal: true })

/** UTF-8 when the bytes are valid UTF-8, otherwise Shift_JIS (cp932) — what Japanese gateways answer in. */
export function decodeBody(body: Buffer, charset?: string): string {
  const cs = charset?.toLowerCase()
  if (cs && /shift_jis|sjis|windows-31j|cp932|ms932/.test(cs)) return asciiOnly(body) ? body.toString("latin1") : iconv.decode(body, "cp932")
  try {
    return UTF8.decode(body)
  } catch {
    return iconv.decode(body, "cp932")
  }
}

/** Bytes 0x00–0x7f only: the same text in ASCII, Shift_JIS and cp932 (most answers), read without iconv. */
function asciiOnly(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false
  return true
}

/** The charset named by a Content-Type header, if any. */
export function charsetOf(headers: HttpResponse["headers"]): string | undefined {
  const ct = headers["content-type"]
  const v = Array.isArray(ct) ? ct[0] : ct
  return v?.match(/charset=([^;]+)/i)?.[1]?.trim()
}

/** TLS handshake failures: nothing was sent, and retrying will not help until the set-up is fixed. */
const TLS_FAILURE = /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_INVALID_ARG_VALUE$)/

const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"])

export class Transport {
  private readonly agent: Agent
  private readonly origin: string
  private readonly basePath: string
  private readonly secret: ReadonlySet<string>

  /**
   * `name`: who is speaking, for log lines and errors (the gateway's display name, "ROBOT PAYMENT");
   * `secretFields`: form fields never logged (the wire format's, as the gateway definition lists them).
   */
  constructor(
    private readonly name: string,
    secretFields: readonly string[],
    private readonly options: TransportOptions
  ) {
    const url = new URL(options.baseUrl)
    this.origin = url.origin
    this.basePath = url.pathname.replace(/\/+$/, "")
    this.secret = secretSet(secretFields)
    const timeout = options.timeoutMs ?? 30_000
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connections: 16,
      connect: { timeout: options.connectTimeoutMs ?? 10_000, ...(options.tls ?? {}) },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    })
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now()
    const form = req.form ? encodeForm(req.form, req.charset) : undefined
    let path = this.basePath + req.path
    let body: string | Buffer | undefined
    const headers: Record<string, string> = { ...(req.headers ?? {}) }
    if (req.method === "GET" && form) path += (path.includes("?") ? "&" : "?") + form
    if (req.method === "POST" && form !== undefined) {
      body = form
      headers["content-type"] = `application/x-www-form-urlencoded; charset=${req.charset === "utf-8" || !req.charset ? "UTF-8" : req.charset === "windows-31j" ? "Windows-31J" : "Shift_JIS"}`
    } else if (req.body) {
      body = req.body.data
      headers["content-type"] = req.body.contentType
    }
    // Built only for a line that is written: redacting and serializing the form on every call was
    // measurable next to a loopback round trip (npm run bench, P1).
    const described = () => `${this.name} ${req.method} ${req.path} ${JSON.stringify(redactParams(req.form ?? {}, this.secret))}`
    const logger = this.options.logger
    try {
      // The agent's own dispatch: undici's top-level request() parses the URL again on every call.
      const res = await this.agent.request({ origin: this.origin, path, method: req.method, headers, body })
      const buf = Buffer.from(await res.body.arrayBuffer())
      if (logger?.debug && (logger.shouldLog?.("debug") ?? true)) logger.debug(`${described()} -> ${res.statusCode} in ${Date.now() - started} ms`)
      return { status: res.statusCode, headers: res.headers, body: buf }
    } catch (e) {
      const err = e as Error & { code?: string; cause?: { code?: string } }
      const code = err.code ?? err.cause?.code ?? err.name
      const notSent = NOT_SENT.has(code) || err instanceof undiciErrors.ConnectTimeoutError
      logger?.warn(`${described()} failed after ${Date.now() - started} ms: ${code} ${maskPans(err.message)}`)
      if (TLS_FAILURE.test(code ?? "") || /ssl|tls|certificate/i.test(err.cause && "message" in err.cause ? String((err.cause as Error).message) : "")) {
        throw new GatewayError({
          code: "TLS",
          kind: "merchant",
          message: `the TLS connection to ${this.name} failed (${code}): check the client certificate, its key and passphrase, and the CA; nothing was sent`,
          messageJa: `${this.name} との TLS 接続に失敗しました (${code})。クライアント証明書・秘密鍵・パスフレーズ・CA を確認してください。送信はされていません。`,
        })
      }
      if (notSent) {
        throw new GatewayError({
          code: "NETWORK",
          kind: "retry",
          message: `${this.name} could not be reached (${code}); nothing was sent, try again`,
          messageJa: `${this.name} に接続できませんでした (${code})。送信はされていません。`,
        })
      }
      const moves = req.effect === "moves"
      throw new GatewayError({
        code: "NO_ANSWER",
        kind: moves ? "unknown_outcome" : "retry",
        message: `${this.name} did not answer (${code}); ${moves ? "the request may or may not have been processed" : "nothing changed there, try again"}`,
        messageJa: `${this.name} から応答がありませんでした (${code})。${moves ? "処理されたかどうか不明です。" : "照会のみのため、もう一度お試しください。"}`,
      })
    }
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}
