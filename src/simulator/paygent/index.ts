/**
 * PAYGENT module-type simulator — a strict local stand-in for module.paygent.co.jp and the sandbox,
 * written from PAYGENT's published telegram specification, modules and guides (it imports nothing
 * from src/core or src/gateways). Two listeners: module telegrams over HTTPS with its own CA, which
 * need a client certificate from that CA (else P016); and what a browser loads (PaygentToken.js,
 * the token endpoint, the ACS pages) over plain HTTP, so that a browser needs no certificate.
 * See README.md.
 */
import { readFileSync } from "node:fs"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { TLSSocket } from "node:tls"
import iconv from "iconv-lite"
import { controlRouter } from "../common/control"
import { sleep } from "../common/faults"
import { answers, readBody, serve } from "../common/http"
import { openStateFile } from "../common/state-file"
import { RequestLog, simulatorBasics, type SimRequest, type Simulator } from "../common/simulator"
import { acsChallenge, acsStart, createToken, paygentTokenJs, type BrowserAnswer } from "./browser"
import { ensureCertificates, type SimCertificates } from "./certs"
import { fail, TelegramError } from "./codes"
import { FaultQueue, type Fault } from "./faults"
import { NoticeSender } from "./notices"
import { SimState, type MerchantConfig, type PaymentMethodContract, type SimAuth, type SimNotice, type SimPayment, type SimSavedCard } from "./state"
import { checkHeader, CSV_KINDS, handleTelegram, MODULE_PATHS, UTF8_KINDS, type Pairs } from "./telegrams"

export type { Fault } from "./faults"
export type { MerchantConfig, PaymentMethodContract, SimAuth, SimNotice, SimPayment, SimSavedCard } from "./state"
export { SPLIT_COUNTS } from "./state"
export type { SimCertificates } from "./certs"
export { ensureCertificates, TEST_CLIENT_KEY_PASSPHRASE } from "./certs"
export { TEST_CARDS, challengePasswords, scenarioFor } from "./cards"
export { AUTH_LIFETIME_MS, THREEDS_TIMEOUT_MS } from "./telegrams"

export const DEFAULT_MERCHANT: MerchantConfig = {
  merchantId: "100000001",
  connectId: "testconnect",
  connectPassword: "testpassword1",
  threeDSResultHashKey: "test_3ds_result_hash_key",
  noticeHashKey: "test_notice_hash_key",
  tokenGenerationKey: "test_token_generation_key",
  tokenReceiptHashKey: "test_token_receipt_hash_key",
}

export interface PaygentSimulatorOptions {
  /** The telegrams' HTTPS port (0, the default: any free port). */
  port?: number
  /** The browser's plain HTTP port (0, the default: any free port). */
  browserPort?: number
  host?: string
  merchants?: MerchantConfig[]
  /** Where the certificates are made or reused (default: a folder under the OS temp dir). */
  certDir?: string
  /** Delay between resends of a notice not answered `result=0` (default 500 ms) and how many (default 3). */
  noticeRetryMs?: number
  noticeMaxRetries?: number
  log?: (line: string) => void
  /** A file that keeps what the gateway holds across restarts (../common/state-file.ts); default: memory only. */
  stateFile?: string
}

/** A module telegram: its kind (empty until its form is read) and fields, and whether it came with a valid client certificate. */
export interface PaygentRequest extends SimRequest {
  kind: string
  params: Record<string, string>
  clientCertificate: boolean
}

/** The clock moves token life, 60-day authorizations and the 30-minute 3-D Secure timeout; advancing it runs the timeout calls due. */
export interface PaygentSimulator extends Simulator<Fault, PaygentRequest> {
  /** https://127.0.0.1:<port>: module telegrams (mutual TLS), the provider's baseUrl. */
  url: string
  /**
   * http://127.0.0.1:<browserPort>: what the shopper's browser loads — PaygentToken.js (the provider's
   * tokenScriptUrl is `${browserUrl}/js/PaygentToken.js`), its token endpoint and the ACS pages
   * out_acs_html leads to. (`url` serves them too, for a browser that trusts the CA.)
   */
  browserUrl: string
  certificates: SimCertificates
  payments(): SimPayment[]
  auths(): SimAuth[]
  notices(): SimNotice[]
  cards(merchantId: string, customerId: string): SimSavedCard[]
  setNoticeUrl(merchantId: string, url: string | undefined): void
  /** The 支払区分 a merchant's contract takes besides 1回払い (undefined: 1回払い only); others are P030. */
  setPaymentMethods(merchantId: string, contract: PaymentMethodContract | undefined): void
  /** Waits for every notice push (and resend) under way. */
  settle(): Promise<void>
  /** A token as PaygentToken.js would make it (for tests without a browser). */
  createToken(f: { merchant_id: string; token_generate_key: string; card_number: string; card_expire_year: string; card_expire_month: string; card_cvc?: string; card_name?: string }): Record<string, unknown>
}

