/**
 * 請求管理ロボ API simulator — a strict local stand-in for https://billing-robo.jp/api/…, written
 * from the public API specification only (it imports nothing from src/core or src/gateways). It also
 * serves the card gateway's browser side (CPToken.js, EMV3DSAdapter.js, the 3-D Secure challenge)
 * from the ROBOT PAYMENT simulator's code, so one process stands in for both origins. See README.md.
 *
 * Checks before every call: the request count per source IP (300 per 5 minutes by default: 429),
 * the source IP (401, code 13), user_id (401, 11) and access_key (401, 12).
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { controlRouter } from "../common/control"
import iconv from "iconv-lite"
import { sleep } from "../common/faults"
import { answers, readBody, serve } from "../common/http"
import { openStateFile } from "../common/state-file"
import { RequestLog, simulatorBasics, type SimRequest, type Simulator } from "../common/simulator"
import { BrowserEndpoints } from "../robot-payment/browser"
import { TEST_CARDS, CHALLENGE_OTP } from "../robot-payment/cards"
import { jsonFields, parseForm } from "../robot-payment/params"
import { CPTOKEN_JS, EMV3DS_ADAPTER_JS, JQUERY_JS } from "../robot-payment/scripts"
import { DEFAULT_ALLOWED_IPS, SimState as CardState } from "../robot-payment/state"
import { GatewayError as CardGatewayError } from "../robot-payment/codes"
import { ApiError, BillingState, PATHS, bulkRegister, bulkUpsert, cardToken, search, type ApiResult, type SimBill, type SimBilling, type Webhook } from "./api"
import { FaultQueue, type Fault } from "./faults"

export type { Fault } from "./faults"
export type { SimBill, SimBilling } from "./api"
export { PATHS, TEST_CARDS, CHALLENGE_OTP }

export interface BillingRoboSimulatorOptions {
  port?: number
  host?: string
  /** The API user (default "api@shop.example.jp") and access key (default "simaccesskey0123"). */
  userId?: string
  accessKey?: string
  /** 店舗ID of the card gateway (default "123456"). */
  aid?: string
  /** API source IPs allowed (default: loopback). */
  allowedIps?: string[]
  /** 決済データ送信元URL prefixes for CPToken.js (default: no check). */
  allowedReferers?: string[]
  /** Requests per window per source IP (default 300) and the window (default 5 minutes). */
  requestLimit?: number
  requestWindowMs?: number
  /** Where credit_status_issue webhooks go (settable later with setWebhookUrl). */
  webhookUrl?: string
  /** BillingRoboSignaturekey carried by every webhook. */
  signatureKey?: string
  tokenTtlMs?: number
  log?: (line: string) => void
  /** A file that keeps billings, bills, users and transactions across restarts (../common/state-file.ts); default: memory only. */
  stateFile?: string
}

export interface BillingRoboRequest extends SimRequest {
  /** The JSON body without access_key and token. */
  body: Record<string, unknown>
  ip: string
}

export interface WebhookAttempt {
  url: string
  body: Record<string, unknown>
  status: number | null
  error?: string
}

export interface BillingRoboSimulator extends Simulator<Fault, BillingRoboRequest> {
  billings(): SimBilling[]
  bills(): SimBill[]
  webhooks(): WebhookAttempt[]
  setWebhookUrl(url: string | undefined): void
  readonly signatureKey: string
  readonly credentials: { userId: string; accessKey: string; aid: string }
}

const JSON_CT = "application/json; charset=utf-8"
const JS = "application/javascript; charset=utf-8"
const HTML = "text/html; charset=utf-8"
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type" }
const { send } = answers({ jsonContentType: JSON_CT })

const API: Record<string, (s: BillingState, body: Record<string, unknown>) => ApiResult> = {
  [PATHS.upsert]: bulkUpsert,
  [PATHS.cardToken]: cardToken,
  [PATHS.search]: search,
  [PATHS.register]: bulkRegister,
}

