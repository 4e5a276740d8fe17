/**
 * Simulator test cards. The vendor documents only 4444333322221111 (test
 * mode, CVV 123); everything else here is the simulator's own convention.
 * Behaviour is keyed on the card number alone: expiry, name and CVV only
 * have to be well-formed.
 */
import type { GCode } from "./codes"

/** How EMV 3-D Secure goes for the card when ThreeDSAdapter.authenticate runs. */
export type ThreeDSBehaviour =
  | "frictionless" // authenticated at once, no cardholder interaction
  | "challenge" // a challenge page is shown; one-time code 123456 passes
  | "frictionless-failed" // the issuer rejects authentication without a challenge (payment → ER900)

export interface TestCard {
  pan: string
  label: string
  threeDS: ThreeDSBehaviour
  /** G code the card company answers at PAYMENT time (never at token creation). */
  decline?: GCode
}

export const CHALLENGE_OTP = "123456"

export const TEST_CARDS: readonly TestCard[] = [
  { pan: "4444333322221111", label: "Visa — success, frictionless 3DS (the vendor's test card)", threeDS: "frictionless" },
  { pan: "4111111111111111", label: "Visa — success after a 3DS challenge (code 123456)", threeDS: "challenge" },
  { pan: "5555555555554444", label: "Mastercard — success, frictionless 3DS", threeDS: "frictionless" },
  { pan: "3530111333300000", label: "JCB — success, frictionless 3DS", threeDS: "frictionless" },
  { pan: "4000000000003063", label: "Visa — 3DS rejected without challenge: payment fails ER900", threeDS: "frictionless-failed" },
  { pan: "4000000000000002", label: "Visa — declined G1242G120000 取扱不可カード", threeDS: "frictionless", decline: "G1242G120000" },
  { pan: "4000000000009995", label: "Visa — declined G5542G550000 限度額オーバー", threeDS: "frictionless", decline: "G5542G550000" },
  { pan: "4000000000000069", label: "Visa — declined G8342G830000 有効期限エラー", threeDS: "frictionless", decline: "G8342G830000" },
  { pan: "4000000000000127", label: "Visa — declined G4442G440000 セキュリティコード不正", threeDS: "frictionless", decline: "G4442G440000" },
  { pan: "4000000000000119", label: "Visa — declined G6042G600000 事故カード", threeDS: "frictionless", decline: "G6042G600000" },
]

/** Any other Luhn-valid 14–16 digit number behaves like 4444333322221111. */
export function cardBehaviour(pan: string): TestCard {
  return TEST_CARDS.find((c) => c.pan === pan) ?? { pan, label: "other Luhn-valid card — success, frictionless", threeDS: "frictionless" }
}

/** Masked number as in the カード情報参照 table: symbols (10~12) + the last 4 digits. */
export function maskPan(pan: string): string {
  return "*".repeat(pan.length - 4) + pan.slice(-4)
}
