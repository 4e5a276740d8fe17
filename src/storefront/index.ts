// medusa-payment-jp/storefront — the browser side of the plugin's card providers.
//
//   1. POST /store/payment-collections/:id/payment-sessions { provider_id }            (no data)
//   2. const { token, sessionData } = await tokenize(session, { mode: "popup" })       (card → gateway)
//   3. POST /store/payment-collections/:id/payment-sessions { provider_id, data: sessionData }
//   4. POST /store/carts/:id/complete
//   5. When it fails (Medusa 2.21: 400 "… was not authorized") and `redirectOf(session)` is set: `followRedirect(session)`
//      (3-D Secure or the gateway's page); back on the storefront, `returnedFrom(location.search)`
//      says how it went; on "ok", complete the cart again.
//
// A saved card needs no step 2: send `savedCardSessionData(id)` as the data of step 3.
// No runtime dependency; card data only ever reaches the gateway's own script.
import { browserConfigOf, isRobotPaymentConfig, sessionDataFor, type PaymentSessionLike, type TokenSessionData } from "./config"
import { JpPaymentError } from "./errors"
import { robotPaymentToken, type RobotPaymentInput, type TokenizeOptions } from "./robot-payment"
import { isPaygentConfig, paygentConfig, paygentToken, type PaygentInput, type PaygentSessionData } from "./paygent"
import { isSbpsConfig, sbpsConfig, sbpsToken, type SbpsInput, type SbpsSessionData } from "./sbps"

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
export { isPaygentConfig, paygentConfig, paygentToken, PAYGENT_TOKEN_RESULTS } from "./paygent"
export type { PaygentBrowserConfig, PaygentCard, PaygentCardField, PaygentInput, PaygentSessionData } from "./paygent"
export type { CardField, RobotPaymentCard, RobotPaymentInput, TokenizeOptions } from "./robot-payment"
export { isSbpsConfig, sbpsConfig, sbpsToken } from "./sbps"
export type { SbpsBrowserConfig, SbpsCard, SbpsCardField, SbpsCardholder, SbpsInput, SbpsSessionData } from "./sbps"

/**
 * The card input `tokenize` takes: ROBOT PAYMENT's (popup or custom fields), SBPS's (card +
 * cardholder) or PAYGENT's (`{ mode: "custom", card }` with PaygentToken.js's field names).
 */
export type TokenizeInput = RobotPaymentInput | SbpsInput | PaygentInput

export interface TokenizeResult {
  /** The gateway token (single use, about 15 minutes of life). */
  token: string
  /** Exactly what to send as the new payment session's `data`. */
  sessionData: TokenSessionData | SbpsSessionData | PaygentSessionData
}

/**
 * Tokenizes the card (and runs 3-D Secure) with the gateway the payment session names, and returns
 * the token with the payment session `data` to send next.
 */
export async function tokenize(session: PaymentSessionLike, input: TokenizeInput, options: TokenizeOptions = {}): Promise<TokenizeResult> {
  const config = browserConfigOf(session)
  if (isSbpsConfig(config)) {
    if (!("card" in input) || "mode" in input) throw new JpPaymentError("INVALID_INPUT", "SBPS takes { card, cardholder }", { gateway: "sbps", stage: "token" })
    const sessionData = await sbpsToken(sbpsConfig(config as unknown as Record<string, unknown>), input, { saveCard: options.saveCard, signal: options.signal })
    return { token: sessionData.token, sessionData }
  }
  if (isRobotPaymentConfig(config)) {
    if (!("mode" in input)) throw new JpPaymentError("INVALID_INPUT", "ROBOT PAYMENT takes { mode: \"popup\" } or { mode: \"custom\", card }", { gateway: "robot-payment", stage: "token" })
    const token = await robotPaymentToken(config, input as RobotPaymentInput, options)
    return { token, sessionData: sessionDataFor(token, options.saveCard === true) }
  }
  if (isPaygentConfig(config)) {
    // 3-D Secure comes later for PAYGENT: after the cart completion, followRedirect shows its page.
    if (!("mode" in input) || input.mode !== "custom") throw new JpPaymentError("INVALID_INPUT", "PAYGENT takes { mode: \"custom\", card }", { gateway: "paygent", stage: "token" })
    const sessionData = await paygentToken(paygentConfig(config as unknown as Record<string, unknown>), input as PaygentInput, options)
    return { token: sessionData.token, sessionData }
  }
  throw new JpPaymentError(
    "UNSUPPORTED_GATEWAY",
    `this version of medusa-payment-jp/storefront cannot tokenize cards for the gateway "${config.gateway}"`,
    { gateway: config.gateway, stage: "config" }
  )
}
