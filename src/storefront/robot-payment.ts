// ROBOT PAYMENT in the shopper's browser: CPToken.js turns the card into a token (the gateway's own
// popup form, or card fields the shop collects), then EMV3DSAdapter.js runs EMV 3-D Secure on that
// token. Card data goes to the gateway's script only; this file never sends it anywhere.
import { cardValue, configError, isRecord, scriptUrls, sessionDataFor, wholeAmount, type TokenSessionData } from "./config"
import { JpPaymentError } from "./errors"
import type { StorefrontGateway, TokenizeOptions } from "./gateway"
import { normalisePhone } from "./phone"
import { loadScripts } from "./scripts"

/** What a ROBOT PAYMENT payment session hands the browser. */
export interface RobotPaymentBrowserConfig {
  gateway: "robot-payment"
  /** 店舗ID. */
  aid: string
  /** jquery.js, CPToken.js, EMV3DSAdapter.js — in this order. */
  scripts: string[]
  /**
   * What ThreeDSAdapter.authenticate must repeat for a payment: exactly what the server charges, and
   * the e-mail and phone (em/pn) the server sends with the payment (absent when it sends none).
   */
  three_ds: { am: number; tx: number; sf: number; em?: string; pn?: string }
  /** The gateway user a saved card is registered to; null for a guest. */
  uid: string | null
}

type ResultCallback = (resultCode: string, errMsg: string) => void

interface CPTokenApi {
  CardInfo(req: { aid: string }, cb: ResultCallback): void
  TokenCreate(req: { aid: string; cn: string; ed: string; fn: string; ln: string; cvv?: string }, cb: ResultCallback): void
}

interface ThreeDSAdapterApi {
  authenticate(req: Record<string, string | number>, cb: ResultCallback): void
}

/** A card value, or the input element that holds it (read, then cleared). */
export type CardField = string | HTMLInputElement

export interface RobotPaymentCard {
  /** Card number (digits). */
  cn: CardField
  /** Expiry, YYMM. */
  ed: CardField
  /** Cardholder name as on the card: first name … */
  fn: CardField
  /** … and last name. */
  ln: CardField
  /** Security code, where the shop's contract uses it. */
  cvv?: CardField
}

export type RobotPaymentInput =
  /** The gateway's own card form (CPToken.CardInfo), shown in `#CARD_INPUT_FORM`. */
  | { mode: "popup"; container?: HTMLElement }
  /** Card fields the shop collects itself (CPToken.TokenCreate). They are cleared afterwards. */
  | { mode: "custom"; card: RobotPaymentCard; container?: HTMLElement }

const GATEWAY = "robot-payment"

function err(gateway: string, code: string, message: string, stage: JpPaymentError["stage"]): JpPaymentError {
  return new JpPaymentError(code, message, { gateway, stage })
}

function globalsOf(doc: Document): { CPToken?: CPTokenApi; ThreeDSAdapter?: ThreeDSAdapterApi } {
  return (doc.defaultView ?? window) as unknown as { CPToken?: CPTokenApi; ThreeDSAdapter?: ThreeDSAdapterApi }
}

/**
 * The elements the vendor's scripts write into: `<form id="mainform">` holding `<input id="tkn">`,
 * `<div id="CARD_INPUT_FORM">` and `<div id="EMV3DS_INPUT_FORM">`. Missing ones are created in
 * `parent`. The CSS class "rpemvtds" is reserved by the vendor and never used here.
 */
