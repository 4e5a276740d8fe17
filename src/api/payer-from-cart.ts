// Gateways want the payer's e-mail or phone (ROBOT PAYMENT em/pn), and Medusa passes a guest's
// neither to the provider. This middleware takes them from the cart on the server, so the storefront
// need not send them and cannot change them.
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { resolveCardProvider } from "../core/resolve-provider"

type Body = { provider_id?: unknown; data?: Record<string, unknown> }

export async function payerFromCart(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body = (req.body ?? {}) as Body
    if (typeof body.provider_id !== "string" || !isCardProvider(req, body.provider_id)) return next()
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment_collection",
      fields: ["cart.email", "cart.billing_address.*", "cart.shipping_address.phone"],
      filters: { id: req.params.id },
    })
    const cart = (data[0] as { cart?: { email?: string | null; billing_address?: CartAddress | null; shipping_address?: { phone?: string | null } | null } } | undefined)?.cart
    if (!cart) return next()
    const payer: Record<string, unknown> = {}
    if (cart.email) payer.email = cart.email
    const phone = cart.billing_address?.phone || cart.shipping_address?.phone
    if (phone) payer.phone = phone
    if (cart.billing_address) payer.billing_address = payerAddress(cart.billing_address)
    // What the server sets from the cart and the request is never the storefront's to send.
    const { email: _e, phone: _p, billing_address: _b, shipping_address: _s, customer_ip: _i, ...sent } = body.data ?? {}
    body.data = { ...sent, ...payer }
    const validated = (req as unknown as { validatedBody?: Body }).validatedBody
    if (validated) validated.data = body.data
    next()
  } catch (e) {
    next(e)
  }
}

type CartAddress = Record<string, string | null | undefined>

/** core's PayerAddress from a Medusa cart address. Names: Latin "first last", Japanese "last first". */
function payerAddress(a: CartAddress): Record<string, string> {
  const s = (k: string) => (typeof a[k] === "string" ? (a[k] as string).trim() : "")
  const first = s("first_name")
  const last = s("last_name")
  const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/.test(first + last)
  const name = (japanese ? [last, first] : [first, last]).filter(Boolean).join(" ")
  return {
    ...(name ? { name } : {}),
    postal_code: s("postal_code"),
    province: s("province"),
    city: s("city"),
    address_1: s("address_1"),
    address_2: s("address_2"),
    phone: s("phone"),
    country_code: s("country_code").toLowerCase(),
  }
}

function isCardProvider(req: MedusaRequest, providerId: string): boolean {
  try {
    resolveCardProvider(req.scope, providerId)
    return true
  } catch {
    return false
  }
}
