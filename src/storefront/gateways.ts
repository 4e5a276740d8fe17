// Every gateway's browser side, one line each: the storefront's only list of them (the server's is
// src/gateways, the simulators' src/simulator). A new gateway is a module beside these and a line here.
import type { AnyStorefrontGateway } from "./gateway"
import { JpPaymentError } from "./errors"
import { paygent } from "./paygent"
import { paymentOptions } from "./payment-options"
import { robotPayment } from "./robot-payment"
import { sbps } from "./sbps"

export const GATEWAYS = [
  robotPayment,
  sbps,
  paygent,
  paymentOptions,
] as const

const registered = new Map<string, AnyStorefrontGateway>(GATEWAYS.map((g) => [g.name, g]))

/** A gateway's browser side by its name (`data.jp.browser.gateway`), or undefined. */
export function gatewayNamed(name: string): AnyStorefrontGateway | undefined {
  return registered.get(name)
}

/**
 * Adds the browser side of a gateway this package does not ship (its server side a provider of the
 * merchant's own): `tokenize`, `browserConfigOf` and `hostedPageSessionData` then serve it too.
 */
export function registerGateway(gateway: AnyStorefrontGateway): void {
  const ok =
    gateway !== null &&
    typeof gateway === "object" &&
    typeof gateway.name === "string" &&
    gateway.name !== "" &&
    Array.isArray(gateway.tokenFields) &&
    typeof gateway.config === "function" &&
    typeof gateway.sessionData === "function" &&
    (gateway.tokenize === undefined || typeof gateway.tokenize === "function")
  if (!ok) throw new JpPaymentError("INVALID_INPUT", "registerGateway takes { name, tokenFields, config, sessionData, tokenize? }")
  if (registered.has(gateway.name)) throw new JpPaymentError("INVALID_INPUT", `a gateway named "${gateway.name}" is registered already`, { gateway: gateway.name })
  registered.set(gateway.name, gateway)
}
