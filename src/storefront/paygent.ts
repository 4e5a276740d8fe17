// PAYGENT in the shopper's browser: PaygentToken.js turns the card into a token (the card goes to
// PAYGENT's script only), and the object it answers is sent to the server whole, so the server can
// check its hc with the トークン受取ハッシュ鍵. 3-D Secure comes after the cart completion: the session
// then carries PAYGENT's out_acs_html, which `followRedirect` shows as a whole page.
import { configError, isRecord, scriptUrls, wholeAmount } from "./config"
import { JpPaymentError } from "./errors"
import type { StorefrontGateway } from "./gateway"
import { loadScripts } from "./scripts"

/** What a PAYGENT payment session hands the browser. */
export interface PaygentBrowserConfig {
  gateway: "paygent"
  merchant_id: string
  /** トークン生成鍵: public by design. */
  token_generation_key: string
  /** PaygentToken.js. */
  scripts: string[]
  /** The amount 3-D Secure will be run for (whole yen), for display. */
  amount: number
  three_d_secure: boolean
}

/** A card value, or the input element that holds it (read, then cleared). */
export type PaygentCardField = string | { value: string }

export interface PaygentCard {
  card_number: PaygentCardField
  /** YY */
  expire_year: PaygentCardField
  /** MM */
  expire_month: PaygentCardField
  cvc?: PaygentCardField
  /** Cardholder name in half-width letters: 3-D Secure needs it since 2024-08 (or the server sends it). */
  name?: PaygentCardField
}

export type PaygentInput = { mode: "custom"; card: PaygentCard }

/** Exactly what PaygentToken.createToken answered, to send as the payment session's `data`. */
export interface PaygentSessionData {
  token: string
  masked_card_number: string
  valid_until: string
  fingerprint: string
  hc: string
  save_card?: true
}

interface PaygentTokenApi {
  createToken(merchantId: string, key: string, card: Record<string, string>, cb: (res: PaygentTokenResponse) => void): void
}
interface PaygentTokenResponse {
  result?: string
  tokenizedCardObject?: { token?: string; masked_card_number?: string; valid_until?: string; fingerprint?: string }
  hc?: string
}

const GATEWAY = "paygent"

/** PaygentToken.js result codes (SPEC-TOKEN 付録A; docs/gateways/paygent.md §6), for the shopper. */
export const PAYGENT_TOKEN_RESULTS: Record<string, string> = {
  "1100": "マーチャントIDが設定されていません (merchant id missing)",
  "1200": "トークン生成鍵が設定されていません (token key missing)",
  "1201": "トークン生成鍵が不正です (token key invalid)",
  "1300": "カード番号を入力してください (enter the card number)",
  "1301": "カード番号が正しくありません (card number invalid)",
  "1400": "有効期限(年)を入力してください (enter the expiry year)",
  "1401": "有効期限(年)が正しくありません (expiry year invalid)",
  "1500": "有効期限(月)を入力してください (enter the expiry month)",
  "1501": "有効期限(月)が正しくありません (expiry month invalid)",
  "1502": "有効期限が正しくありません (expiry invalid)",
  "1600": "セキュリティコードが正しくありません (security code invalid)",
  "1601": "セキュリティコードを入力してください (enter the security code)",
  "1700": "カード名義が正しくありません (cardholder name invalid)",
  "7000": "このブラウザには対応していません (browser not supported)",
  "7001": "通信に失敗しました (could not reach PAYGENT)",
  "8000": "メンテナンス中です (PAYGENT maintenance)",
  "9000": "ペイジェントのシステムエラーです (PAYGENT error)",
}

const err = (code: string, message: string) => new JpPaymentError(code, message, { gateway: GATEWAY, stage: "token" })
const PAYGENT_INPUT = 'PAYGENT takes { mode: "custom", card }'

export function isPaygentConfig(config: { gateway: string }): boolean {
  return config.gateway === GATEWAY
}

/** Checks a session's PAYGENT browser config; throws JpPaymentError(NO_BROWSER_CONFIG) when it is malformed. */
export function paygentConfig(b: Record<string, unknown>): PaygentBrowserConfig {
  const bad = (m: string) => configError(m, GATEWAY)
  if (b.gateway !== GATEWAY) throw bad("not a PAYGENT browser config")
  if (typeof b.merchant_id !== "string" || !/^\d{1,9}$/.test(b.merchant_id)) throw bad("data.jp.browser.merchant_id must be PAYGENT's merchant id")
  if (typeof b.token_generation_key !== "string" || b.token_generation_key === "") throw bad("data.jp.browser.token_generation_key is missing")
  return {
    gateway: GATEWAY,
    merchant_id: b.merchant_id,
    token_generation_key: b.token_generation_key,
    scripts: scriptUrls(b, GATEWAY, "PaygentToken.js"),
    amount: wholeAmount(b.amount, GATEWAY, "amount"),
    three_d_secure: b.three_d_secure !== false,
  }
}

