// The small words every gateway adapter (src/gateways/*/gateway.ts) speaks, written once: a refused
// input, an operation the gateway does not have, one entry of a payment's history, and a charge that
// an operation left as it was. No Medusa import: gateway code stays testable without Medusa.
import { GatewayError, type ChargeRecord, type GatewayCharge, type Operation } from "./gateway"

/** Input the gateway cannot take (a malformed token, a saved card id of the wrong form …). */
export function invalid(message: string): GatewayError {
  return new GatewayError({ code: "INVALID", kind: "invalid", message })
}

/** An operation this gateway does not offer. */
export function unsupported(message: string): GatewayError {
  return new GatewayError({ code: "UNSUPPORTED", kind: "unsupported", message })
}

/** One call the gateway accepted, stamped now, for the payment's history. */
export function op(kind: Operation["op"], reference: string, amount: number): Operation {
  return { op: kind, reference, amount, at: new Date().toISOString() }
}

/** The charge as it stands, for an operation that had nothing to do (already captured, already canceled). */
export function unchanged(rec: ChargeRecord): GatewayCharge {
  return { reference: rec.reference, state: rec.state, amount: rec.amount, references: rec.references, savedCard: rec.savedCard, operations: [] }
}
