/**
 * PAYGENT module-type simulator — a strict local stand-in for module.paygent.co.jp and the sandbox,
 * written from the specification as rebuilt in ../shared/reference/paygent.md (it imports nothing
 * from src/core or src/gateways). HTTPS only, with its own CA; module telegrams need a client
 * certificate from that CA, or they are answered P016. See README.md.
 */
import { readFileSync } from "node:fs"
import { createServer, type Server } from "node:https"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { TLSSocket } from "node:tls"
import iconv from "iconv-lite"
import { sleep } from "../shared/faults"
import { answers, closeOnce, listen, parseJson, readBody } from "../shared/http"
import { acsChallenge, acsStart, createToken, paygentTokenJs, type BrowserAnswer } from "./browser"
import { ensureCertificates, type SimCertificates } from "./certs"
import { fail, TelegramError } from "./codes"
import { FaultQueue, type Fault } from "./faults"
import { NoticeSender } from "./notices"
import { SimState, type MerchantConfig, type SimAuth, type SimNotice, type SimPayment, type SimSavedCard } from "./state"
import { checkHeader, CSV_KINDS, handleTelegram, MODULE_PATHS, UTF8_KINDS, type Pairs } from "./telegrams"

export type { Fault } from "./faults"
export type { MerchantConfig, SimAuth, SimNotice, SimPayment, SimSavedCard } from "./state"
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
  port?: number
  host?: string
  merchants?: MerchantConfig[]
  /** Where the certificates are made or reused (default: a folder under the OS temp dir). */
  certDir?: string
  /** Delay between resends of a notice not answered `result=0` (default 500 ms) and how many (default 3). */
  noticeRetryMs?: number
  noticeMaxRetries?: number
  log?: (line: string) => void
}

export interface SimRequest {
  kind: string
  path: string
  params: Record<string, string>
  clientCertificate: boolean
}

export interface PaygentSimulator {
  /** https://127.0.0.1:<port> */
  url: string
  certificates: SimCertificates
  close(): Promise<void>
  /** Moves the simulated clock (token life, 60-day authorizations, the 30-minute 3-D Secure timeout) and runs the timeout calls due. */
  advanceClock(ms: number): Promise<void>
  inject(f: Fault): void
  clearFaults(): void
  payments(): SimPayment[]
  auths(): SimAuth[]
  notices(): SimNotice[]
  cards(merchantId: string, customerId: string): SimSavedCard[]
  requests(): SimRequest[]
  setNoticeUrl(merchantId: string, url: string | undefined): void
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
  const faults = new FaultQueue()
  const notices = new NoticeSender(state, { retryMs: opts.noticeRetryMs ?? 500, maxRetries: opts.noticeMaxRetries ?? 3, timeoutMs: 5000, log })
  const received: SimRequest[] = []
  let origin = ""