/**
 * The payment session `data` for PaygentToken.createToken's answer: the whole token object and its
 * hc, which the server checks with the トークン受取ハッシュ鍵. A result other than 0000 is the
 * JpPaymentError of that code.
 */
function paygentSessionData(answer: unknown, options: { saveCard?: boolean }): PaygentSessionData {
  const res = isRecord(answer) ? (answer as PaygentTokenResponse) : null
  if (res === null || res.result !== "0000") {
    const code = typeof res?.result === "string" ? res.result : "9000"
    throw err(code, PAYGENT_TOKEN_RESULTS[code] ?? `PaygentToken.js answered ${code}`)
  }
  const o = res.tokenizedCardObject
  if (!o?.token) throw err("NO_TOKEN", "PaygentToken.js answered success without a token")
  const data: PaygentSessionData = {
    token: o.token,
    masked_card_number: o.masked_card_number ?? "",
    valid_until: o.valid_until ?? "",
    fingerprint: o.fingerprint ?? "",
    hc: res.hc ?? "",
  }
  if (options.saveCard) data.save_card = true
  return data
}

function read(f: PaygentCardField | undefined): string {
  if (f === undefined) return ""
  if (typeof f === "string") return f.trim()
  const v = f.value.trim()
  f.value = "" // the card leaves the page's inputs once read
  return v
}

/**
 * Tokenizes a card with PaygentToken.js and returns the payment session `data` to send:
 * `{ token, masked_card_number, valid_until, fingerprint, hc }` (+ `save_card: true`).
 * `api` replaces the loaded script (tests).
 */
export async function paygentToken(
  config: PaygentBrowserConfig,
  input: PaygentInput,
  options: { saveCard?: boolean; signal?: AbortSignal; api?: PaygentTokenApi } = {}
): Promise<PaygentSessionData> {
  const c = input?.card
  const card = {
    card_number: read(c?.card_number).replace(/[\s-]/g, ""),
    expire_year: read(c?.expire_year),
    expire_month: read(c?.expire_month),
    cvc: read(c?.cvc),
    name: read(c?.name),
  }
  if (!c || input.mode !== "custom") throw err("INVALID_INPUT", PAYGENT_INPUT)
  if (!/^\d{14,16}$/.test(card.card_number)) throw err("1301", PAYGENT_TOKEN_RESULTS["1301"])
  let api = options.api
  if (!api) {
    await loadScripts(config.scripts)
    const Ctor = (globalThis as unknown as { PaygentToken?: new () => PaygentTokenApi }).PaygentToken
    if (typeof Ctor !== "function") throw new JpPaymentError("SCRIPT_MISSING", "PaygentToken.js did not define PaygentToken", { gateway: GATEWAY, stage: "scripts" })
    api = new Ctor()
  }
  const payload: Record<string, string> = { card_number: card.card_number, expire_year: card.expire_year, expire_month: card.expire_month }
  if (card.cvc) payload.cvc = card.cvc
  if (card.name) payload.name = card.name
  const res = await new Promise<PaygentTokenResponse>((resolve, reject) => {
    const abort = () => reject(err("CANCELLED", "tokenizing was cancelled"))
    if (options.signal?.aborted) return abort()
    options.signal?.addEventListener("abort", abort, { once: true })
    try {
      api!.createToken(config.merchant_id, config.token_generation_key, payload, resolve)
    } catch (e) {
      reject(err("SCRIPT_ERROR", `PaygentToken.createToken threw: ${(e as Error)?.message ?? e}`))
    }
  })
  return paygentSessionData(res, options)
}

/** PAYGENT's browser side: PaygentToken.js, and its whole token object (+ hc) as session data. */
export const paygent: StorefrontGateway<PaygentBrowserConfig, PaygentInput, PaygentSessionData> = {
  name: GATEWAY,
  tokenFields: ["token", "masked_card_number", "valid_until", "fingerprint", "hc"],
  config: paygentConfig,
  sessionData: paygentSessionData,
  async tokenize(config, input, options) {
    // 3-D Secure comes later for PAYGENT: after the cart completion, followRedirect shows its page.
    if (!isRecord(input) || !("mode" in input) || input.mode !== "custom") throw err("INVALID_INPUT", PAYGENT_INPUT)
    return paygentToken(config, input, options)
  },
}
