// SBPS in the shopper's browser: com_sbps_system_token.js turns the card into a one-time token
// (token + tokenKey), and — with 3-D Secure — com_sbps_system_tds2infotoken.js turns the cardholder's
// details into a second token. Card data goes to SBPS's scripts only; this file sends it nowhere.
import { cardValue, configError, isRecord, scriptUrls, wholeAmount } from "./config"
import { JpPaymentError } from "./errors"
import type { StorefrontGateway } from "./gateway"
import { loadScripts } from "./scripts"

/** What an SBPS payment session hands the browser. */
export interface SbpsBrowserConfig {
  gateway: "sbps"
  merchant_id: string
  service_id: string
  /** com_sbps_system_token.js, then com_sbps_system_tds2infotoken.js when 3-D Secure is on. */
  scripts: string[]
  three_ds: boolean
  amount: number
}

/** A card value, or the input element that holds it (read, then cleared). */
export type SbpsCardField = string | HTMLInputElement

export interface SbpsCard {
  /** Card number, digits only. */
  ccNumber: SbpsCardField
  /** Expiry, YYYYMM. */
  ccExpiration: SbpsCardField
  securityCode?: SbpsCardField
}

/**
 * The cardholder details 3-D Secure sends to the issuer (com_sbps_system_tds2.generateToken). An
 * e-mail or a phone is needed; names in half-width Latin letters.
 */
export interface SbpsCardholder {
  email?: string
  billingPhone?: string
  workPhone?: string
  billingLastName?: string
  billingFirstName?: string
  billingPostalCode?: string
  billingCity?: string
  billingAddress1?: string
  billingAddress2?: string
  billingAddress3?: string
  shippingPostalCode?: string
  shippingCity?: string
  shippingAddress1?: string
  shippingAddress2?: string
  shippingAddress3?: string
}

export interface SbpsInput {
  card: SbpsCard
  /** Required when the session's `three_ds` is true. */
  cardholder?: SbpsCardholder
}

/** What to send as the new payment session's `data`. */
export interface SbpsSessionData {
  token: string
  token_key: string
  tds2info_token?: string
  tds2info_token_key?: string
  save_card?: true
}

interface TokenResponse {
  result?: string
  errorCode?: string
  tokenResponse?: Record<string, string>
}
type Generate = (req: Record<string, string>, cb: (r: TokenResponse) => void) => void

const GATEWAY = "sbps"
const err = (code: string, message: string, stage: JpPaymentError["stage"]) => new JpPaymentError(code, message, { gateway: GATEWAY, stage })

export function isSbpsConfig(config: { gateway: string }): config is SbpsBrowserConfig {
  return config.gateway === GATEWAY
}

/** Reads and checks the SBPS browser config (from browserConfigOf). */
export function sbpsConfig(b: Record<string, unknown>): SbpsBrowserConfig {
  const bad = (m: string) => configError(m, GATEWAY)
  if (typeof b.merchant_id !== "string" || !/^\d{5}$/.test(b.merchant_id)) throw bad("data.jp.browser.merchant_id must be the 5-digit SBPS merchant id")
  if (typeof b.service_id !== "string" || !/^\d{3}$/.test(b.service_id)) throw bad("data.jp.browser.service_id must be the 3-digit SBPS service id")
  const scripts = scriptUrls(b, GATEWAY, "com_sbps_system_token.js, then com_sbps_system_tds2infotoken.js with 3-D Secure")
  if (typeof b.three_ds !== "boolean") throw bad("data.jp.browser.three_ds must be true or false")
  if (b.three_ds && scripts.length < 2) throw bad("data.jp.browser.scripts lacks com_sbps_system_tds2infotoken.js")
  return { gateway: GATEWAY, merchant_id: b.merchant_id, service_id: b.service_id, scripts, three_ds: b.three_ds, amount: wholeAmount(b.amount, GATEWAY, "amount") }
}

/**
 * The payment session `data` for what SBPS's scripts answered: the card's tokenResponse and, with
 * 3-D Secure, the cardholder's.
 */
function sbpsSessionData(answer: unknown, options: { saveCard?: boolean }): SbpsSessionData {
  const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {})
  const a = record(answer)
  const text = (v: unknown): v is string => typeof v === "string" && v !== ""
  const card = record(a.card)
  if (!text(card.token) || !text(card.tokenKey)) throw err("NO_TOKEN", "SBPS answered OK without a token", "token")
  const out: SbpsSessionData = { token: card.token, token_key: card.tokenKey }
  if (a.tds2info !== undefined) {
    const info = record(a.tds2info)
    if (!text(info.tds2infoToken) || !text(info.tds2infoTokenKey)) throw err("NO_TOKEN", "SBPS answered OK without a 3-D Secure token", "3ds")
    out.tds2info_token = info.tds2infoToken
    out.tds2info_token_key = info.tds2infoTokenKey
  }
  if (options.saveCard) out.save_card = true
  return out
}

