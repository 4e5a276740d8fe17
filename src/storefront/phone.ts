// ROBOT PAYMENT's pn: digits only (+81 → 0), at most 15. ThreeDSAdapter.authenticate must get the very
// pn the server's payment carries, or the payment fails: this is the rule the server applies to the
// cart's phone, kept here so that the browser helper imports nothing from the server.
export function normalisePhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined
  const digits = phone.replace(/^\+81/, "0").replace(/[\s\-()]/g, "")
  return /^\d{1,15}$/.test(digits) ? digits : undefined
}