function ensureElements(doc: Document, parent: HTMLElement): { tkn: HTMLInputElement; cardHost: HTMLElement; threeDSHost: HTMLElement; ownForm: boolean } {
  let ownForm = false
  let form = doc.getElementById("mainform")
  if (!form) {
    const f = doc.createElement("form")
    f.id = "mainform"
    f.setAttribute("data-medusa-payment-jp", "")
    f.setAttribute("aria-hidden", "true")
    // Nothing of ours is ever submitted: card data must not reach the shop's server.
    f.addEventListener("submit", (e) => e.preventDefault())
    parent.appendChild(f)
    form = f
    ownForm = true
  }
  let tkn = form.querySelector<HTMLInputElement>("#tkn")
  if (!tkn) {
    tkn = doc.createElement("input")
    tkn.type = "hidden"
    tkn.id = "tkn"
    tkn.autocomplete = "off"
    form.appendChild(tkn)
  }
  let cardHost = doc.getElementById("CARD_INPUT_FORM")
  if (!cardHost) {
    cardHost = doc.createElement("div")
    cardHost.id = "CARD_INPUT_FORM"
    parent.appendChild(cardHost)
  }
  let threeDSHost = doc.getElementById("EMV3DS_INPUT_FORM")
  if (!threeDSHost) {
    threeDSHost = doc.createElement("div")
    threeDSHost.id = "EMV3DS_INPUT_FORM"
    parent.appendChild(threeDSHost)
  }
  return { tkn, cardHost, threeDSHost, ownForm }
}

/** Blanks what the caller handed us: input elements are emptied, string properties overwritten. */
function clearCard(card: RobotPaymentCard): void {
  for (const k of ["cn", "ed", "fn", "ln", "cvv"] as const) {
    const f = card[k]
    if (f === undefined) continue
    if (typeof f === "string") {
      try {
        ;(card as unknown as Record<string, string>)[k] = ""
      } catch {
        // a frozen object: nothing more we can do
      }
    } else {
      f.value = ""
    }
  }
}

/**
 * One tokenization at a time (they share `#tkn` and the popup hosts): a new call supersedes one still
 * waiting (say, for a challenge the shopper walked away from), which then rejects with CANCELLED.
 */
let current: AbortController | null = null

function takeTurn(signal: AbortSignal | undefined): AbortController {
  current?.abort()
  const ctl = new AbortController()
  if (signal?.aborted) ctl.abort()
  else signal?.addEventListener("abort", () => ctl.abort(), { once: true })
  current = ctl
  return ctl
}

/** Calls a gateway function that answers through `cb(resultCode, errMsg)`; rejects on abort. */
function callGateway(
  gateway: string,
  stage: "token" | "3ds",
  signal: AbortSignal | undefined,
  invoke: (cb: ResultCallback) => void,
  extra?: (fail: (e: Error) => void) => () => void
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false
    let cleanupExtra: () => void = () => undefined
    const finish = (f: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener("abort", onAbort)
      cleanupExtra()
      f()
    }
    const onAbort = () => finish(() => reject(err(gateway, "CANCELLED", "the card step was cancelled (options.signal, or a newer tokenization took over)", stage)))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener("abort", onAbort)
    if (extra) cleanupExtra = extra((e) => finish(() => reject(e)))
    try {
      invoke((code, msg) => {
        if (code === "Success") finish(resolve)
        else {
          const what = stage === "token" ? "card token" : "3-D Secure"
          finish(() => reject(err(gateway, String(code), msg ? String(msg) : `ROBOT PAYMENT ${what} failed (${code})`, stage)))
        }
      })
    } catch (e) {
      finish(() => reject(err(gateway, "SCRIPT_ERROR", `ROBOT PAYMENT script failed: ${(e as Error)?.message ?? String(e)}`, stage)))
    }
  })
}

/** Popup mode: the popup's host emptied without an answer means the shopper closed it. */
function watchPopupClose(gateway: string, host: HTMLElement, graceMs: number) {
  return (fail: (e: Error) => void) => {
    const Observer = host.ownerDocument.defaultView?.MutationObserver ?? (typeof MutationObserver === "undefined" ? undefined : MutationObserver)
    if (!Observer) return () => undefined
    let shown = host.childElementCount > 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const obs = new Observer(() => {
      if (host.childElementCount > 0) {
        shown = true
        if (timer !== undefined) clearTimeout(timer)
        timer = undefined
      } else if (shown && timer === undefined) {
        timer = setTimeout(() => fail(err(gateway, "CANCELLED", "the card form was closed", "token")), graceMs)
      }
    })
    obs.observe(host, { childList: true })
    return () => {
      obs.disconnect()
      if (timer !== undefined) clearTimeout(timer)
    }
  }
}

