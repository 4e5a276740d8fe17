import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resolveCardProvider } from "../../../../../core/resolve-provider"
import { accountHolderFor, providerIdOf } from "../helpers"

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const providerId = providerIdOf(req.query.provider_id)
  const holder = await accountHolderFor(req, providerId)
  // The provider itself, not the module's deletePaymentMethods: that one folds every error into a plain
  // Error, so a card that is not this customer's would be a 500 instead of a clear 404.
  await resolveCardProvider(req.scope, providerId).deletePaymentMethod({ data: { id: req.params.id }, context: { account_holder: holder } } as never)
  res.json({ id: req.params.id, object: "payment_method", deleted: true })
}