const HTML = "text/html; charset=UTF-8"
const JSON_CT = "application/json; charset=UTF-8"
const BODY_LIMIT = { bytes: 100 * 1024, tooLarge: () => new Error("telegram larger than 100 KB") }
const { send, sendJson } = answers({ jsonContentType: JSON_CT })

/** Percent-decodes form components to bytes, then reads them in the telegram's charset. */
function parseTelegramForm(body: Buffer): Record<string, string> {
  const raw = body.toString("latin1")
  const pairs = raw === "" ? [] : raw.split("&").map((kv) => {
    const i = kv.indexOf("=")
    return [i < 0 ? kv : kv.slice(0, i), i < 0 ? "" : kv.slice(i + 1)] as [string, string]
  })
  const bytes = (s: string): Buffer => {
    const out: number[] = []
    for (let i = 0; i < s.length; i++) {
      const c = s[i]
      if (c === "+") out.push(0x20)
      else if (c === "%") {
        const hex = s.slice(i + 1, i + 3)
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail("P010")
        out.push(parseInt(hex, 16))
        i += 2
      } else out.push(c.charCodeAt(0))
    }
    return Buffer.from(out)
  }
  const kindRaw = pairs.find(([k]) => bytes(k).toString("latin1") === "telegram_kind")?.[1] ?? ""
  const kind = bytes(kindRaw).toString("latin1")
  const utf8 = UTF8_KINDS.has(kind)
  const strictUtf8 = new TextDecoder("utf-8", { fatal: true })
  const params: Record<string, string> = {}
  for (const [k, v] of pairs) {
    const key = bytes(k).toString("latin1")
    let value: string
    if (utf8) {
      try {
        value = strictUtf8.decode(bytes(v))
      } catch {
        fail("P010", key) // a Shift_JIS value in a UTF-8 telegram: garbled at PAYGENT
      }
    } else value = iconv.decode(bytes(v), "cp932")
    if (key in params) fail("P010", key)
    params[key] = value
  }
  return params
}

function keyValueBody(pairs: Pairs): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join("\r\n") + "\r\n"
}

function csvBody(records: string[][]): string {
  return records.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(",")).join("\r\n") + "\r\n"
}

