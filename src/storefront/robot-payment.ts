// ROBOT PAYMENT in the shopper's browser: CPToken.js turns the card into a token (the gateway's own
// popup form, or card fields the shop collects), then EMV3DSAdapter.js runs EMV 3-D Secure on that
// token. Card data goes to the gateway's script only; this file never sends it anywhere.
import { robotPaymentThreeDSRequest, type RobotPaymentBrowserConfig } from "./config"
import { JpPaymentError } from "./errors"
import { loadScripts } from "./scripts"

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

export interface TokenizeOptions {
  /** Save the card for the logged-in customer (3-D Secure runs with the session's `uid`). */
  saveCard?: boolean
  /** Only if the server sends the very same e-mail with the payment (the cart's): 3-D Secure and payment must agree. */
  email?: string
  /** Likewise for the phone number. */
  phone?: string
  /** Aborts the wait (e.g. the shopper left the checkout step); rejects with code CANCELLED. */
  signal?: AbortSignal
  /**
   * Popup mode: how long to wait for the gateway's answer once its popup has disappeared before
   * treating it as closed by the shopper (code CANCELLED). Default 3000 ms.
   */
  popupCloseGraceMs?: number
}

const GATEWAY = "robot-payment"

function err(code: string, message: string, stage: JpPaymentError["stage"]): JpPaymentError {
  return new JpPaymentError(code, message, { gateway: GATEWAY, stage })
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

function valueOf(field: CardField | undefined): string | undefined {
  if (field === undefined) return undefined
  return typeof field === "string" ? field : field.value
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
    const onAbort = () => finish(() => reject(err("CANCELLED", "the card step was cancelled (options.signal, or a newer tokenization took over)", stage)))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener("abort", onAbort)
    if (extra) cleanupExtra = extra((e) => finish(() => reject(e)))
    try {
      invoke((code, msg) => {
        if (code === "Success") finish(resolve)
        else {
          const what = stage === "token" ? "card token" : "3-D Secure"
          finish(() => reject(err(String(code), msg ? String(msg) : `ROBOT PAYMENT ${what} failed (${code})`, stage)))
        }
      })
    } catch (e) {
      finish(() => reject(err("SCRIPT_ERROR", `ROBOT PAYMENT script failed: ${(e as Error)?.message ?? String(e)}`, stage)))
    }
  })
}

/** Popup mode: the popup's host emptied without an answer means the shopper closed it. */
function watchPopupClose(host: HTMLElement, graceMs: number) {
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
        timer = setTimeout(() => fail(err("CANCELLED", "the card form was closed", "token")), graceMs)
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
function cardFields(card: RobotPaymentCard): { cn: string; ed: string; fn: string; ln: string; cvv?: string } {
  const cn = valueOf(card.cn)?.replace(/[\s-]/g, "")
  const ed = valueOf(card.ed)?.replace(/\D/g, "")
  const fn = valueOf(card.fn)?.trim()
  const ln = valueOf(card.ln)?.trim()
  const cvv = valueOf(card.cvv)?.trim()
  if (!cn) throw err("INVALID_INPUT", "card number (cn) is required", "token")
  if (!ed || !/^\d{4}$/.test(ed)) throw err("INVALID_INPUT", "expiry (ed) must be YYMM", "token")
  if (!fn || !ln) throw err("INVALID_INPUT", "the cardholder's first and last name (fn, ln) are required", "token")
  return { cn, ed, fn, ln, ...(cvv ? { cvv } : {}) }
}

/**
 * Tokenizes a card with ROBOT PAYMENT's CPToken.js and runs EMV 3-D Secure on the token with
 * EMV3DSAdapter.js; resolves with the token (`tkn`). Send it as the payment session's data:
 * `{ token }`, or `{ token, save_card: true }` with `saveCard` (see `tokenize`).
 *
 * "Success" from 3-D Secure means the call went through, not that the shopper passed: a failed or
 * cancelled challenge makes the payment itself fail (ER900) when the cart is completed.
 */
export async function robotPaymentToken(config: RobotPaymentBrowserConfig, input: RobotPaymentInput, options: TokenizeOptions = {}): Promise<string> {
  const card = input && input.mode === "custom" ? input.card : undefined
  let fields: { cn: string; ed: string; fn: string; ln: string; cvv?: string } | undefined
  try {
    if (!config || config.gateway !== GATEWAY) throw err("UNSUPPORTED_GATEWAY", "robotPaymentToken needs a ROBOT PAYMENT browser config", "config")
    if (!input || (input.mode !== "popup" && input.mode !== "custom")) throw err("INVALID_INPUT", 'input.mode must be "popup" or "custom"', "config")
    if (options.saveCard && !config.uid) {
      throw err("INVALID_INPUT", "log in to save a card: this payment session has no customer (data.jp.browser.uid is null)", "config")
    }
    robotPaymentThreeDSRequest(config, "check", options) // refuses a bad phone before any card is sent
    if (card) fields = cardFields(card)
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
    await loadScripts(config.scripts, doc).catch((e: unknown) => {
      throw e instanceof JpPaymentError ? new JpPaymentError(e.code, e.message, { gateway: GATEWAY, stage: "scripts" }) : e
    })
    const g = globalsOf(doc)
    if (!g.CPToken || typeof g.CPToken.CardInfo !== "function" || typeof g.CPToken.TokenCreate !== "function") {
      throw err("SCRIPT_MISSING", "CPToken.js did not define CPToken", "scripts")
    }
    if (!g.ThreeDSAdapter || typeof g.ThreeDSAdapter.authenticate !== "function") {
      throw err("SCRIPT_MISSING", "EMV3DSAdapter.js did not define ThreeDSAdapter", "scripts")
    }
    if (signal.aborted) throw err("CANCELLED", "the card step was cancelled (options.signal, or a newer tokenization took over)", "scripts")
    const { tkn, cardHost, threeDSHost, ownForm } = ensureElements(doc, parent)
    hosts = [cardHost, threeDSHost]
    tkn.value = ""

    const cp = g.CPToken
    if (fields) {
      const f = fields
      fields = undefined
      try {
        await callGateway("token", signal, (cb) => cp.TokenCreate({ aid: config.aid, ...f }, cb))
      } finally {
        // As the vendor asks: the shopper's card entry is erased once the gateway has it.
        if (card) clearCard(card)
      }
    } else {
      await callGateway(
        "token",
        signal,
        (cb) => cp.CardInfo({ aid: config.aid }, cb),
        watchPopupClose(cardHost, options.popupCloseGraceMs ?? 3000)
      )
    }
    const token = tkn.value
    if (!token) throw err("NO_TOKEN", "ROBOT PAYMENT reported success but wrote no token into #tkn", "token")

    const req = robotPaymentThreeDSRequest(config, token, options)
    const adapter = g.ThreeDSAdapter
    await callGateway("3ds", signal, (cb) => adapter.authenticate(req, cb))
    if (ownForm) tkn.value = ""
    return token
  } finally {
    if (card) clearCard(card)
    signal.removeEventListener("abort", onAbort)
    if (current === turn) current = null
  }
}
