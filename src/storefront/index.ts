// medusa-payment-jp/storefront — the browser side of the plugin's card providers.
//
//   1. POST /store/payment-collections/:id/payment-sessions { provider_id }            (no data)
//   2. const { token, sessionData } = await tokenize(session, { mode: "popup" })       (card → gateway)
//   3. POST /store/payment-collections/:id/payment-sessions { provider_id, data: sessionData }
//      With a 支払方法 other than 一括 (the session of step 1 lists them: `paymentMethodChoices(session)`),
//      send `withPaymentMethod(sessionData, method, session)` instead.
//      When the answer's session has `redirectOf(session)` (3-D Secure or the gateway's page, started
//      with the session): `followRedirect(session)`; back on the storefront, `returnedFrom(location.search)`
//      says how it went; on "failed", start again at step 2 with another card.
//   4. POST /store/carts/:id/complete                                                  (once)
//   A storefront built for the older flow (complete, follow the redirect after the refused completion,
//   complete again) still works: the early completion is refused before any order is made.
//
// A saved card needs no step 2: send `savedCardSessionData(id)` as the data of step 3. A gateway whose
// own page takes the card (PaymentOptions) has no step 2 either: `hostedPageSessionData(session)`.
// No runtime dependency; card data only ever reaches the gateway's own script.
import { configError, rawBrowserConfig, type OtherBrowserConfig, type PaymentSessionLike } from "./config"
import { JpPaymentError } from "./errors"
import type { HostedPageSessionData, TokenizeInputOf, TokenizeOptions, TokenSessionDataOf } from "./gateway"
import { GATEWAYS, gatewayNamed } from "./gateways"
import type { RobotPaymentBrowserConfig } from "./robot-payment"

export { savedCardSessionData, sessionDataFor } from "./config"
export type { OtherBrowserConfig, PaymentSessionLike, TokenSessionData } from "./config"
export { JpPaymentError, type JpPaymentErrorCode } from "./errors"
export type { AnyStorefrontGateway, HostedPageSessionData, StorefrontGateway, TokenizeOptions } from "./gateway"
export { GATEWAYS, gatewayNamed, registerGateway } from "./gateways"
export { normalisePhone } from "./phone"
export { loadScripts } from "./scripts"
export { followRedirect, redirectOf, returnedFrom, type GatewayRedirect } from "./redirect"
export { isRobotPaymentConfig, robotPaymentThreeDSRequest, robotPaymentToken } from "./robot-payment"
export type { CardField, RobotPaymentBrowserConfig, RobotPaymentCard, RobotPaymentInput } from "./robot-payment"
export { isPaygentConfig, paygentConfig, paygentToken, PAYGENT_TOKEN_RESULTS } from "./paygent"
export type { PaygentBrowserConfig, PaygentCard, PaygentCardField, PaygentInput, PaygentSessionData } from "./paygent"
export { isSbpsConfig, sbpsConfig, sbpsToken } from "./sbps"
export type { SbpsBrowserConfig, SbpsCard, SbpsCardField, SbpsCardholder, SbpsInput, SbpsSessionData } from "./sbps"
export type { PaymentOptionsBrowserConfig } from "./payment-options"
export {
  paymentMethodChoices,
  paymentMethodFromValue,
  paymentMethodLabel,
  paymentMethodsOf,
  paymentMethodValue,
  withPaymentMethod,
  type PaymentMethod,
  type PaymentMethodChoice,
  type PaymentMethodType,
} from "./payment-method"
export { prepareCardRegistration, registerCard, type CardRegistration, type CardRegistrationOptions } from "./billing-robo"

/** What `browserConfigOf` returns: typed for ROBOT PAYMENT, the others read by name and checked. */
export type BrowserConfig = RobotPaymentBrowserConfig | OtherBrowserConfig

/** The card input `tokenize` takes: each gateway's own (see its `*Input` type). */
export type TokenizeInput = TokenizeInputOf<(typeof GATEWAYS)[number]>

export interface TokenizeResult {
  /** The gateway token (single use, about 15 minutes of life). */
  token: string
  /** Exactly what to send as the new payment session's `data`. */
  sessionData: TokenSessionDataOf<(typeof GATEWAYS)[number]>
}

/**
 * The `data.jp.browser` object of a payment session created with one of this plugin's providers
 * (create the session with no `data` first, then read this), checked by its gateway's reader. Throws
 * a JpPaymentError (code NO_BROWSER_CONFIG) when it is absent or malformed. A gateway this version
 * does not know is passed through, for `tokenize` to refuse.
 */
export function browserConfigOf(session: PaymentSessionLike | null | undefined): BrowserConfig {
  const b = rawBrowserConfig(session)
  const gateway = gatewayNamed(b.gateway)
  if (gateway) return gateway.config(b)
  if (b.scripts !== undefined && !(Array.isArray(b.scripts) && b.scripts.every((s) => typeof s === "string"))) {
    throw configError("data.jp.browser.scripts must be a list of URLs", b.gateway)
  }
  return b
}

/** The gateway of a checked config, or UNSUPPORTED_GATEWAY. */
function gatewayOf(config: BrowserConfig) {
  const gateway = gatewayNamed(config.gateway)
  if (!gateway) {
    throw new JpPaymentError("UNSUPPORTED_GATEWAY", `this version of medusa-payment-jp/storefront cannot tokenize cards for the gateway "${config.gateway}"`, {
      gateway: config.gateway,
      stage: "config",
    })
  }
  return gateway
}

/**
 * Tokenizes the card (and runs 3-D Secure where the gateway runs it in the browser) with the gateway
 * the payment session names, and returns the token with the payment session `data` to send next.
 */
export async function tokenize(session: PaymentSessionLike, input: TokenizeInput, options: TokenizeOptions = {}): Promise<TokenizeResult> {
  const config = browserConfigOf(session)
  const gateway = gatewayOf(config)
  if (!gateway.tokenize) {
    throw new JpPaymentError(
      "UNSUPPORTED_GATEWAY",
      `the gateway "${gateway.name}" takes the card on its own payment page: send hostedPageSessionData(session) as the session data and follow redirectOf(session)`,
      { gateway: gateway.name, stage: "config" }
    )
  }
  const sessionData = await gateway.tokenize(config, input, options)
  return { token: sessionData.token, sessionData }
}

/**
 * For a gateway whose own payment page takes the card (PaymentOptions): the payment session `data`
 * that asks for it at once (`saveCard`: keep the card for the logged-in customer): the new session's
 * `followRedirect(session)`, then complete the cart. Throws UNSUPPORTED_GATEWAY for a gateway that takes a token instead.
 */
export function hostedPageSessionData(session: PaymentSessionLike, options: { saveCard?: boolean } = {}): HostedPageSessionData {
  const gateway = gatewayOf(browserConfigOf(session))
  if (gateway.tokenize) {
    throw new JpPaymentError("UNSUPPORTED_GATEWAY", `the gateway "${gateway.name}" takes a card token: use tokenize(session, card)`, { gateway: gateway.name, stage: "config" })
  }
  return gateway.sessionData(undefined, options)
}
