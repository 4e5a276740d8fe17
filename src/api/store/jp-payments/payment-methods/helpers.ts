// The logged-in customer's account holder with a card provider, created (and linked) on first use.
// Medusa 2.21 has no store route for saved payment methods; these routes are the plugin's.
import type { AuthenticatedMedusaRequest } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { resolveCardProvider } from "../../../../core/resolve-provider"

export function providerIdOf(value: unknown): string {
  if (typeof value !== "string" || !/^pp_[a-z0-9-]+_[A-Za-z0-9_-]+$/.test(value)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "provider_id must be a payment provider id of this plugin: pp_<gateway>_<id>")
  }
  return value
}

export async function accountHolderFor(req: AuthenticatedMedusaRequest, providerId: string) {
  resolveCardProvider(req.scope, providerId) // a card provider of this plugin, or 404
  const customerId = req.auth_context.actor_id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [customer] } = await query.graph({
    entity: "customer",
    fields: ["id", "email", "first_name", "last_name", "phone", "account_holders.*"],
    filters: { id: customerId },
  })
  if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, "customer not found")
  const existing = (customer.account_holders ?? []).find((h: { provider_id?: string } | null) => h?.provider_id === providerId)
  if (existing) return existing
  const payment = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const holder = await payment.createAccountHolder({
    provider_id: providerId,
    context: { customer: { id: customer.id, email: customer.email, first_name: customer.first_name, last_name: customer.last_name, phone: customer.phone } },
  })
  const link = req.scope.resolve(ContainerRegistrationKeys.LINK)
  await link.create({ [Modules.CUSTOMER]: { customer_id: customer.id }, [Modules.PAYMENT]: { account_holder_id: holder.id } })
  return holder
}
