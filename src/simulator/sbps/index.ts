/**
 * SBPS (SB Payment Service) API型 simulator — a strict local stand-in for
 * https://api.sps-system.com/api/xmlapi.do and the token scripts, written from SBPS's API and
 * one-time-token documents only (it imports nothing from src/core or src/gateways). See README.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { SimClock } from "../common/clock"
import { controlRouter } from "../common/control"
import { sleep } from "../common/faults"
import { answers, readBody, serve } from "../common/http"
import { openStateFile } from "../common/state-file"
import { RequestLog, simulatorBasics, type SimRequest, type Simulator } from "../common/simulator"
import { CHALLENGE_CODE, maskPan } from "./cards"
import { FaultQueue, functionIdOf, type Fault } from "./faults"
import { SbpsSimGateway, type ApiOutcome, type MerchantConfig, type PaymentMethodContract, type SimCustomer, type SimTransaction } from "./gateway"
import { TDS2_JS, TOKEN_JS, challengePage, errorPage, returnPage } from "./scripts"

export { TEST_CARDS, CHALLENGE_CODE, type TestCard } from "./cards"
export type { MerchantConfig, PaymentMethodContract, SimTransaction, SimCustomer } from "./gateway"
export { DIVIDE_TIMES } from "./gateway"
export type { Fault } from "./faults"

export const SANDBOX_MERCHANT: MerchantConfig = { merchantId: "30132", serviceId: "002", hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a" }

export interface SbpsSimulatorOptions {
  port?: number
  host?: string
  /** Default [SANDBOX_MERCHANT] (SBPS's public sandbox ids). */
  merchants?: MerchantConfig[]
  /** One-time token life; the vendor says only "一定時間". Default 10 minutes (simulator's choice). */
  tokenTtlMs?: number
  log?: (line: string) => void
  /** A file that keeps what the gateway holds across restarts (../common/state-file.ts); default: memory only. */
  stateFile?: string
}

/**
 * A request to the XML API: its 機能ID as it arrived, then what the API answered (no `result` when
 * there was no XML answer: a 401, or a fault cut it off).
 */
export interface SbpsRequest extends SimRequest, Partial<Omit<ApiOutcome, "id">> {
  id: string | undefined
}

/** The clock is the one request_date is checked against; it also ages tokens. */
export interface SbpsSimulator extends Simulator<Fault, SbpsRequest> {
  /** Makes every token issued so far `ms` older (token expiry without moving the request-date clock). */
  ageTokens(ms: number): void
  transactions(): SimTransaction[]
  customers(): SimCustomer[]
  /**
   * The 支払方法 a merchant's contract takes besides 一括 (undefined: 一括 only), for every merchant or
   * the one with this merchantId+serviceId.
   */
  setPaymentMethods(contract: PaymentMethodContract | undefined, merchant?: string): void
}

const API_PATH = "/api/xmlapi.do"
/** SBPS answers: no Content-Length (sent chunked), its own Cache-Control, JSON without a charset. */
const { send, sendJson } = answers({ jsonContentType: "application/json", cacheControl: "no-cache,no-store,max-age=0", contentLength: false })
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type" }

