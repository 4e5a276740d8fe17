// Gateway errors become MedusaErrors whose message a shop owner can act on: which gateway, its code,
// what it means in English and Japanese, and what to do.
import { MedusaError } from "@medusajs/framework/utils"
import { GatewayError } from "./gateway"
import { AmountError } from "./money"
import { OrderCodeError } from "./order-code"

const ADVICE: Record<GatewayError["kind"], string> = {
  declined: "the card was declined: ask the customer for another card",
  retry: "the gateway is busy or unreachable: try again later",
  merchant: "the shop's gateway set-up needs attention",
  // raised both by the gateway and by the plugin before sending (session input): say neither
  invalid: "the request is not valid for this gateway: correct it and send it again",
  unknown_outcome: "the outcome is unknown: check the payment in the gateway's control panel before trying again",
  unsupported: "the gateway does not offer this operation",
}

export function describeGatewayError(gateway: string, e: GatewayError): string {
  const ja = e.messageJa ? ` (${e.messageJa})` : ""
  return `${gateway} ${e.code}: ${e.message}${ja} — ${ADVICE[e.kind]}`
}

export function toMedusaError(gateway: string, e: unknown): MedusaError {
  if (e instanceof MedusaError) return e
  if (e instanceof GatewayError) {
    const type =
      e.kind === "invalid"
        ? MedusaError.Types.INVALID_DATA
        : e.kind === "unsupported" || e.kind === "declined"
          ? MedusaError.Types.NOT_ALLOWED
          : MedusaError.Types.UNEXPECTED_STATE
    return new MedusaError(type, describeGatewayError(gateway, e), e.code)
  }
  if (e instanceof AmountError || e instanceof OrderCodeError) {
    return new MedusaError(MedusaError.Types.INVALID_DATA, `${gateway}: ${e.message}`)
  }
  const err = e as Error
  return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `${gateway}: ${err?.message ?? String(e)}`)
}
