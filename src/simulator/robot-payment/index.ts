/**
 * ROBOT PAYMENT card gateway simulator — a strict local stand-in for
 * https://credit.j-payment.co.jp/gateway/..., written from the vendor specs
 * only (it imports nothing from src/core or src/gateways). See README.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { ControlPage, controlRouter } from "../common/control"
import iconv from "iconv-lite"
import { sleep } from "../common/faults"
import { answers, serve } from "../common/http"
import { openStateFile } from "../common/state-file"
import { RequestLog, simulatorBasics, type SimRequest, type Simulator } from "../common/simulator"
import { GatewayError } from "./codes"
import { BrowserEndpoints } from "./browser"
import { FaultQueue, type Fault } from "./faults"
import { GatewayEndpoints, SERVER_TO_SERVER_PATHS } from "./gateway"
import { KickbackSender, type KickbackAttempt } from "./kickback"
import { gatewayParams, jsonFields, parseForm, readBody, type ParsedParams } from "./params"
import { CPTOKEN_JS, EMV3DS_ADAPTER_JS, JQUERY_JS, demoPage, errorPage, indexPage } from "./scripts"
import { SimState, type SimTransaction, type SimUser, type StoreConfig } from "./state"

export type { Fault } from "./faults"
export type { SimTransaction, SimUser, SimCard, StoreConfig } from "./state"
export type { KickbackAttempt } from "./kickback"
export { TEST_CARDS, CHALLENGE_OTP, type TestCard } from "./cards"
export { ER_CODES, G_CODES } from "./codes"

export interface RobotPaymentSimulatorOptions {
  /** 0 = random free port (default 0). */
  port?: number
  /** Default "127.0.0.1". */
  host?: string
  /** Default [{ aid: "123456" }]; allowedIps default: loopback (127.0.0.1, ::1, ::ffff:127.0.0.1). */
  stores?: StoreConfig[]
  /** Token life, default 15 minutes (simulated clock). */
  tokenTtlMs?: number
  /** Delay before a kickback is sent, default 50 ms. */
  kickbackDelayMs?: number
  /** Interval between kickback retries, default 1000 ms (simulator's assumption). */
  kickbackRetryIntervalMs?: number
  /** Retries after the first kickback attempt, default 3 (simulator's assumption). */
  kickbackMaxRetries?: number
  /** Timeout of one kickback request, default 5000 ms. */
  kickbackTimeoutMs?: number
  /** Log sink (one line per request / kickback); default: silent. */
  log?: (line: string) => void
  /** A file that keeps users, cards and transactions across restarts (../common/state-file.ts); default: memory only. */
  stateFile?: string
}

/** A server-to-server request (/gateway/*.aspx) with its parameters decoded (none when they could not be). */
export interface RobotPaymentRequest extends SimRequest {
  params: Record<string, string>
}

/** The clock moves token expiry, card expiry and the 90-day AUTH limit. */
export interface RobotPaymentSimulator extends Simulator<Fault, RobotPaymentRequest> {
  transactions(): SimTransaction[]
  users(): SimUser[]
  kickbacks(): KickbackAttempt[]
  /** Sets a store's 決済結果通知URL (known only once the merchant's server is up). */
  setKickbackUrl(aid: string, url: string | undefined): void
}

const HTML = "text/html; charset=utf-8"
const JS = "application/javascript; charset=utf-8"
const JSON_CT = "application/json; charset=utf-8"

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "600",
}

const MALFORMED_BODY = "<html><body><h1>Service Unavailable</h1></body></html>"

const { send } = answers({ jsonContentType: JSON_CT })

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

