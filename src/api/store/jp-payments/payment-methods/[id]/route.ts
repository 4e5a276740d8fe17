import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { accountHolderFor, providerIdOf } from "../helpers"

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const providerId = providerIdOf(req.query.provider_id)
  const holder = await accountHolderFor(req, providerId)
  const payment = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  await payment.deletePaymentMethods({ provider_id: providerId, id: req.params.id, context: { account_holder: holder } } as never)
  res.json({ id: req.params.id, object: "payment_method", deleted: true })
}