export async function startPaygentSimulator(opts: PaygentSimulatorOptions = {}): Promise<PaygentSimulator> {
  const log = opts.log ?? (() => undefined)
  const certificates = ensureCertificates(opts.certDir)
  const state = new SimState(opts.merchants ?? [DEFAULT_MERCHANT])
  const stateFile = openStateFile(opts.stateFile, "paygent", state)
  const faults = new FaultQueue()
  const notices = new NoticeSender(state, { retryMs: opts.noticeRetryMs ?? 500, maxRetries: opts.noticeMaxRetries ?? 3, timeoutMs: 5000, log })
  const received = new RequestLog<PaygentRequest>(state.clock)
  let browserOrigin = ""

  async function telegram(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const authorized = (req.socket as TLSSocket).authorized === true
    const entry = received.add(req.method ?? "POST", path, { kind: "", params: {}, clientCertificate: authorized })
    let kind = ""
    let answer: { pairs?: Pairs; csv?: string[][] }
    let changed: SimPayment[] = []
    let wrongEncoding = false
    let holdMs = 0
    try {
      if (req.method !== "POST") fail("P004")
      const params = parseTelegramForm(body)
      kind = params.telegram_kind ?? ""
      Object.assign(entry, { kind, params: { ...params } })
      // No (valid) client certificate: refused before anything else is looked at.
      if (!authorized) fail("P016")
      const { merchant } = checkHeader(state, path, params)
      const fault = faults.forTelegram(kind)
      if (fault) log(`fault ${fault.kind} on ${kind}`)
      wrongEncoding = fault?.kind === "wrong-encoding"
      if (fault?.kind === "delay" && fault.after) holdMs = fault.ms
      if (fault?.kind === "delay" && !fault.after) await sleep(fault.ms)
      if (fault?.kind === "reset" && !fault.after) return void req.socket.destroy()
      if (fault?.kind === "status") return send(res, fault.status, HTML, `<html><body><h1>${fault.status}</h1></body></html>`)
      if (fault?.kind === "malformed") return send(res, 200, HTML, "<html><body><h1>Service Temporarily Unavailable</h1></body></html>")
      const r = handleTelegram({ state, browserOrigin }, merchant, kind, params)
      log(`${r.summary}`)
      answer = r
      changed = r.changed
      if (fault?.kind === "reset" && fault.after) {
        for (const p of changed) notices.record(p, faults.forNotice())
        return void req.socket.destroy()
      }
    } catch (e) {
      if (!(e instanceof TelegramError)) throw e
      log(`${kind || "???"} → ${e.code} ${e.detail}`)
      changed = (e as TelegramError & { changed?: SimPayment[] }).changed ?? []
      const extra: Pairs = Object.entries(e.fields)
      answer = CSV_KINDS.has(kind)
        ? { csv: [["1", "1", e.code, e.detail], ["4", "0"]] }
        : { pairs: [["result", "1"], ["response_code", e.code], ["response_detail", e.detail], ...extra] }
    }
    for (const p of changed) notices.record(p, faults.forNotice())
    // wrong-encoding: the bytes of the other charset under the usual label
    const utf8 = UTF8_KINDS.has(kind) !== wrongEncoding
    const text = answer.csv ? csvBody(answer.csv) : keyValueBody(answer.pairs ?? [])
    if (holdMs > 0) await sleep(holdMs)
    send(res, 200, `text/plain; charset=${UTF8_KINDS.has(kind) ? "UTF-8" : "Windows-31J"}`, utf8 ? Buffer.from(text, "utf8") : iconv.encode(text, "cp932"))
  }

  function browserAnswer(res: ServerResponse, a: BrowserAnswer) {
    if (a.location) {
      res.writeHead(a.status, { Location: a.location, "Cache-Control": "no-store", "Content-Length": "0" })
      return void res.end()
    }
    send(res, a.status, HTML, a.html ?? "")
  }

  /** What a browser loads; `origin` is the listener's own, so that PaygentToken.js posts back where it came from. */
  async function browserRequest(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, origin: string): Promise<void> {
    const form = () => Object.fromEntries(new URLSearchParams(body.toString("utf8")))
    const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Allow-Methods": "POST, OPTIONS" }
    switch (`${req.method} ${url.pathname}`) {
      case "GET /js/PaygentToken.js":
        return send(res, 200, "application/javascript; charset=UTF-8", paygentTokenJs(origin), { "Access-Control-Allow-Origin": "*" })
      case "OPTIONS /n/token/request":
        res.writeHead(204, cors)
        return void res.end()
      case "POST /n/token/request":
        return sendJson(res, 200, createToken(state, form()), cors)
      case "POST /3ds/acs":
        return browserAnswer(res, acsStart(state, form().threeDSServerTransID))
      case "POST /3ds/challenge":
        return browserAnswer(res, acsChallenge(state, form()))
      case "GET /":
        return send(res, 200, HTML, `<!DOCTYPE html><html><body><h1>PAYGENT simulator</h1><p>Telegrams: POST ${[...MODULE_PATHS].join(", ")} on ${mainUrl} (client certificate required). Browser: ${browserOrigin}/js/PaygentToken.js.</p></body></html>`)
      default:
        return send(res, 404, HTML, "<html><body><h1>404 Not Found</h1></body></html>")
    }
  }

  const api = {
    ...simulatorBasics({ clock: state.clock, faults, requests: received, onAdvance: () => notices.runTimeoutCalls() }),
    payments: () => [...state.payments.values()].map((p) => ({ ...p, card: { ...p.card } })),
    auths: () => [...state.auths.values()].map((a) => ({ ...a, timeoutCalls: [...a.timeoutCalls] })),
    notices: () => state.notices.map((n) => ({ ...n, fields: { ...n.fields }, deliveries: [...n.deliveries] })),
    cards: (merchantId: string, customerId: string) => state.cardsOf(merchantId, customerId).map((c) => ({ ...c })),
    setNoticeUrl: (merchantId: string, url: string | undefined) => {
      const m = state.merchants.get(merchantId)
      if (!m) throw new Error(`no merchant ${merchantId} in this simulator`)
      m.noticeUrl = url
    },
    setPaymentMethods: (merchantId: string, contract: PaymentMethodContract | undefined) => {
      const m = state.merchants.get(merchantId)
      if (!m) throw new Error(`no merchant ${merchantId} in this simulator`)
      m.paymentMethods = contract
    },
    settle: () => notices.settle(),
    createToken: (f: Parameters<PaygentSimulator["createToken"]>[0]) => createToken(state, f as unknown as Record<string, string>),
  }
  const control = controlRouter(api, {
    "GET /__sim/payments": () => api.payments(),
    "GET /__sim/notices": () => api.notices(),
  })
  const common = { host: opts.host, control, log, stateFile, internalError: (res: ServerResponse) => send(res, 500, HTML, "<html><body><h1>500 Internal Server Error</h1></body></html>") }

  const browser = await serve({
    ...common,
    port: opts.browserPort,
    handle: async (req, res, url) => browserRequest(req, res, url, await readBody(req, BODY_LIMIT), browserOrigin),
  })
  browserOrigin = browser.url
  let mainUrl = ""
  const main = await serve({
    ...common,
    port: opts.port,
    tls: {
      key: readFileSync(certificates.serverKeyFile),
      cert: readFileSync(certificates.serverCertFile),
      ca: readFileSync(certificates.caFile),
      // Asked for, checked per request: a telegram without a valid one is answered P016.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
    },
    beforeClose: () => notices.close(),
    handle: async (req, res, url) => {
      const body = await readBody(req, BODY_LIMIT)
      return MODULE_PATHS.has(url.pathname) ? telegram(req, res, url.pathname, body) : browserRequest(req, res, url, body, mainUrl)
    },
  }).catch(async (e: unknown) => {
    await browser.close()
    throw e
  })
  mainUrl = main.url
  return {
    url: mainUrl,
    browserUrl: browserOrigin,
    certificates,
    close: async () => {
      await Promise.all([main.close(), browser.close()])
    },
    ...api,
  }
}
