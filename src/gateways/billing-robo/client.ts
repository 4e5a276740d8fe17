// 請求管理ロボ client: one method per API call, in the API's own words. JSON POST, credentials in the
// body. HTTP 401 (credentials, IP), 429 (300 requests / 5 minutes per IP) and 503 (maintenance) are
// the API's documented refusals: nothing was processed. A read or an idempotent upsert answered 429
// waits and asks again; a charge never is resent.
import { GatewayError } from "../../core/gateway"
import { Transport, decodeBody, charsetOf, type Logger } from "../../core/http"
import { codeError, httpError, readAnswer, type Effect } from "../../core/vocabulary"
import {
  SECRET_FIELDS,
  cardTokenBody,
  chargeBody,
  parseCharge,
  parseJson,
  parseSearch,
  parseUpsert,
  topError,
  upsertBody,
  upsertError,
  type ApiError,
  type CardTokenRequest,
  type ChargeRequest,
  type ChargeResult,
  type PaymentMethodRow,
  type UpsertBilling,
  type UpsertResult,
} from "./codec"
import { describeCode, type Endpoint } from "./codes"

export const NAME = "請求管理ロボ"

export const PATHS = {
  upsert: "/api/v1.0/billing/bulk_upsert",
  cardToken: "/api/v1.0/billing_payment_method/credit_card_token",
  search: "/api/v1.0/billing_payment_method/search",
  // The 即時決済 API has no v1.0 in its path (the vendor's list says so).
  register: "/api/demand/bulk_register",
} as const

export interface BillingRoboClientConfig {
  userId: string
  accessKey: string
  baseUrl: string
  maxRetries?: number
  retryDelayMs?: number
  timeoutMs?: number
  connectTimeoutMs?: number
  logger?: Logger
  /** Waits between retries (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>
}

export class BillingRoboClient {
  private readonly transport: Transport

  constructor(private readonly config: BillingRoboClientConfig) {
    this.transport = new Transport(NAME, SECRET_FIELDS, {
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      logger: config.logger,
    })
  }

  /** 請求先登録更新: the 請求先, its 部署 and its card 決済情報 (idempotent: same codes, same records). */
  async upsertBilling(b: UpsertBilling): Promise<UpsertResult> {
    const body = await this.post(PATHS.upsert, upsertBody(b), "reads", "upsert")
    const e = upsertError(body)
    if (e) throw this.error(e, "upsert")
    return readAnswer(NAME, "reads", () => parseUpsert(body))
  }

  /** クレジットカード登録 (トークン方式 3Dセキュア利用): registers or replaces the 決済情報's card. */
  async registerCardToken(r: CardTokenRequest): Promise<void> {
    await this.post(PATHS.cardToken, cardTokenBody(r), "moves", "token")
  }

  /** 決済情報参照 by 請求先コード (and 決済情報コード). */
  async searchPaymentMethods(q: { billing_code: string; code?: string }): Promise<PaymentMethodRow[]> {
    const body = await this.post(PATHS.search, { billing_payment_method: q }, "reads", "search")
    const { rows, error } = readAnswer(NAME, "reads", () => parseSearch(body))
    if (error) throw this.error(error, "search")
    return rows
  }

  /** 即時決済 請求書合算 (jb CAPTURE): bills the 部署 and charges its registered card at once. */
  async chargeNow(r: ChargeRequest): Promise<ChargeResult> {
    const body = await this.post(PATHS.register, chargeBody(r), "moves", "register")
    const result = readAnswer(NAME, "moves", () => parseCharge(body))
    if (result.error) throw this.error(result.error, "register", result.error.ec)
    return result
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  // ---- the shared vocabulary ------------------------------------------------------------------

  private async post(path: string, fields: Record<string, unknown>, effect: Effect, at: Endpoint): Promise<Record<string, unknown>> {
    const data = JSON.stringify({ user_id: this.config.userId, access_key: this.config.accessKey, ...fields })
    const retries = effect === "reads" ? this.config.maxRetries ?? 2 : 0
    let delay = this.config.retryDelayMs ?? 2_000
    for (let attempt = 0; ; attempt++) {
      const res = await this.transport.request({ method: "POST", path, body: { data, contentType: "application/json; charset=UTF-8" }, effect })
      const text = decodeBody(res.body, charsetOf(res.headers))
      if (res.status === 429 && attempt < retries) {
        const after = Number(res.headers["retry-after"])
        await (this.config.sleep ?? sleep)(Number.isFinite(after) && after > 0 ? after * 1000 : delay)
        delay *= 2
        continue
      }
      if (res.status === 429) {
        throw new GatewayError({
          code: "HTTP_429",
          kind: "retry",
          message: `${NAME} is limiting this server's requests (300 per 5 minutes): nothing was processed, try again in a few minutes`,
          messageJa: `${NAME} のリクエスト数制限 (5分間に300回) に達しました。処理はされていません。数分後にお試しください。`,
        })
      }
      let body: Record<string, unknown> | null = null
      try {
        body = parseJson(text)
      } catch {
        body = null
      }
      if (res.status !== 200) {
        // 400 / 401 / 503 carry the documented error object: the request was refused, not processed.
        const e = body ? safeTopError(body) : null
        if (e && [400, 401, 503].includes(res.status)) throw this.error(e, at)
        throw httpError(NAME, res.status, effect, path)
      }
      if (!body) return readAnswer(NAME, effect, () => parseJson(text))
      const e = readAnswer(NAME, effect, () => topError(body!))
      if (e) throw this.error(e, at)
      return body
    }
  }

  private error(e: ApiError, at: Endpoint, ec?: string | null): GatewayError {
    const info = describeCode(e.code, at)
    const gatewayCode = ec ? ` (${ec}: ${describeCode(ec).en})` : ""
    const err = codeError(String(e.code), info, `${gatewayCode}${e.message ? ` — ${e.message}` : ""}`)
    // A failed card payment names the card company's reason: its kind is the gateway code's.
    if (ec) return new GatewayError({ code: `${e.code}/${ec}`, kind: describeCode(ec).kind, message: err.message, messageJa: `${info.ja}: ${describeCode(ec).ja}` })
    return err
  }
}

function safeTopError(body: Record<string, unknown>): ApiError | null {
  try {
    return topError(body)
  } catch {
    return null
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
