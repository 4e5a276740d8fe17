/**
 * Test cards and PAYGENT's sandbox rules (GUIDE-3DS §5, SANDBOX §2: see README.md, Sources):
 * the 3-D Secure outcome by cardholder name (wins) or amount, the challenge passwords, and the
 * authorization stub by the last four digits XYZZ of the card number.
 */
export type Brand = "VISA" | "MASTER" | "JCB" | "AMEX" | "DINERS" | "DISCOVER"

export function brandOf(pan: string): Brand | null {
  if (/^4/.test(pan)) return "VISA"
  if (/^(5[1-5]|2[2-7])/.test(pan)) return "MASTER"
  if (/^35/.test(pan)) return "JCB"
  if (/^3[47]/.test(pan)) return "AMEX"
  if (/^3[068]/.test(pan)) return "DINERS"
  if (/^6(011|5)/.test(pan)) return "DISCOVER"
  return null
}

export const ACQUIRERS: Record<Brand, { acqId: string; acqName: string; issurName: string; issurId: string }> = {
  VISA: { acqId: "99663", acqName: "三井住友カード", issurName: "テストVISA", issurId: "9966" },
  MASTER: { acqId: "99663", acqName: "三井住友カード", issurName: "テストMASTER", issurId: "9966" },
  JCB: { acqId: "99661", acqName: "JCB", issurName: "テストJCB", issurId: "9961" },
  AMEX: { acqId: "99662", acqName: "アメリカン・エキスプレス", issurName: "テストAMEX", issurId: "9962" },
  DINERS: { acqId: "99664", acqName: "ダイナース", issurName: "テストDINERS", issurId: "9964" },
  DISCOVER: { acqId: "99664", acqName: "ダイナース", issurName: "テストDISCOVER", issurId: "9964" },
}

export type Outcome = "success" | "attempt0" | "attempt1" | "failed"
export type Scenario = { flow: "frictionless"; outcome: Outcome } | { flow: "challenge" }

const NAME_OUTCOMES: Record<string, Outcome> = { YA: "success", AA: "attempt0", UA: "attempt1", NA: "failed", RA: "failed" }
const AMOUNT_OUTCOMES: Record<string, Outcome> = { "10": "success", "20": "attempt0", "50": "attempt1", "40": "failed", "60": "failed" }
const ERROR_SCENARIOS = new Set(["BBERRABAB", "BCERRTIMEOUT", "BDERRINVALIDINPUT"])
const ERROR_AMOUNTS = new Set([221001, 130000, 140000])
const CHALLENGE_AMOUNTS = new Set([0, 1, 200000, 400000])

/** The sandbox's 3-D Secure scenario; anything else is a frictionless success (the simulator's choice). */
export function scenarioFor(amount: number, name: string | undefined): Scenario {
  const n = (name ?? "").trim().toUpperCase()
  const byName = n.match(/^BA[VJDAM](YA|AA|UA|NA|RA|CA)$/)
  if (byName) return byName[1] === "CA" ? { flow: "challenge" } : { flow: "frictionless", outcome: NAME_OUTCOMES[byName[1]] }
  if (ERROR_SCENARIOS.has(n)) return { flow: "frictionless", outcome: "attempt1" }
  if (CHALLENGE_AMOUNTS.has(amount)) return { flow: "challenge" }
  if (ERROR_AMOUNTS.has(amount)) return { flow: "frictionless", outcome: "attempt1" }
  const byAmount = String(amount).match(/^(3140|3135|3136|3137|3150)(\d\d)$/)
  if (byAmount && AMOUNT_OUTCOMES[byAmount[2]]) return { flow: "frictionless", outcome: AMOUNT_OUTCOMES[byAmount[2]] }
  return { flow: "frictionless", outcome: "success" }
}

const PASSWORD_PREFIX: Record<Brand, string> = { VISA: "140", JCB: "135", DINERS: "136", AMEX: "137", MASTER: "150", DISCOVER: "136" }

/** The challenge page's password: <prefix>12 success, <prefix>42 failed, <prefix>52 attempt (merchant liability). */
export function challengeOutcome(brand: Brand, password: string): Outcome | null {
  const p = PASSWORD_PREFIX[brand]
  if (password === `${p}12`) return "success"
  if (password === `${p}42`) return "failed"
  if (password === `${p}52`) return "attempt1"
  return null
}

export function challengePasswords(brand: Brand): { success: string; failed: string; attempt: string } {
  const p = PASSWORD_PREFIX[brand]
  return { success: `${p}12`, failed: `${p}42`, attempt: `${p}52` }
}

/**
 * 020 stub by the last four digits XYZZ (SANDBOX §2: X=8, Y=2 = オーソリNG with detail 1Gnn). The
 * simulator also answers 81nn = 2002, 83nn = 2003 (payment kept in 申込済 for a retry), 8408 = 2008
 * timeout although the authorization went through (so that 094 finds it): its own choices.
 */
export function authStub(pan: string): { code: "2001" | "2002" | "2003" | "2008"; detail: string } | null {
  const m = pan.slice(-4).match(/^8([1234])(\d\d)$/)
  if (!m) return null
  if (m[1] === "2") return { code: "2001", detail: `1G${m[2]}` }
  if (m[1] === "1") return { code: "2002", detail: `1G${m[2]}` }
  if (m[1] === "3") return { code: "2003", detail: `1G${m[2]}` }
  if (m[1] === "4" && m[2] === "08") return { code: "2008", detail: "" }
  return null
}

export interface TestCard {
  pan: string
  note: string
}

export const TEST_CARDS: TestCard[] = [
  { pan: "4000000000000002", note: "VISA (foreign card of the sandbox): approved; 3-D Secure by name or amount" },
  { pan: "5120790000000000", note: "Mastercard (domestic card of the sandbox): approved" },
  { pan: "3540111111111111", note: "JCB: approved" },
  { pan: "6011000000000004", note: "Discover: no 3-D Secure at the acquirer (450 answers 31012)" },
  { pan: "4000000000008212", note: "VISA ending 8212: 020 declined, 2001 with detail 1G12" },
  { pan: "4000000000008344", note: "VISA ending 8344: 020 answers 2003 (1G44 wrong security code), payment kept for a retry" },
  { pan: "4000000000008408", note: "VISA ending 8408: 020 answers 2008 (timeout) but the authorization exists" },
]
