// medusa-payment-jp/storefront — the browser side of the plugin's card providers.
//
//   1. POST /store/payment-collections/:id/payment-sessions { provider_id }            (no data)
//   2. const { token, sessionData } = await tokenize(session, { mode: "popup" })       (card → gateway)
//   3. POST /store/payment-collections/:id/payment-sessions { provider_id, data: sessionData }
//   4. POST /store/carts/:id/complete
//   5. When it answers `{ type: "cart" }` and `redirectOf(session)` is set: `followRedirect(session)`
//      (3-D Secure or the gateway's page); back on the storefront, `returnedFrom(location.search)`
//      says how it went; on "ok", complete the cart again.
//
// A saved card needs no step 2: send `savedCardSessionData(id)` as the data of step 3.
// No runtime dependency; card data only ever reaches the gateway's own script.
import { browserConfigOf, isRobotPaymentConfig, sessionDataFor, type PaymentSessionLike, type TokenSessionData } from "./config"
import { JpPaymentError } from "./errors"
import { robotPaymentToken, type RobotPaymentInput, type TokenizeOptions } from "./robot-payment"

export {
  browserConfigOf,
  isRobotPaymentConfig,
  normalisePhone,
  robotPaymentThreeDSRequest,
  savedCardSessionData,
  sessionDataFor,
} from "./config"
export type { BrowserConfig, OtherBrowserConfig, PaymentSessionLike, RobotPaymentBrowserConfig, TokenSessionData } from "./config"
export { JpPaymentError, type JpPaymentErrorCode } from "./errors"
export { loadScripts } from "./scripts"
export { followRedirect, redirectOf, returnedFrom, type GatewayRedirect } from "./redirect"
export { robotPaymentToken } from "./robot-payment"
export type { CardField, RobotPaymentCard, RobotPaymentInput, TokenizeOptions } from "./robot-payment"

/** The card input `tokenize` takes; today ROBOT PAYMENT's (popup or custom fields). */
export type TokenizeInput = RobotPaymentInput

export interface TokenizeResult {
  /** The gateway token (single use, about 15 minutes of life). */
  token: string
  /** Exactly what to send as the new payment session's `data`. */
  sessionData: TokenSessionData
}

/**
 * Tokenizes the card (and runs 3-D Secure) with the gateway the payment session names, and returns
 * the token with the payment session `data` to send next.
 */
export async function tokenize(session: PaymentSessionLike, input: TokenizeInput, options: TokenizeOptions = {}): Promise<TokenizeResult> {
  const config = browserConfigOf(session)
  if (isRobotPaymentConfig(config)) {
    const token = await robotPaymentToken(config, input, options)
    return { token, sessionData: sessionDataFor(token, options.saveCard === true) }
  }
  throw new JpPaymentError(
    "UNSUPPORTED_GATEWAY",
    `this version of medusa-payment-jp/storefront cannot tokenize cards for the gateway "${config.gateway}"`,
    { gateway: config.gateway, stage: "config" }
  )
}
