// The payer's postal address in one shape for every gateway (PayerAddress), made on the server from
// the cart's Medusa address, and read back from session data with its form checked.
import { isIP } from "node:net"
import type { PayerAddress } from "./gateway"
import { invalid } from "./vocabulary"

/** A cart address as Medusa's Store API / query graph returns it. */
export interface CartAddress {
  first_name?: string | null
  last_name?: string | null
  address_1?: string | null
  address_2?: string | null
  city?: string | null
  province?: string | null
  postal_code?: string | null
  country_code?: string | null
  phone?: string | null
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/

/** "first last" for a Latin name, "last first" for a Japanese one (as each is written); undefined when there is none. */
export function payerName(first: string | null | undefined, last: string | null | undefined): string | undefined {
  const f = (first ?? "").trim()
  const l = (last ?? "").trim()
  if (!f && !l) return undefined
  const parts = JAPANESE.test(f + l) ? [l, f] : [f, l]
  return parts.filter(Boolean).join(" ")
}

/** The cart's address as a PayerAddress, or undefined when the cart has none (no street, no postal code). */
export function payerAddressFrom(a: CartAddress | null | undefined): PayerAddress | undefined {
  if (!a) return undefined
  const t = (v: string | null | undefined) => (v ?? "").trim()
  if (!t(a.address_1) && !t(a.postal_code)) return undefined
  const name = payerName(a.first_name, a.last_name)
  return {
    ...(name ? { name } : {}),
    postal_code: t(a.postal_code),
    province: t(a.province),
    city: t(a.city),
    address_1: t(a.address_1),
    address_2: t(a.address_2),
    phone: t(a.phone),
    country_code: t(a.country_code).toLowerCase(),
  }
}

const FIELDS = ["postal_code", "province", "city", "address_1", "address_2", "phone", "country_code"] as const

/** A PayerAddress from session data (what payer-from-cart wrote), checked; throws GatewayError(invalid) naming the field. */
export function readPayerAddress(v: unknown, field: string): PayerAddress {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw invalid(`${field} must be an address object`)
  const o = v as Record<string, unknown>
  const out: Record<string, string> = {}
  for (const k of FIELDS) {
    const x = o[k]
    if (typeof x !== "string" || x.length > 200) throw invalid(`${field}.${k} must be a string of at most 200 characters`)
    out[k] = x
  }
  if (o.name !== undefined) {
    if (typeof o.name !== "string" || o.name.length > 200) throw invalid(`${field}.name must be a string of at most 200 characters`)
    out.name = o.name
  }
  if (out.country_code && !/^[a-z]{2}$/.test(out.country_code)) throw invalid(`${field}.country_code must be a two-letter country code`)
  return out as unknown as PayerAddress
}

/** The shopper's address as Express gave it (IPv4-mapped IPv6 written as IPv4); throws for anything that is not an IP address. */
export function readCustomerIp(v: unknown): string {
  const ip = typeof v === "string" ? v.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1") : ""
  if (!isIP(ip)) throw invalid("customer_ip must be an IP address")
  return ip
}
