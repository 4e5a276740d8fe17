// GET: the logged-in customer's saved cards with a provider. POST: save a card from a gateway token
// (ROBOT PAYMENT: the token's 3-D Secure ran with the `uid` the payment session's data names).
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { accountHolderFor, providerIdOf } from "./helpers"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const providerId = providerIdOf(req.query.provider_id)
  const holder = await accountHolderFor(req, providerId)
  const payment = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const methods = await payment.listPaymentMethods({ provider_id: providerId, context: { account_holder: holder } })
  res.json({ payment_methods: methods, account_holder: { id: holder.id, ref: holder.data?.ref ?? null } })
}

export async function POST(req: AuthenticatedMedusaRequest<{ provider_id?: string; data?: { token?: string } }>, res: MedusaResponse) {
  const body = (req.body ?? {}) as { provider_id?: unknown; data?: { token?: unknown } }
  const providerId = providerIdOf(body.provider_id)
  const token = body.data?.token
  if (typeof token !== "string" || !token) throw new MedusaError(MedusaError.Types.INVALID_DATA, "data.token is required")
  const holder = await accountHolderFor(req, providerId)
  const payment = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const method = await payment.createPaymentMethods({
    provider_id: providerId,
    data: { token },
    context: { account_holder: holder },
  })
  res.status(201).json({ payment_method: method })
}