/** The card values to hand CPToken.TokenCreate, checked for shape (the gateway checks the rest). */
function cardFields(gateway: string, card: RobotPaymentCard): { cn: string; ed: string; fn: string; ln: string; cvv?: string } {
  const cn = cardValue(card.cn)?.replace(/[\s-]/g, "")
  const ed = cardValue(card.ed)?.replace(/\D/g, "")
  const fn = cardValue(card.fn)?.trim()
  const ln = cardValue(card.ln)?.trim()
  const cvv = cardValue(card.cvv)?.trim()
  if (!cn) throw err(gateway, "INVALID_INPUT", "card number (cn) is required", "token")
  if (!ed || !/^\d{4}$/.test(ed)) throw err(gateway, "INVALID_INPUT", "expiry (ed) must be YYMM", "token")
  if (!fn || !ln) throw err(gateway, "INVALID_INPUT", "the cardholder's first and last name (fn, ln) are required", "token")
  return { cn, ed, fn, ln, ...(cvv ? { cvv } : {}) }
}

/**
 * What CPToken.js and EMV3DSAdapter.js need for one card: ROBOT PAYMENT's, or a gateway's built on
 * ROBOT PAYMENT's scripts (請求管理ロボ), whose name the errors carry.
 */
export interface CPTokenRun {
  /** 店舗ID. */
  aid: string
  /** jquery.js, CPToken.js, EMV3DSAdapter.js — in this order. */
  scripts: string[]
  /** What ThreeDSAdapter.authenticate gets for the token. */
  threeDSRequest(token: string): Record<string, string | number>
}

/**
 * Tokenizes a card with CPToken.js and runs EMV 3-D Secure on the token with EMV3DSAdapter.js;
 * resolves with the token (`tkn`). `prepare` checks the gateway's own preconditions (it throws before
 * any card is sent; the card it was given is cleared all the same) and says what the scripts need.
 */
