// Gateways want the payer's e-mail or phone (ROBOT PAYMENT em/pn), the shopper's IP address and the
// cart's addresses (PaymentOptions customer_ip, billing_address, shipping_address), and Medusa passes a
// guest's none of them to the provider. This middleware takes them from the request and the cart on
// the server, so the storefront need not send them and cannot change them.
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { payerAddressFrom, type CartAddress } from "../core/payer-address"
import { resolveCardProvider } from "../core/resolve-provider"

type Body = { provider_id?: unknown; data?: Record<string, unknown> }

const ADDRESS_FIELDS = ["first_name", "last_name", "address_1", "address_2", "city", "province", "postal_code", "country_code", "phone"]

/** The keys the server sets in the session data; a storefront's own values for them are dropped. */
export const SERVER_KEYS = ["email", "phone", "customer_ip", "billing_address", "shipping_address", "retry_of"] as const

interface Cart {
  email?: string | null
  billing_address?: CartAddress | null
  shipping_address?: CartAddress | null
}

/** The session data the provider gets: what the storefront sent, minus SERVER_KEYS, plus the server's values. */
export function payerData(sent: Record<string, unknown> | undefined, cart: Cart, ip: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(sent ?? {}) }
  for (const k of SERVER_KEYS) delete out[k]
  if (cart.email) out.email = cart.email
  const phone = cart.billing_address?.phone || cart.shipping_address?.phone
  if (phone) out.phone = phone
  // Express's req.ip honours Medusa's trust-proxy setting (the last proxy's X-Forwarded-For).
  if (ip) out.customer_ip = ip
  const billing = payerAddressFrom(cart.billing_address)
  if (billing) out.billing_address = billing
  const shipping = payerAddressFrom(cart.shipping_address)
  if (shipping) out.shipping_address = shipping
  return out
}

export async function payerFromCart(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body = (req.body ?? {}) as Body
    if (typeof body.provider_id !== "string" || !isCardProvider(req, body.provider_id)) return next()
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment_collection",
      fields: [
        "cart.email",
        ...ADDRESS_FIELDS.flatMap((f) => [`cart.billing_address.${f}`, `cart.shipping_address.${f}`]),
        "payment_sessions.provider_id",
        "payment_sessions.data",
        "payment_sessions.created_at",
      ],
      filters: { id: req.params.id },
    })
    const collection = data[0] as { cart?: Cart; payment_sessions?: Session[] } | undefined
    const cart = collection?.cart
    // Without a cart (a collection made otherwise) e-mail and phone stay as sent; the IP and addresses are still the server's.
    body.data = cart ? payerData(body.data, cart, req.ip) : { ...payerData(body.data, {}, req.ip), ...pick(body.data, ["email", "phone"]) }
    const retry = retryOf(collection?.payment_sessions ?? [], body.provider_id)
    if (retry) body.data.retry_of = retry
    const validated = (req as unknown as { validatedBody?: Body }).validatedBody
    if (validated) validated.data = body.data
    next()
  } catch (e) {
    next(e)
  }
}

type Session = { provider_id?: string; data?: Record<string, unknown> | null; created_at?: string | Date }

/**
 * A refused payment the gateway keeps for a retry (PAYGENT 2003): the newest session of this
 * collection and provider, if it recorded one. Medusa deletes that session as the new one is made.
 */
export function retryOf(sessions: Session[], providerId: string): Record<string, string> | null {
  const mine = sessions.filter((s) => s.provider_id === providerId).sort((a, b) => new Date(b.created_at ?? 0).getTime() - new Date(a.created_at ?? 0).getTime())
  const jp = mine[0]?.data?.jp as { retry?: unknown; retry_of?: unknown; error?: unknown } | undefined
  // A session that was to retry and got no answer from the gateway (never completed) hands its retry on.
  const r = jp?.retry ?? (jp?.error ? null : jp?.retry_of)
  if (!r || typeof r !== "object" || Array.isArray(r)) return null
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(r)) if (typeof v === "string") out[k] = v
  return Object.keys(out).length ? out : null
}

function pick(o: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (o?.[k] !== undefined) out[k] = o[k]
  return out
}

function isCardProvider(req: MedusaRequest, providerId: string): boolean {
  try {
    resolveCardProvider(req.scope, providerId)
    return true
  } catch {
    return false
  }
}
