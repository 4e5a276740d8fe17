// ROBOT PAYMENT's pn: digits only (+81 → 0), at most 15. The server and the browser's
// ThreeDSAdapter.authenticate must send the same value, or the payment fails: one rule for both,
// with no imports, so the storefront bundle can take it.
export function normalisePhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined
  const digits = phone.replace(/^\+81/, "0").replace(/[\s\-()]/g, "")
  return /^\d{1,15}$/.test(digits) ? digits : undefined
}
