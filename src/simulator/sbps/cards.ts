/**
 * Simulator test cards: the simulator's own convention (SBPS publishes its sandbox cards only to
 * merchants). Behaviour is keyed on the card number; expiry must be a future YYYYMM.
 */
export type ThreeDSBehaviour = "frictionless" | "challenge" | "failed"

export interface TestCard {
  pan: string
  label: string
  threeDS: ThreeDSBehaviour
  /** Credit type code (SBPS's API型 error codes) SBPS answers at 与信. */
  decline?: string
}

export const CHALLENGE_CODE = "123456"

export const TEST_CARDS: readonly TestCard[] = [
  { pan: "4111111111111111", label: "Visa — success, frictionless 3-D Secure", threeDS: "frictionless" },
  { pan: "4000000000001091", label: "Visa — success after a 3-D Secure challenge (code 123456)", threeDS: "challenge" },
  { pan: "5555555555554444", label: "Mastercard — success, frictionless", threeDS: "frictionless" },
  { pan: "3530111333300000", label: "JCB — success, frictionless", threeDS: "frictionless" },
  { pan: "4000000000001109", label: "Visa — 3-D Secure authentication fails (back to ng_return_url)", threeDS: "failed" },
  { pan: "4000000000000002", label: "Visa — declined 101-22 利用限度額超過", threeDS: "frictionless", decline: "22" },
  { pan: "4000000000000069", label: "Visa — declined 101-27 カード番号・有効期限誤り", threeDS: "frictionless", decline: "27" },
  { pan: "4000000000000127", label: "Visa — declined 101-61 セキュリティコード誤り", threeDS: "frictionless", decline: "61" },
]

export function cardBehaviour(pan: string): TestCard {
  return TEST_CARDS.find((c) => c.pan === pan) ?? { pan, label: "other Luhn-valid card — success, frictionless", threeDS: "frictionless" }
}

export function brandOf(pan: string): string {
  if (/^4/.test(pan)) return "V"
  if (/^(5[1-5]|2[2-7])/.test(pan)) return "M"
  if (/^35/.test(pan)) return "J"
  if (/^3[47]/.test(pan)) return "A"
  if (/^3(0|6|8)/.test(pan)) return "D"
  return "X"
}

export function luhn(pan: string): boolean {
  let sum = 0
  for (let i = 0; i < pan.length; i++) {
    let d = Number(pan[pan.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

export const maskPan = (pan: string) => "*".repeat(pan.length - 4) + pan.slice(-4)
