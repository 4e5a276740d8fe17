// The vendor's DEV test cards (documentation/paymentmethods/testcards.mdx): any future expiry, any
// 3-digit CVC (4 for AMEX). A past expiry (e.g. 01/20) is the documented way to test an expired card.

export type Scenario = "frictionless" | "challenge" | "frictionless_failed" | "challenge_failed" | "refused"

export interface TestCard {
  pan: string
  brand: "VISA" | "MASTERCARD" | "AMEX"
  scenario: Scenario
}

const ROWS: Array<[Scenario, string, string, string]> = [
  ["frictionless", "4000000000001000", "5200000000001005", "340000000001007"],
  ["challenge", "4000000000001091", "5200000000001096", "340000000001098"],
  ["frictionless_failed", "4000000000001018", "5200000000001013", "340000000001015"],
  ["challenge_failed", "4000000000001109", "5200000000001104", "340000000001106"],
  ["refused", "4000000000001042", "5200000000001047", "340000000001049"],
]

export const TEST_CARDS: TestCard[] = ROWS.flatMap(([scenario, visa, mc, amex]) => [
  { pan: visa, brand: "VISA" as const, scenario },
  { pan: mc, brand: "MASTERCARD" as const, scenario },
  { pan: amex, brand: "AMEX" as const, scenario },
])

/** The one-time code the simulated challenge page accepts. */
export const CHALLENGE_OTP = "123456"

export function luhnOk(pan: string): boolean {
  let sum = 0
  for (let i = 0; i < pan.length; i++) {
    let d = pan.charCodeAt(pan.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

export function brandOf(pan: string): string {
  if (/^4/.test(pan)) return "VISA"
  if (/^(5[1-5]|2[2-7])/.test(pan)) return "MASTERCARD"
  if (/^3[47]/.test(pan)) return "AMEX"
  if (/^35/.test(pan)) return "JCB"
  return "UNKNOWN"
}

/** A card not in the table is treated as frictionless success (the simulator's assumption: the docs list no others). */
export function scenarioOf(pan: string): Scenario {
  return TEST_CARDS.find((c) => c.pan === pan)?.scenario ?? "frictionless"
}

export function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${"*".repeat(Math.max(0, pan.length - 10))}${pan.slice(-4)}`
}
