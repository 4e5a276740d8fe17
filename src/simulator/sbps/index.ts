/**
 * SBPS (SB Payment Service) API型 simulator — a strict local stand-in for
 * https://api.sps-system.com/api/xmlapi.do and the token scripts, written from
 * ../shared/reference/sbps.md and the vendor's token document only (it imports
 * nothing from src/core or src/gateways). See README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { sleep } from "../shared/faults"
import { answers, closeOnce, listen, readBody } from "../shared/http"
import { CHALLENGE_CODE, maskPan } from "./cards"
import { FaultQueue, type Fault } from "./faults"
import { SbpsSimGateway, type MerchantConfig, type SimCustomer, type SimRequestLog, type SimTransaction } from "./gateway"
import { TDS2_JS, TOKEN_JS, challengePage, errorPage, returnPage } from "./scripts"

export { TEST_CARDS, CHALLENGE_CODE, type TestCard } from "./cards"
export type { MerchantConfig, SimTransaction, SimCustomer, SimRequestLog } from "./gateway"
export type { Fault } from "./faults"

export const SANDBOX_MERCHANT: MerchantConfig = { merchantId: "30132", serviceId: "002", hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a" }

export interface SbpsSimulatorOptions {
  port?: number
  host?: string
  /** Default [SANDBOX_MERCHANT] (the public sandbox ids of reference §3). */
  merchants?: MerchantConfig[]
  /** One-time token life; the vendor says only "一定時間". Default 10 minutes (simulator's choice). */
  tokenTtlMs?: number
  log?: (line: string) => void
}

export interface SbpsSimulator {
  url: string
  close(): Promise<void>
  advanceClock(ms: number): void
  /** Makes every token issued so far `ms` older (token expiry without moving the request-date clock). */
  ageTokens(ms: number): void
  inject(fault: Fault): void
  clearFaults(): void
  transactions(): SimTransaction[]
  customers(): SimCustomer[]
  requests(): SimRequestLog[]
}

const API_PATH = "/api/xmlapi.do"
/** SBPS answers: no Content-Length (sent chunked), its own Cache-Control, JSON without a charset. */
const { send, sendJson } = answers({ jsonContentType: "application/json", cacheControl: "no-cache,no-store,max-age=0", contentLength: false })
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type" }

export async function startSbpsSimulator(opts: SbpsSimulatorOptions = {}): Promise<SbpsSimulator> {
  let offset = 0
  const clock = () => Date.now() + offset
  let url = ""
  const gw = new SbpsSimGateway(opts.merchants ?? [SANDBOX_MERCHANT], clock, opts.tokenTtlMs ?? 10 * 60_000, () => url)
  const faults = new FaultQueue(API_PATH)
  const log = opts.log ?? (() => undefined)

  const server = createServer((req, res) => {
    void route(req, res).catch((e) => {
      log(`error: ${(e as Error).stack}`)
      if (!res.headersSent) send(res, 500, "text/html", errorPage(500, "Internal Server Error"))
    })
  })

  async function route(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? "/", "http://x")
    const path = u.pathname
    const method = req.method ?? "GET"
    const body = await readBody(req)
    log(`${method} ${path}`)
    if (path.startsWith("/__sim/")) return control(method, path, body, res)
    const fault = faults.forRequest(path, body)
    if (fault?.kind === "delay") await sleep(fault.ms)
    if (fault?.kind === "reset" && !fault.after) return req.socket.destroy()
    if (fault?.kind === "status") return send(res, fault.status, "text/html", errorPage(fault.status, "Service Temporarily Unavailable"))
    if (fault?.kind === "malformed") return send(res, 200, "text/xml;charset=Shift_JIS", "<sps-api-response><res_result>OK</res_result>")

    if (method === "OPTIONS") {
      res.writeHead(204, CORS)
      return res.end()
    }
    if (method === "POST" && path === API_PATH) {
      const r = gw.handle(req.headers, body)
      if (fault?.kind === "reset" && fault.after) return req.socket.destroy()
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

  function control(method: string, path: string, body: Buffer, res: ServerResponse) {
    const json = (status: number, v: unknown) => sendJson(res, status, v)
    switch (`${method} ${path}`) {
      case "GET /__sim/transactions":
        return json(200, [...gw.transactions.values()].map(redactTx))
      case "GET /__sim/customers":
        return json(200, [...gw.customers.values()].map((c) => ({ ...c, card: { masked: maskPan(c.card.pan), expiry: c.card.expiry } })))
      case "GET /__sim/requests":
        return json(200, gw.requests)
      case "POST /__sim/faults": {
        faults.add(JSON.parse(body.toString("utf8")) as Fault)
        return json(201, { ok: true })
      }
      case "DELETE /__sim/faults":
        faults.clear()
        return json(200, { ok: true })
      case "POST /__sim/clock": {
        const { advanceMs } = JSON.parse(body.toString("utf8")) as { advanceMs: number }
        offset += Number(advanceMs) || 0
        return json(200, { now: new Date(clock()).toISOString() })
      }
      default:
        return json(404, { error: "unknown control endpoint" })
    }
  }

  const addr = await listen(server, opts.port ?? 0, opts.host ?? "127.0.0.1")
  url = `http://${addr.address.includes(":") ? `[${addr.address}]` : addr.address}:${addr.port}`

  return {
    url,
    close: closeOnce(server),
    advanceClock: (ms) => {
      offset += ms
    },
    ageTokens: (ms) => {
      for (const t of gw.tokens.values()) t.issuedAt -= ms
      for (const t of gw.tdsTokens.values()) t.issuedAt -= ms
    },
    inject: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    transactions: () => [...gw.transactions.values()].map(redactTx),
    customers: () => [...gw.customers.values()],
    requests: () => [...gw.requests],
  }
}

function redactTx(t: SimTransaction): SimTransaction {
  return { ...t, card: { pan: maskPan(t.card.pan), expiry: t.card.expiry } }
}