export async function startSbpsSimulator(opts: SbpsSimulatorOptions = {}): Promise<SbpsSimulator> {
  const clock = new SimClock()
  let url = ""
  // Copies: setPaymentMethods changes this simulator's merchants only.
  const gw = new SbpsSimGateway((opts.merchants ?? [SANDBOX_MERCHANT]).map((m) => ({ ...m })), () => clock.now(), opts.tokenTtlMs ?? 10 * 60_000, () => url)
  const stateFile = openStateFile(opts.stateFile, "sbps", gw)
  const faults = new FaultQueue(API_PATH)
  const received = new RequestLog<SbpsRequest>(clock)
  const log = opts.log ?? (() => undefined)

  async function handle(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    const path = u.pathname
    const method = req.method ?? "GET"
    const body = await readBody(req)
    log(`${method} ${path}`)
    const isApi = method === "POST" && path === API_PATH
    const id = functionIdOf(body)
    const entry = isApi ? received.add(method, path, { id }) : undefined
    const fault = faults.forRequest(path, id)
    if (fault?.kind === "delay" && !fault.after) await sleep(fault.ms)
    if (fault?.kind === "reset" && !fault.after) return void req.socket.destroy()
    if (fault?.kind === "status") return send(res, fault.status, "text/html", errorPage(fault.status, "Service Temporarily Unavailable"))
    if (fault?.kind === "malformed") return send(res, 200, "text/xml;charset=Shift_JIS", "<sps-api-request><res_result>OK</res_result>")

    if (method === "OPTIONS") {
      res.writeHead(204, CORS)
      return void res.end()
    }
    if (isApi) {
      const r = gw.handle(req.headers, body)
      if (r.outcome) Object.assign(entry!, r.outcome)
      if (fault?.kind === "reset" && fault.after) return void req.socket.destroy()
      if (fault?.kind === "delay" && fault.after) await sleep(fault.ms)
      if (fault?.kind === "wrong-encoding") return send(res, 200, "text/xml;charset=UTF-8", Buffer.from(r.body.toString("latin1"), "utf8"))
      return send(res, r.status, r.contentType, r.body)
    }
    if (method === "GET" && path === "/sbpstoken/com_sbps_system_token.js") return send(res, 200, "application/javascript; charset=utf-8", TOKEN_JS)
    if (method === "GET" && path === "/sbpstoken/com_sbps_system_tds2infotoken.js") return send(res, 200, "application/javascript; charset=utf-8", TDS2_JS)
    if (method === "POST" && (path === "/sbpstoken/token" || path === "/sbpstoken/tds2infotoken")) {
      let json: Record<string, unknown>
      try {
        json = JSON.parse(body.toString("utf8") || "{}")
      } catch {
        return sendJson(res, 400, { result: "NG", errorCode: "99999" }, CORS)
      }
      const out = path === "/sbpstoken/token" ? gw.issueToken(json) : gw.issueTdsInfoToken(json)
      return send(res, 200, "application/json; charset=utf-8", JSON.stringify(out), CORS)
    }
    const m = /^\/tds2\/authenticate\/([A-F0-9]+)$/.exec(path)
    if (m && method === "GET") {
      const r = gw.startAuthentication(m[1])
      if (r.error) return send(res, 404, "text/html; charset=utf-8", errorPage(404, r.error))
      if (r.challenge) return send(res, 200, "text/html; charset=utf-8", challengePage(r.challenge.id, r.challenge.amount, maskPan(r.challenge.card.pan)))
      return send(res, 200, "text/html; charset=utf-8", returnPage(r.redirect!))
    }
    if (m && method === "POST") {
      const otp = new URLSearchParams(body.toString("utf8")).get("otp") ?? ""
      const r = gw.finishChallenge(m[1], otp, CHALLENGE_CODE)
      if (r.error) return send(res, 404, "text/html; charset=utf-8", errorPage(404, r.error))
      return send(res, 200, "text/html; charset=utf-8", returnPage(r.redirect!))
    }
    return send(res, 404, "text/html", errorPage(404, "Not Found"))
  }

  const api = {
    ...simulatorBasics({ clock, faults, requests: received }),
    ageTokens: (ms: number) => {
      for (const t of gw.tokens.values()) t.issuedAt -= ms
      for (const t of gw.tdsTokens.values()) t.issuedAt -= ms
    },
    transactions: () => [...gw.transactions.values()].map(redactTx),
    customers: () => [...gw.customers.values()],
    setPaymentMethods: (contract: PaymentMethodContract | undefined, merchant?: string) => {
      const ms = gw.merchants.filter((m) => merchant === undefined || m.merchantId + m.serviceId === merchant)
      if (!ms.length) throw new Error(`no merchant ${merchant} in this simulator`)
      for (const m of ms) m.paymentMethods = contract
    },
  }
  const control = controlRouter(api, {
    "GET /__sim/transactions": () => api.transactions(),
    "GET /__sim/customers": () => [...gw.customers.values()].map((c) => ({ ...c, card: { masked: maskPan(c.card.pan), expiry: c.card.expiry } })),
  })

  const listening = await serve({
    port: opts.port,
    host: opts.host,
    control,
    handle,
    internalError: (res) => send(res, 500, "text/html", errorPage(500, "Internal Server Error")),
    log,
    stateFile,
  })
  url = listening.url
  return { url, close: listening.close, ...api }
}

function redactTx(t: SimTransaction): SimTransaction {
  return { ...t, card: { pan: maskPan(t.card.pan), expiry: t.card.expiry } }
}
