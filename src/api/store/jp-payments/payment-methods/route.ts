// GET: the logged-in customer's saved cards with a provider. POST: save a card from a gateway token and
// its companions, the gateway definition's tokenFields (ROBOT PAYMENT: the token's 3-D Secure ran with
// the `uid` the payment session's data names; SBPS: token and token_key).
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { resolveCardProvider } from "../../../../core/resolve-provider"
import { accountHolderFor, providerIdOf } from "./helpers"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const providerId = providerIdOf(req.query.provider_id)
  const holder = await accountHolderFor(req, providerId)
  const payment = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const methods = await payment.listPaymentMethods({ provider_id: providerId, context: { account_holder: holder } })
  res.json({ payment_methods: methods, account_holder: { id: holder.id, ref: holder.data?.ref ?? null } })
}

export async function POST(req: AuthenticatedMedusaRequest<{ provider_id?: string; data?: Record<string, unknown> }>, res: MedusaResponse) {
  const body = (req.body ?? {}) as { provider_id?: unknown; data?: Record<string, unknown> }
  const providerId = providerIdOf(body.provider_id)
  const provider = resolveCardProvider(req.scope, providerId)
  const { tokenFields } = provider.definition
  // Every value the gateway's token carries (SBPS token_key …), and nothing else, reaches the provider.
  const data: Record<string, string> = {}
  for (const f of tokenFields) {
    const v = body.data?.[f]
    if (v === undefined || v === null) continue
    if (typeof v !== "string" || !v) throw new MedusaError(MedusaError.Types.INVALID_DATA, `data.${f} must be the value the gateway's script gave`)
    data[f] = v
  }
  if (!data.token) {
    const companions = tokenFields.filter((f) => f !== "token")
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      tokenFields.length === 0
        ? `${providerId} saves a card only with a payment (the card is entered on the gateway's page)`
        : `data.token is required${companions.length ? `, with ${companions.join(", ")} as the gateway's script gave them` : ""}`
    )
  }
  const holder = await accountHolderFor(req, providerId)
  // The provider itself, not the module's createPaymentMethods: that one folds every error into a plain
  // Error (promiseAll with aggregateErrors), so a refused token would be a 500 instead of a clear 400.
  const saved = await provider.savePaymentMethod({ data, context: { account_holder: holder } } as never)
  res.status(201).json({ payment_method: { id: saved.id, data: saved.data, provider_id: providerId } })
}
