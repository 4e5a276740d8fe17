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
      fields: ["cart.email", "cart.billing_address.phone", "cart.shipping_address.phone"],
      filters: { id: req.params.id },
    })
    const cart = (data[0] as { cart?: { email?: string | null; billing_address?: { phone?: string | null } | null; shipping_address?: { phone?: string | null } | null } } | undefined)?.cart
    if (!cart) return next()
    const payer: Record<string, unknown> = {}
    if (cart.email) payer.email = cart.email
    const phone = cart.billing_address?.phone || cart.shipping_address?.phone
    if (phone) payer.phone = phone
    const { email: _e, phone: _p, ...sent } = body.data ?? {}
    body.data = { ...sent, ...payer }
    const validated = (req as unknown as { validatedBody?: Body }).validatedBody
    if (validated) validated.data = body.data
    next()
  } catch (e) {
    next(e)
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