export async function startRobotPaymentSimulator(opts: RobotPaymentSimulatorOptions = {}): Promise<RobotPaymentSimulator> {
  const log = opts.log ?? (() => undefined)
  const tokenTtlMs = opts.tokenTtlMs ?? 15 * 60_000
  const state = new SimState(opts.stores ?? [{ aid: "123456" }])
  const stateFile = openStateFile(opts.stateFile, "robot-payment", state)
  const faults = new FaultQueue()
  const received = new RequestLog<RobotPaymentRequest>(state.clock)
  const kickbacks = new KickbackSender({
    delayMs: opts.kickbackDelayMs ?? 50,
    retryIntervalMs: opts.kickbackRetryIntervalMs ?? 1000,
    maxRetries: opts.kickbackMaxRetries ?? 3,
    timeoutMs: opts.kickbackTimeoutMs ?? 5000,
    log,
  })
  const gateway = new GatewayEndpoints(state, { tokenTtlMs, log })
  const browser = new BrowserEndpoints(state, { tokenTtlMs })

  const api = {
    ...simulatorBasics({ clock: state.clock, faults, requests: received }),
    transactions: () => state.snapshotTransactions(),
    users: () => state.snapshotUsers(),
    kickbacks: () => kickbacks.list(),
    setKickbackUrl: (aid: string, url: string | undefined) => {
      const store = state.stores.get(aid)
      if (!store) throw new Error(`no store ${aid} in this simulator`)
      store.kickbackUrl = url
    },
  }

  const control = controlRouter(api, {
    "GET /__sim/transactions": () => api.transactions(),
    "GET /__sim/users": () => api.users(),
    "GET /__sim/kickbacks": () => api.kickbacks(),
    "GET /__sim/demo": ({ url }) => new ControlPage(demoPage(url.searchParams.get("aid") ?? [...state.stores.keys()][0])),
  })

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    const method = req.method ?? "GET"
    const body = await readBody(req)
    const isS2S = SERVER_TO_SERVER_PATHS.has(path)
    let params: ParsedParams | GatewayError | undefined
    if (isS2S) {
      try {
        params = gatewayParams(url.search.slice(1), header(req, "content-type"), body)
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e
        params = e
      }
      received.add(method, path, { params: params instanceof GatewayError ? {} : { ...params.map } })
    }

    const fault = faults.takeForRequest(path, isS2S)
    if (fault) log(`fault ${fault.kind} on ${method} ${path}`)
    if (fault?.kind === "delay" && !fault.after) await sleep(fault.ms)
    if (fault?.kind === "reset" && !fault.after) {
      req.socket.destroy()
      return
    }
    if (fault?.kind === "status") return send(res, fault.status, HTML, errorPage(fault.status, "Server Error"))
    if (fault?.kind === "malformed") return send(res, 200, HTML, MALFORMED_BODY)
    const resetAfter = fault?.kind === "reset" && fault.after === true

    let status = 200
    let contentType = HTML
    let out: string
    let extra: Record<string, string> = {}
    if (isS2S && params) {
      const r = gateway.handle(path, method, params, req.socket.remoteAddress ?? "")
      log(`${method} ${r.summary}`)
      out = r.body
      if (r.kickback) kickbacks.send(r.kickback.url, r.kickback.fields, faults.takeDuplicateKickback())
    } else {
      const origin = header(req, "origin")
      const referer = header(req, "referer")
      const route = `${method} ${path}`
      switch (route) {
        case "GET /":
          out = indexPage([...state.stores.keys()])
          break
        case "GET /favicon.ico":
          res.writeHead(204)
          res.end()
          return
        case "GET /gateway/js/jquery.js":
          contentType = JS
          out = JQUERY_JS
          break
        case "GET /gateway/js/CPToken.js":
          contentType = JS
          out = CPTOKEN_JS
          break
        case "GET /gateway/js/EMV3DSAdapter.js":
          contentType = JS
          out = EMV3DS_ADAPTER_JS
          break
        case "OPTIONS /gateway/token/create":
        case "OPTIONS /gateway/3ds/authenticate":
          res.writeHead(204, CORS_HEADERS)
          res.end()
          return
        case "POST /gateway/token/create":
        case "POST /gateway/3ds/authenticate": {
          contentType = JSON_CT
          extra = CORS_HEADERS
          let fields: Record<string, string>
          try {
            const ct = (header(req, "content-type") ?? "").toLowerCase()
            fields = ct.startsWith("application/x-www-form-urlencoded")
              ? Object.fromEntries(parseForm(body.toString("utf8")))
              : jsonFields(body)
          } catch (e) {
            if (!(e instanceof GatewayError)) throw e
            out = JSON.stringify({ resultCode: e.code, errMsg: e.message })
            break
          }
          const r = path.endsWith("/create") ? browser.createToken(fields, origin, referer) : browser.authenticate(fields, origin, referer)
          log(`${method} ${path} → ${r.resultCode}${r.challengeUrl ? " (challenge)" : ""}`)
          out = JSON.stringify(r)
          break
        }
        case "GET /gateway/3ds/challenge": {
          ;[status, out] = browser.challengeGet(url.searchParams.get("id") ?? undefined)
          break
        }
        case "POST /gateway/3ds/challenge": {
          let fields: Record<string, string> = {}
          try {
            fields = Object.fromEntries(parseForm(body.toString("utf8")))
          } catch {
            fields = {}
          }
          ;[status, out] = browser.challengePost(fields)
          log(`${method} ${path} → ${out.includes('data-result="success"') ? "success" : "failed"}`)
          break
        }
        default:
          status = 404
          out = errorPage(404, "Not Found")
      }
    }
    if (resetAfter) {
      req.socket.destroy()
      return
    }
    if (fault?.kind === "delay" && fault.after) await sleep(fault.ms)
    // wrong-encoding: the same text in Shift_JIS bytes, still labelled utf-8
    send(res, status, contentType, fault?.kind === "wrong-encoding" ? iconv.encode(out, "cp932") : out, extra)
  }

  const { url, close } = await serve({
    port: opts.port,
    host: opts.host,
    control,
    handle,
    internalError: (res) => send(res, 500, HTML, errorPage(500, "Internal Server Error")),
    log,
    beforeClose: () => kickbacks.close(),
    stateFile,
  })
  return { url, close, ...api }
}
