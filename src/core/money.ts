// Medusa amounts are major units in any of the BigNumberInput forms (number, decimal string,
// BigNumber, bignumber.js, the raw `{ value, precision }` object a refund receives). Gateways take
// whole minor units: for JPY that is whole yen. Rounding is half-up, as Medusa rounds totals.
import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"

/** ISO 4217 minor-unit digits for the currencies the gateways take. */
const DECIMALS: Record<string, number> = { jpy: 0, krw: 0, usd: 2, eur: 2, gbp: 2, aud: 2, cad: 2, sgd: 2, hkd: 2, twd: 2, cny: 2 }

export class AmountError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "AmountError"
  }
}

export function currencyDecimals(currency: string): number {
  const d = DECIMALS[currency.toLowerCase()]
  if (d === undefined) throw new AmountError(`unknown currency: ${currency}`)
  return d
}

/** Medusa amount (major units) → an integer count of the currency's minor unit (whole yen for JPY). */
export function toMinorUnits(amount: BigNumberInput | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") {
    throw new AmountError("amount is missing")
  }
  // A whole number (what Medusa passes for JPY) needs no decimal arithmetic: bignumber.js cost more
  // than the rest of an operation's own work (npm run bench, P1 profile).
  if (typeof amount === "number" && Number.isSafeInteger(amount)) {
    const n = amount * 10 ** currencyDecimals(currency)
    if (Number.isSafeInteger(n)) return n
  }
  let bn
  try {
    bn = MathBN.convert(amount as BigNumberInput)
  } catch {
    throw new AmountError(`not an amount: ${JSON.stringify(amount)}`)
  }
  if (!bn.isFinite()) throw new AmountError(`not an amount: ${JSON.stringify(amount)}`)
  const minor = bn.shiftedBy(currencyDecimals(currency)).decimalPlaces(0, 4 /* ROUND_HALF_UP */)
  const n = minor.toNumber()
  if (!Number.isSafeInteger(n)) throw new AmountError(`amount out of range: ${bn.toString()}`)
  return n
}

/** Integer minor units → the major-unit number Medusa expects back. */
export function fromMinorUnits(minor: number, currency: string): number {
  const d = currencyDecimals(currency)
  // integer ÷ 10^d is correctly rounded, as is bignumber.js's decimal string read back as a number
  if (Number.isSafeInteger(minor)) return d === 0 ? minor : minor / 10 ** d
  return MathBN.convert(minor).shiftedBy(-currencyDecimals(currency)).toNumber()
}
