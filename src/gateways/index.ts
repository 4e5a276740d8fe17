// Every gateway of the plugin, one line each: the server side's only list of them (the browser's is
// src/storefront, the simulators' src/simulator). A new gateway is a folder beside these and a line here.
import type { GatewayDefinition } from "../core/definition"
import { billingRobo } from "./billing-robo"
import { paygent } from "./paygent"
import { paymentOptions } from "./payment-options"
import { robotPayment } from "./robot-payment"
import { sbps } from "./sbps"

export const GATEWAYS: readonly GatewayDefinition<any>[] = [
  robotPayment,
  sbps,
  paygent,
  paymentOptions,
  billingRobo,
]

/** The definition of a gateway by its name (the middle part of `pp_<name>_<id>`), or undefined. */
export function gatewayNamed(name: string): GatewayDefinition<any> | undefined {
  return GATEWAYS.find((g) => g.name === name)
}