export async function tokenizeWithCPToken(gateway: string, input: RobotPaymentInput, options: TokenizeOptions, prepare: () => CPTokenRun): Promise<string> {
  const card = input && input.mode === "custom" ? input.card : undefined
  let fields: { cn: string; ed: string; fn: string; ln: string; cvv?: string } | undefined
  let run: CPTokenRun
  try {
    run = prepare()
    if (!input || (input.mode !== "popup" && input.mode !== "custom")) throw err(gateway, "INVALID_INPUT", 'input.mode must be "popup" or "custom"', "config")
    if (card) fields = cardFields(gateway, card)
  } catch (e) {
    if (card) clearCard(card)
    throw e
  }

  const turn = takeTurn(options.signal)
  const signal = turn.signal
  let hosts: HTMLElement[] = []
  const onAbort = () => hosts.forEach((h) => h.replaceChildren()) // closes the gateway's popup / challenge
  signal.addEventListener("abort", onAbort, { once: true })
  try {
    const doc = input.container?.ownerDocument ?? document
    const parent = input.container ?? doc.body
    await loadScripts(run.scripts, doc).catch((e: unknown) => {
      throw e instanceof JpPaymentError ? new JpPaymentError(e.code, e.message, { gateway, stage: "scripts" }) : e
    })
    const g = globalsOf(doc)
    if (!g.CPToken || typeof g.CPToken.CardInfo !== "function" || typeof g.CPToken.TokenCreate !== "function") {
      throw err(gateway, "SCRIPT_MISSING", "CPToken.js did not define CPToken", "scripts")
    }
    if (!g.ThreeDSAdapter || typeof g.ThreeDSAdapter.authenticate !== "function") {
      throw err(gateway, "SCRIPT_MISSING", "EMV3DSAdapter.js did not define ThreeDSAdapter", "scripts")
    }
    if (signal.aborted) throw err(gateway, "CANCELLED", "the card step was cancelled (options.signal, or a newer tokenization took over)", "scripts")
    const { tkn, cardHost, threeDSHost, ownForm } = ensureElements(doc, parent)
    hosts = [cardHost, threeDSHost]
    tkn.value = ""

    const cp = g.CPToken
    const aid = run.aid
    if (fields) {
      const f = fields
      fields = undefined
      try {
        await callGateway(gateway, "token", signal, (cb) => cp.TokenCreate({ aid, ...f }, cb))
      } finally {
        // As the vendor asks: the shopper's card entry is erased once the gateway has it.
        if (card) clearCard(card)
      }
    } else {
      await callGateway(gateway, "token", signal, (cb) => cp.CardInfo({ aid }, cb), watchPopupClose(gateway, cardHost, options.popupCloseGraceMs ?? 3000))
    }
    const token = tkn.value
    if (!token) throw err(gateway, "NO_TOKEN", "ROBOT PAYMENT reported success but wrote no token into #tkn", "token")

    const req = run.threeDSRequest(token)
    const adapter = g.ThreeDSAdapter
    await callGateway(gateway, "3ds", signal, (cb) => adapter.authenticate(req, cb))
    if (ownForm) tkn.value = ""
    return token
  } finally {
    if (card) clearCard(card)
    signal.removeEventListener("abort", onAbort)
    if (current === turn) current = null
  }
}

/**
 * Tokenizes a card with ROBOT PAYMENT's CPToken.js and runs EMV 3-D Secure on the token with
 * EMV3DSAdapter.js; resolves with the token (`tkn`). Send it as the payment session's data:
 * `{ token }`, or `{ token, save_card: true }` with `saveCard` (see `tokenize`).
 *
 * "Success" from 3-D Secure means the call went through, not that the shopper passed: a failed or
 * cancelled challenge makes the payment itself fail (ER900) when the cart is completed.
 */
export function robotPaymentToken(config: RobotPaymentBrowserConfig, input: RobotPaymentInput, options: TokenizeOptions = {}): Promise<string> {
  return tokenizeWithCPToken(GATEWAY, input, options, () => {
    if (!config || config.gateway !== GATEWAY) throw err(GATEWAY, "UNSUPPORTED_GATEWAY", "robotPaymentToken needs a ROBOT PAYMENT browser config", "config")
    if (options.saveCard && !config.uid) {
      throw err(GATEWAY, "INVALID_INPUT", "log in to save a card: this payment session has no customer (data.jp.browser.uid is null)", "config")
    }
    robotPaymentThreeDSRequest(config, "check", options) // refuses a bad phone before any card is sent
    return { aid: config.aid, scripts: config.scripts, threeDSRequest: (token) => robotPaymentThreeDSRequest(config, token, options) }
  })
}

const threeDSError = (message: string) => err(GATEWAY, "INVALID_INPUT", message, "3ds")

/**
 * The request ThreeDSAdapter.authenticate gets: `{aid, tkn, am, tx, sf, em?, pn?}` for a payment,
 * `{aid, tkn, uid}` when the card is to be saved (the gateway refuses am/tx/sf with a uid).
 *
 * em/pn are the session's (`three_ds.em`/`pn`): exactly what the server sends with the payment, which
 * fails (ER901) when they differ. `options.email`/`phone` are read only for a session that carries
 * neither (made by an older server), and refused when they differ from the session's.
 */
