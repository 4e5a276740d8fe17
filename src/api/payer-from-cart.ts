// Gateways want the payer's e-mail or phone (ROBOT PAYMENT em/pn), the shopper's IP address and the
// cart's addresses (PaymentOptions customer_ip, billing_address, shipping_address), and Medusa passes a
// guest's none of them to the provider. This middleware takes them from the request and the cart on
// the server, so the storefront need not send them and cannot change them: a storefront that sends
// them (or the plugin's own state, or an amount, or card data) is refused with a message naming the key.
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { cardDataRefusal } from "../core/card-data"
import { payerAddressFrom, type CartAddress } from "../core/payer-address"
import type { CardProvider } from "../core/card-provider"
import { resolveCardProvider } from "../core/resolve-provider"

type Body = { provider_id?: unknown; data?: Record<string, unknown> }

const ADDRESS_FIELDS = ["first_name", "last_name", "address_1", "address_2", "city", "province", "postal_code", "country_code", "phone"]

/** The keys the server sets in the session data; a storefront's own values for them are dropped. */
export const SERVER_KEYS = ["email", "phone", "customer_ip", "billing_address", "shipping_address", "retry_of"] as const

/**
 * What a storefront may never send in a session's data: the plugin's own state, what the server sets,
 * and an amount or currency (the payment is always for the cart's total). Refused with a message naming
 * the key, before any session is made or anything reaches a gateway.
 */
export const REFUSED_KEYS: Readonly<Record<string, string>> = {
  jp: "data.jp is the plugin's own state: a storefront cannot send it (create the session with the card token or saved card id only)",
  amount: "data.amount is not taken from the storefront: the payment is always for the cart's total",
  currency: "data.currency is not taken from the storefront: the payment is always in the cart's currency",
  currency_code: "data.currency_code is not taken from the storefront: the payment is always in the cart's currency",
  customer_ip: "data.customer_ip is set by the server from the request, not by the storefront",
  billing_address: "data.billing_address is taken from the cart on the server: update the cart's billing address instead",
  shipping_address: "data.shipping_address is taken from the cart on the server: update the cart's shipping address instead",
  retry_of: "data.retry_of is set by the server, not by the storefront",
  card_seal_in: "data.card_seal_in is set by the server (the card token, sealed): send the card token itself",
}

/** Why the storefront's session data is refused, or null. */
export function storefrontRefusal(sent: unknown): string | null {
  if (sent === undefined || sent === null) return null
  if (typeof sent !== "object" || Array.isArray(sent)) return "data must be an object"
  for (const k of Object.keys(REFUSED_KEYS)) if (k in sent) return REFUSED_KEYS[k]
  const card = cardDataRefusal(sent, "data.")
  if (card) return card
  for (const k of ["email", "phone"]) {
    const v = (sent as Record<string, unknown>)[k]
    if (v !== undefined && v !== null && typeof v !== "string") return `data.${k} must be a string`
  }
  return null
}

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
    const providerId = body.provider_id
    // Resolved once: whether the middleware applies at all, and who seals the card token below.
    const provider = typeof providerId === "string" ? cardProviderOf(req, providerId) : null
    if (!provider || typeof providerId !== "string") return next()
    const refusal = storefrontRefusal(body.data)
    if (refusal) throw new MedusaError(MedusaError.Types.INVALID_DATA, refusal)
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
    const retry = retryOf(collection?.payment_sessions ?? [], providerId)
    if (retry) body.data.retry_of = retry
    // Medusa writes the new session's data before the provider sees it: the card token goes in sealed.
    body.data = provider.sealIncoming(body.data)
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

/** This plugin's provider behind the id, or null for any other (Medusa's own, another plugin's, unknown). */
function cardProviderOf(req: MedusaRequest, providerId: string): CardProvider | null {
  try {
    return resolveCardProvider(req.scope, providerId)
  } catch {
    return null
  }
}
