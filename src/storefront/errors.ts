// The one error class the storefront helper throws: a message a shopper-facing page can show
// (the gateway's own words where there are some) and a code a program can branch on.

export type JpPaymentErrorCode =
  /** The payment session carries no (or a malformed) `data.jp.browser`. */
  | "NO_BROWSER_CONFIG"
  /** The session names a gateway this helper does not know. */
  | "UNSUPPORTED_GATEWAY"
  /** The caller's input is not usable (e.g. saveCard for a guest, a missing card field). */
  | "INVALID_INPUT"
  /** A gateway script could not be loaded. */
  | "SCRIPT_LOAD_FAILED"
  /** The gateway's script did not define what it should (CPToken, ThreeDSAdapter). */
  | "SCRIPT_MISSING"
  /** The gateway's script threw instead of answering. */
  | "SCRIPT_ERROR"
  /** The shopper closed the gateway's card popup, or `options.signal` aborted. */
  | "CANCELLED"
  /** The gateway reported success but left no token. */
  | "NO_TOKEN"
  /** followRedirect was called for a session that waits on no redirect. */
  | "NO_REDIRECT"
  /** Anything else: the gateway's own result code (ROBOT PAYMENT ERxxx …). */
  | (string & {})

export class JpPaymentError extends Error {
  /** The gateway's result code (e.g. ROBOT PAYMENT "ER003") or one of the helper's own codes. */
  readonly code: JpPaymentErrorCode
  /** The gateway this error concerns, when known. */
  readonly gateway?: string
  /** Where it happened: loading scripts, creating the token, or 3-D Secure. */
  readonly stage?: "config" | "scripts" | "token" | "3ds"

  constructor(code: JpPaymentErrorCode, message: string, extra: { gateway?: string; stage?: JpPaymentError["stage"] } = {}) {
    super(message)
    this.name = "JpPaymentError"
    this.code = code
    if (extra.gateway !== undefined) this.gateway = extra.gateway
    if (extra.stage !== undefined) this.stage = extra.stage
    // tsc targets ES2021, so `instanceof` works without Object.setPrototypeOf.
  }
}