export function robotPaymentThreeDSRequest(
  config: RobotPaymentBrowserConfig,
  token: string,
  options: { saveCard?: boolean; email?: string; phone?: string } = {}
): Record<string, string | number> {
  if (options.saveCard) {
    if (!config.uid) throw threeDSError("log in to save a card: this payment session has no customer (data.jp.browser.uid is null)")
    return { aid: config.aid, tkn: token, uid: config.uid }
  }
  const t = config.three_ds
  const req: Record<string, string | number> = { aid: config.aid, tkn: token, am: t.am, tx: t.tx, sf: t.sf }
  let pn: string | undefined
  if (options.phone !== undefined && options.phone !== "") {
    pn = normalisePhone(options.phone)
    if (pn === undefined) throw threeDSError("phone must be a phone number of at most 15 digits")
  }
  const fromSession = t.em !== undefined || t.pn !== undefined
  if (fromSession) {
    if ((options.email && options.email !== t.em) || (pn !== undefined && pn !== t.pn)) {
      throw threeDSError("email/phone differ from the ones the payment session carries (data.jp.browser.three_ds.em/pn): leave them out, the session's are used")
    }
    if (t.em) req.em = t.em
    if (t.pn) req.pn = t.pn
    return req
  }
  if (options.email) req.em = options.email
  if (pn !== undefined) req.pn = pn
  return req
}

export function isRobotPaymentConfig(config: { gateway: string }): config is RobotPaymentBrowserConfig {
  return config.gateway === GATEWAY
}

/** Reads and checks a session's ROBOT PAYMENT browser config. */
function robotPaymentConfig(b: Record<string, unknown>): RobotPaymentBrowserConfig {
  const bad = (m: string) => configError(m, GATEWAY)
  if (typeof b.aid !== "string" || !/^\d{1,20}$/.test(b.aid)) throw bad("data.jp.browser.aid must be the ROBOT PAYMENT store id (digits)")
  const scripts = scriptUrls(b, GATEWAY, "jquery.js, CPToken.js, EMV3DSAdapter.js")
  const t = b.three_ds
  if (!isRecord(t)) throw bad("data.jp.browser.three_ds is missing")
  const uid = b.uid ?? null
  if (uid !== null && (typeof uid !== "string" || uid === "")) throw bad("data.jp.browser.uid must be a string or null")
  return {
    gateway: GATEWAY,
    aid: b.aid,
    scripts,
    three_ds: {
      am: wholeAmount(t.am, GATEWAY, "three_ds.am"),
      tx: wholeAmount(t.tx, GATEWAY, "three_ds.tx"),
      sf: wholeAmount(t.sf, GATEWAY, "three_ds.sf"),
      ...optionalText(t, "em", bad),
      ...optionalText(t, "pn", bad),
    },
    uid,
  }
}

/** `three_ds[key]` when it is there: a non-empty string. */
function optionalText(t: Record<string, unknown>, key: "em" | "pn", bad: (m: string) => Error): { em?: string } | { pn?: string } {
  const v = t[key]
  if (v === undefined || v === null) return {}
  if (typeof v !== "string" || v === "") throw bad(`data.jp.browser.three_ds.${key} must be a non-empty string when present`)
  return { [key]: v }
}

/** ROBOT PAYMENT's browser side: CPToken.js + EMV3DSAdapter.js, and the token alone as session data. */
export const robotPayment: StorefrontGateway<RobotPaymentBrowserConfig, RobotPaymentInput, TokenSessionData> = {
  name: GATEWAY,
  tokenFields: ["token"],
  config: robotPaymentConfig,
  sessionData: (token, { saveCard }) => sessionDataFor(token as string, saveCard === true),
  async tokenize(config, input, options) {
    if (!isRecord(input) || !("mode" in input)) {
      throw err(GATEWAY, "INVALID_INPUT", 'ROBOT PAYMENT takes { mode: "popup" } or { mode: "custom", card }', "token")
    }
    return robotPayment.sessionData(await robotPaymentToken(config, input, options), options)
  },
}