function clear(card: SbpsCard): void {
  for (const f of [card.ccNumber, card.ccExpiration, card.securityCode]) if (f && typeof f !== "string") f.value = ""
}

function call(fn: Generate, req: Record<string, string>, stage: JpPaymentError["stage"], signal?: AbortSignal): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(err("CANCELLED", "cancelled", stage))
    const onAbort = () => reject(err("CANCELLED", "cancelled", stage))
    signal?.addEventListener("abort", onAbort, { once: true })
    try {
      fn(req, (r) => {
        signal?.removeEventListener("abort", onAbort)
        if (r?.result === "OK" && r.tokenResponse) return resolve(r.tokenResponse)
        // Error code: type (2) + item (3), as the vendor's token document lists them.
        const code = r?.errorCode ?? "NG"
        reject(err(code, `SBPS refused the ${stage === "3ds" ? "cardholder details" : "card"} (${code})`, stage))
      })
    } catch (e) {
      signal?.removeEventListener("abort", onAbort)
      reject(err("SCRIPT_ERROR", `SBPS's script failed: ${(e as Error)?.message ?? e}`, stage))
    }
  })
}

/**
 * Loads SBPS's scripts, makes the card token (and, with 3-D Secure, the cardholder token), clears the
 * card inputs, and returns the payment session `data` to send next.
 */
export async function sbpsToken(
  config: SbpsBrowserConfig,
  input: SbpsInput,
  options: { saveCard?: boolean; signal?: AbortSignal; doc?: Document } = {}
): Promise<SbpsSessionData> {
  const doc = options.doc ?? document
  const ccNumber = cardValue(input.card?.ccNumber)?.replace(/[\s-]/g, "")
  const ccExpiration = cardValue(input.card?.ccExpiration)?.replace(/\D/g, "")
  const securityCode = cardValue(input.card?.securityCode)
  if (!ccNumber || !ccExpiration) throw err("INVALID_INPUT", "the card number and expiry (YYYYMM) are required", "token")
  if (config.three_ds && !input.cardholder?.email && !input.cardholder?.billingPhone) {
    throw err("INVALID_INPUT", "3-D Secure needs the cardholder's e-mail or phone (input.cardholder)", "3ds")
  }
  try {
    await loadScripts(config.scripts, doc)
    const win = (doc.defaultView ?? window) as unknown as { com_sbps_system?: { generateToken?: Generate }; com_sbps_system_tds2?: { generateToken?: Generate } }
    const generate = win.com_sbps_system?.generateToken
    if (typeof generate !== "function") throw err("SCRIPT_MISSING", "com_sbps_system.generateToken is not defined: check the token script URL", "scripts")
    const ids = { merchantId: config.merchant_id, serviceId: config.service_id }
    const card = await call(generate, { ...ids, ccNumber, ccExpiration, ...(securityCode ? { securityCode } : {}) }, "token", options.signal)
    const data = sbpsSessionData({ card }, options) // no card token, no cardholder token asked for
    if (!config.three_ds) return data
    const tds = win.com_sbps_system_tds2?.generateToken
    if (typeof tds !== "function") throw err("SCRIPT_MISSING", "com_sbps_system_tds2.generateToken is not defined: check the 3-D Secure script URL", "scripts")
    const holder: Record<string, string> = { ...ids }
    for (const [k, v] of Object.entries(input.cardholder ?? {})) if (typeof v === "string" && v !== "") holder[k] = v
    return sbpsSessionData({ card, tds2info: await call(tds, holder, "3ds", options.signal) }, options)
  } finally {
    clear(input.card)
  }
}

/** SBPS's browser side: com_sbps_system_token.js (+ com_sbps_system_tds2infotoken.js), two tokens and their keys. */
export const sbps: StorefrontGateway<SbpsBrowserConfig, SbpsInput, SbpsSessionData> = {
  name: GATEWAY,
  tokenFields: ["token", "token_key", "tds2info_token", "tds2info_token_key"],
  config: sbpsConfig,
  sessionData: sbpsSessionData,
  async tokenize(config, input, options) {
    if (!isRecord(input) || !("card" in input) || "mode" in input) throw err("INVALID_INPUT", "SBPS takes { card, cardholder }", "token")
    return sbpsToken(config, input, { saveCard: options.saveCard, signal: options.signal })
  },
}
