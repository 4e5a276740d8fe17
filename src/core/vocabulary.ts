// The words every gateway folder (src/gateways/*) speaks, written once: a wire format that cannot be
// read, a result code's meaning, an answer that cannot be read or is an HTTP error page, a refused
// input, an operation the gateway does not have, one entry of a payment's history, and a charge an
// operation left as it was. No Medusa import: gateway code stays testable without Medusa.
import { GatewayError, type ChargeRecord, type GatewayCharge, type GatewayErrorKind, type Operation } from "./gateway"

/** A body that is not in the gateway's wire format (thrown by codecs, caught by clients). */
export class CodecError extends Error {
  constructor(
    message: string,
    /** The text that could not be read, for a test to look at; never logged. */
    readonly body?: string
  ) {
    super(message)
    this.name = "CodecError"
  }
}

/** What a gateway's result code means, in English and Japanese, and who must act. */
export interface CodeInfo {
  en: string
  ja?: string
  kind: GatewayErrorKind
}

/** A code table entry with its Japanese words (the vendor's own, where the table has them). */
export type CodeMeaning = CodeInfo & { ja: string }

export function meaning(ja: string, en: string, kind: GatewayErrorKind): CodeMeaning {
  return { ja, en, kind }
}

/**
 * Whether a call can move money or cards (authorize, capture, cancel, refund, save a card) or only
 * reads (status query, card list). A lost or unreadable answer to the first leaves its outcome
 * unknown — ask, never resend; to the second it is simply asked again.
 */
export type Effect = "moves" | "reads"

const NO_ANSWER_KIND: Record<Effect, GatewayErrorKind> = { moves: "unknown_outcome", reads: "retry" }

/** A result code as a GatewayError with its meaning in both languages. */
export function codeError(code: string, info: CodeInfo, detail = ""): GatewayError {
  return new GatewayError({ code, kind: info.kind, message: info.en + detail, messageJa: info.ja })
}

/** An answer that came back but cannot be read. `gateway` is the display name (ROBOT PAYMENT …). */
export function malformed(gateway: string, effect: Effect, detail: string): GatewayError {
  return new GatewayError({
    code: "MALFORMED",
    kind: NO_ANSWER_KIND[effect],
    message: `${gateway} sent an answer that could not be read (${detail})`,
    messageJa: `${gateway} の応答を解釈できませんでした`,
  })
}

/** Runs a codec on an answer: a CodecError becomes `malformed`, by the call's effect. */
export function readAnswer<T>(gateway: string, effect: Effect, parse: () => T): T {
  try {
    return parse()
  } catch (e) {
    if (e instanceof CodecError) throw malformed(gateway, effect, e.message)
    throw e
  }
}

/**
 * An HTTP status the gateway's protocol does not use for answers. 401/403: the merchant's credentials.
 * 5xx, 408 and 429: an error page that may stand in front of a gateway that did act. Another 4xx: the
 * request was refused before it was processed.
 */
export function httpError(gateway: string, status: number, effect: Effect, what = "", hint = ""): GatewayError {
  const kind: GatewayErrorKind =
    status === 401 || status === 403 ? "merchant" : status >= 500 || status === 408 || status === 429 ? NO_ANSWER_KIND[effect] : "invalid"
  const to = what ? ` to ${what}` : ""
  return new GatewayError({
    code: `HTTP_${status}`,
    kind,
    message: `${gateway} answered HTTP ${status}${to}${hint}`,
    messageJa: `${gateway} が${what ? ` ${what} に` : ""} HTTP ${status} を返しました`,
  })
}

/** Input the gateway cannot take (a malformed token, a saved card id of the wrong form …). */
export function invalid(message: string): GatewayError {
  return new GatewayError({ code: "INVALID", kind: "invalid", message })
}

/** An operation this gateway does not offer. */
export function unsupported(message: string, messageJa?: string, code = "UNSUPPORTED"): GatewayError {
  return new GatewayError({ code, kind: "unsupported", message, messageJa })
}

/** One call the gateway accepted, stamped now, for the payment's history. */
export function op(kind: Operation["op"], reference: string, amount: number): Operation {
  return { op: kind, reference, amount, at: new Date().toISOString() }
}

/** The charge as it stands, for an operation that had nothing to do (already captured, already canceled). */
export function unchanged(rec: ChargeRecord): GatewayCharge {
  return { reference: rec.reference, state: rec.state, amount: rec.amount, references: rec.references, savedCard: rec.savedCard, operations: [] }
}