export async function startBillingRoboSimulator(opts: BillingRoboSimulatorOptions = {}): Promise<BillingRoboSimulator> {
  const log = opts.log ?? (() => undefined)
  const credentials = { userId: opts.userId ?? "api@shop.example.jp", accessKey: opts.accessKey ?? "simaccesskey0123", aid: opts.aid ?? "123456" }
  const signatureKey = opts.signatureKey ?? "$2y$10$simulatorSignatureKey0123456789abcdef"
  const tokenTtlMs = opts.tokenTtlMs ?? 15 * 60_000
  const cards = new CardState([{ aid: credentials.aid, ...(opts.allowedReferers ? { allowedReferers: opts.allowedReferers } : {}) }])
  const state = new BillingState(cards, credentials.aid, tokenTtlMs)
  const stateFile = openStateFile(opts.stateFile, "billing-robo", state)
  const browser = new BrowserEndpoints(cards, { tokenTtlMs })
  const faults = new FaultQueue()
  const received = new RequestLog<BillingRoboRequest>(cards.clock)
  const allowedIps = opts.allowedIps ?? DEFAULT_ALLOWED_IPS
  const limit = opts.requestLimit ?? 300
  const windowMs = opts.requestWindowMs ?? 5 * 60_000
  const hits = new Map<string, number[]>()
  let webhookUrl = opts.webhookUrl
  const webhookLog: WebhookAttempt[] = []
  const pending = new Set<Promise<void>>()
  let closing = false
  let webhookId = 1

  const api = {
    ...simulatorBasics({ clock: cards.clock, faults, requests: received }),
    billings: () => structuredClone([...state.billings.values()]),
    bills: () => structuredClone(state.bills),
    webhooks: () => structuredClone(webhookLog),
    setWebhookUrl: (url: string | undefined) => {
      webhookUrl = url
    },
    signatureKey,
    credentials,
  }

  const control = controlRouter(api, {
    "GET /__sim/billings": () => api.billings(),
    "GET /__sim/bills": () => api.bills(),
    "GET /__sim/webhooks": () => api.webhooks(),
  })

  function sendWebhooks(list: Webhook[]): void {
    if (!webhookUrl || closing) return
    for (const w of list) {
      const times = faults.takeDuplicateWebhook() ? 2 : 1
      const now = new Date(cards.clock.now() + 9 * 3600_000).toISOString().replace("T", " ").slice(0, 19)
      const body = {
        BillingRoboSignaturekey: signatureKey,
        org: "BillingRobo_RobotPayment",
        id: String(webhookId++),
        event_name: w.event_name,
        regist_time: now,
        notification_time: now,
        billing_source_id: "1",
        event_detail: w.event_detail,
      }
      for (let i = 0; i < times; i++) {
        const url = webhookUrl
        const attempt: WebhookAttempt = { url, body, status: null }
        webhookLog.push(attempt)
        const p = fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) })
          .then(async (r) => {
            attempt.status = r.status
            await r.arrayBuffer().catch(() => undefined)
          })
          .catch((e: Error) => {
            attempt.error = e.message
          })
          .finally(() => pending.delete(p))
        pending.add(p)
        log(`webhook credit_status_issue → ${url}`)
      }
    }
  }

  /** Counts the request (a refused one counts too, as the specification warns) and says whether it is over the limit. */
  function limited(ip: string): boolean {
    const now = cards.clock.now()
    const list = (hits.get(ip) ?? []).filter((t) => now - t < windowMs)
    list.push(now)
    hits.set(ip, list)
    return list.length > limit
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    const method = req.method ?? "GET"
    const body = await readBody(req)
    const ip = req.socket.remoteAddress ?? ""
    const isApi = path.startsWith("/api/")
    let json: Record<string, unknown> | null = null
    if (isApi) {
      try {
        const v = JSON.parse(body.toString("utf8"))
        json = typeof v === "object" && v !== null && !Array.isArray(v) ? v : null
      } catch {
        json = null
      }
      const { access_key: _k, token: _t, ...shown } = json ?? {}
      received.add(method, path, { body: shown, ip })
    }
    const fault = faults.takeForRequest(path, isApi)
    if (fault) log(`fault ${fault.kind} on ${method} ${path}`)
    if (fault?.kind === "delay" && !fault.after) await sleep(fault.ms)
    if (fault?.kind === "reset" && !fault.after) return void req.socket.destroy()
    if (fault?.kind === "status") return send(res, fault.status, HTML, `<html><body><h1>${fault.status}</h1></body></html>`)
    if (fault?.kind === "malformed") return send(res, 200, HTML, "<html><body><h1>Service Unavailable</h1></body></html>")
    if (fault?.kind === "maintenance") return send(res, 503, JSON_CT, JSON.stringify({ error: { code: 19, message: "Under maintenance." } }))
    const resetAfter = fault?.kind === "reset" && fault.after === true

    let status = 200
    let contentType = JSON_CT
    let out: string
    let extra: Record<string, string> = {}
    let webhooks: Webhook[] = []
    if (isApi) {
      const r = callApi(method, path, json, ip)
      status = r.status ?? 200
      out = JSON.stringify(r.body)
      webhooks = r.webhooks
      log(`${method} ${path} → ${status}`)
    } else {
      const route = `${method} ${path}`
      const origin = header(req, "origin")
      const referer = header(req, "referer")
      switch (route) {
        case "GET /gateway/js/jquery.js":
          ;[contentType, out] = [JS, JQUERY_JS]
          break
        case "GET /gateway/js/CPToken.js":
          ;[contentType, out] = [JS, CPTOKEN_JS]
          break
        case "GET /gateway/js/EMV3DSAdapter.js":
          ;[contentType, out] = [JS, EMV3DS_ADAPTER_JS]
          break
        case "OPTIONS /gateway/token/create":
        case "OPTIONS /gateway/3ds/authenticate":
          res.writeHead(204, CORS)
          res.end()
          return
        case "POST /gateway/token/create":
        case "POST /gateway/3ds/authenticate": {
          extra = CORS
          let fields: Record<string, string>
          try {
            const ct = (header(req, "content-type") ?? "").toLowerCase()
            fields = ct.startsWith("application/x-www-form-urlencoded") ? Object.fromEntries(parseForm(body.toString("utf8"))) : jsonFields(body)
          } catch (e) {
            if (!(e instanceof CardGatewayError)) throw e
            out = JSON.stringify({ resultCode: e.code, errMsg: e.message })
            break
          }
          const r = path.endsWith("/create") ? browser.createToken(fields, origin, referer) : browser.authenticate(fields, origin, referer)
          out = JSON.stringify(r)
          break
        }
        case "GET /gateway/3ds/challenge":
          contentType = HTML
          ;[status, out] = browser.challengeGet(url.searchParams.get("id") ?? undefined)
          break
        case "POST /gateway/3ds/challenge": {
          contentType = HTML
          let fields: Record<string, string> = {}
          try {
            fields = Object.fromEntries(parseForm(body.toString("utf8")))
          } catch {
            fields = {}
          }
          ;[status, out] = browser.challengePost(fields)
          break
        }
        default:
          // The API answers an unknown path with its common error 10 (不明なURI). [?] its HTTP status.
          status = 404
          out = JSON.stringify({ error: { code: 10, message: "Unknown URI." } })
      }
    }
    if (resetAfter) return void req.socket.destroy()
    if (fault?.kind === "delay" && fault.after) await sleep(fault.ms)
    // wrong-encoding: the same text in Shift_JIS bytes, still labelled utf-8
    send(res, status, contentType, fault?.kind === "wrong-encoding" ? iconv.encode(out, "cp932") : out, extra)
    if (webhooks.length) sendWebhooks(webhooks)
  }

  function callApi(method: string, path: string, json: Record<string, unknown> | null, ip: string): ApiResult {
    const error = (status: number, code: number | string, message: string): ApiResult => ({ status, body: { error: { code, message } }, webhooks: [] })
    if (limited(ip)) return error(429, 20, "Too many requests.")
    const handler = API[path]
    if (!handler) return error(404, 10, "Unknown URI.")
    if (method !== "POST") return error(404, 10, "Unknown URI.")
    if (!allowedIps.includes(ip)) return error(401, 13, "Invalid IP address.")
    if (!json) return error(400, 1, "The body is not a JSON object.")
    if (json.user_id !== credentials.userId) return error(401, 11, "Invalid 'user_id'.")
    if (json.access_key !== credentials.accessKey) return error(401, 12, "Invalid 'access_key'.")
    try {
      return handler(state, json)
    } catch (e) {
      if (e instanceof ApiError) return error(e.status, e.code, e.message)
      throw e
    }
  }

  const { url, close } = await serve({
    port: opts.port,
    host: opts.host,
    control,
    handle,
    internalError: (res) => send(res, 500, JSON_CT, JSON.stringify({ error: { code: 1, message: "Internal error." } })),
    log,
    beforeClose: () => {
      closing = true
    },
    stateFile,
  })
  return {
    url,
    close: async () => {
      closing = true
      await Promise.allSettled([...pending])
      await close()
    },
    ...api,
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}