  async function telegram(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const authorized = (req.socket as TLSSocket).authorized === true
    let kind = ""
    let answer: { pairs?: Pairs; csv?: string[][] }
    let changed: SimPayment[] = []
    try {
      if (req.method !== "POST") fail("P004")
      const params = parseTelegramForm(body)
      kind = params.telegram_kind ?? ""
      received.push({ kind, path, params: { ...params }, clientCertificate: authorized })
      // No (valid) client certificate: refused before anything else is looked at.
      if (!authorized) fail("P016")
      const { merchant } = checkHeader(state, path, params)
      const fault = faults.forTelegram(kind)
      if (fault) log(`fault ${fault.kind} on ${kind}`)
      if (fault?.kind === "delay") await sleep(fault.ms)
      if (fault?.kind === "reset" && !fault.after) return void req.socket.destroy()
      if (fault?.kind === "status") return send(res, fault.status, HTML, `<html><body><h1>${fault.status}</h1></body></html>`)
      if (fault?.kind === "malformed") return send(res, 200, HTML, "<html><body><h1>Service Temporarily Unavailable</h1></body></html>")
      const r = handleTelegram({ state, origin }, merchant, kind, params)
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
    const utf8 = UTF8_KINDS.has(kind)
    const text = answer.csv ? csvBody(answer.csv) : keyValueBody(answer.pairs ?? [])
    send(res, 200, `text/plain; charset=${utf8 ? "UTF-8" : "Windows-31J"}`, utf8 ? Buffer.from(text, "utf8") : iconv.encode(text, "cp932"))
  }

  function browserAnswer(res: ServerResponse, a: BrowserAnswer) {
    if (a.location) {
      res.writeHead(a.status, { Location: a.location, "Cache-Control": "no-store", "Content-Length": "0" })
      return void res.end()
    }
    send(res, a.status, HTML, a.html ?? "")
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin)
    const path = url.pathname
    const body = await readBody(req, BODY_LIMIT)
    if (MODULE_PATHS.has(path)) return telegram(req, res, path, body)
    const form = () => Object.fromEntries(new URLSearchParams(body.toString("utf8")))
    const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Allow-Methods": "POST, OPTIONS" }
    switch (`${req.method} ${path}`) {
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
      case "GET /__sim/payments":
        return send(res, 200, JSON_CT, JSON.stringify(api.payments(), null, 2))
      case "GET /__sim/notices":
        return send(res, 200, JSON_CT, JSON.stringify(api.notices(), null, 2))
      case "POST /__sim/faults": {
        const err = faults.addChecked(parseJson(body))
        if (err) return sendJson(res, 400, { error: err })
        return sendJson(res, 201, { faults: faults.list() })
      }
      case "DELETE /__sim/faults":
        faults.clear()
        return sendJson(res, 200, {})
      case "POST /__sim/clock": {
        const ms = Number(JSON.parse(body.toString("utf8") || "{}").advanceMs)
        if (!Number.isFinite(ms) || ms < 0) return sendJson(res, 400, { error: "advanceMs must be a non-negative number" })
        await api.advanceClock(ms)
        return sendJson(res, 200, { now: new Date(state.clock.now()).toISOString() })
      }
      case "GET /":
        return send(res, 200, HTML, `<!DOCTYPE html><html><body><h1>PAYGENT simulator</h1><p>Telegrams: POST ${[...MODULE_PATHS].join(", ")} (client certificate required). Browser: /js/PaygentToken.js.</p></body></html>`)
      default:
        return send(res, 404, HTML, "<html><body><h1>404 Not Found</h1></body></html>")
    }
  }

  const server: Server = createServer(
    {
      key: readFileSync(certificates.serverKeyFile),
      cert: readFileSync(certificates.serverCertFile),
      ca: readFileSync(certificates.caFile),
      // Asked for, checked per request: a telegram without a valid one is answered P016.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
    },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`)
        send(res, 500, HTML, "<html><body><h1>500 Internal Server Error</h1></body></html>")
      })
    }
  )
  server.keepAliveTimeout = 5000
  const host = opts.host ?? "127.0.0.1"
  const addr = await listen(server, opts.port ?? 0, host)
  origin = `https://${host.includes(":") ? `[${addr.address}]` : host}:${addr.port}`

  const api = {
    advanceClock: async (ms: number) => {
      state.clock.advance(ms)
      await notices.runTimeoutCalls()
    },
    inject: (f: Fault) => faults.add(f),
    clearFaults: () => faults.clear(),
    payments: () => [...state.payments.values()].map((p) => ({ ...p, card: { ...p.card } })),
    auths: () => [...state.auths.values()].map((a) => ({ ...a, timeoutCalls: [...a.timeoutCalls] })),
    notices: () => state.notices.map((n) => ({ ...n, fields: { ...n.fields }, deliveries: [...n.deliveries] })),
    cards: (merchantId: string, customerId: string) => state.cardsOf(merchantId, customerId).map((c) => ({ ...c })),
    requests: () => received.map((r) => ({ ...r, params: { ...r.params } })),
    setNoticeUrl: (merchantId: string, url: string | undefined) => {
      const m = state.merchants.get(merchantId)
      if (!m) throw new Error(`no merchant ${merchantId} in this simulator`)
      m.noticeUrl = url
    },
    settle: () => notices.settle(),
    createToken: (f: Parameters<PaygentSimulator["createToken"]>[0]) => createToken(state, f as unknown as Record<string, string>),
  }

  return {
    url: origin,
    certificates,
    close: closeOnce(server, () => notices.close()),
    ...api,
  }
}
