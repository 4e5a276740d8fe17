// The payer's addresses in PaymentOptions' words: billing_address / shipping_address
// {country(2), email(45), phone_number(20), address1(199), city(65), state(65), postal_code(45)}
// (docs/gateways/payment-options.md §3). Longer values are cut to the field's length: these are the
// gateway's risk data, not a delivery address. [?] Whether PaymentOptions reads address2 is not
// documented: Medusa's address_2 is appended to address1.
import type { PayerAddress } from "../../core/gateway"
import type { Address } from "./client"

const cut = (v: string, n: number) => v.slice(0, n)

/** The phone number as PaymentOptions' samples write it: digits (and a leading +), at most 20. */
export function phoneNumber(v: string | undefined): string | undefined {
  const p = v?.replace(/[^0-9+]/g, "").slice(0, 20)
  return p ? p : undefined
}

/** One address: the cart's when there is one, otherwise only what the API requires (country, e-mail). */
export function toAddress(a: PayerAddress | undefined, fallback: { email: string; phone?: string; country: string }): Address {
  const phone = phoneNumber(a?.phone || fallback.phone)
  const out: Address = { country: a?.country_code ? a.country_code.toUpperCase() : fallback.country, email: fallback.email }
  if (phone) out.phone_number = phone
  if (!a) return out
  const line = [a.address_1, a.address_2].map((s) => s.trim()).filter(Boolean).join(" ")
  if (line) out.address1 = cut(line, 199)
  if (a.city) out.city = cut(a.city, 65)
  if (a.province) out.state = cut(a.province, 65)
  if (a.postal_code) out.postal_code = cut(a.postal_code, 45)
  return out
}
