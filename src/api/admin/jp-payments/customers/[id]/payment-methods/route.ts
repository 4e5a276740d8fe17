// GET /admin/jp-payments/customers/:id/payment-methods — the cards the customer saved with this
// plugin's card providers, read from the gateways (one account holder per provider). A gateway that
// cannot answer is reported in `errors` instead of hiding the others' cards.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { resolveCardProvider } from "../../../../../../core/resolve-provider"

type Row = Record<string, any>

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const id = req.params.id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "customer",
    fields: ["id", "account_holders.*"],
    filters: { id },
  })
  const customer = data[0] as Row | undefined
  if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${id} was not found`)

  const payment = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const payment_methods: Array<{ provider_id: string; gateway_name: { en: string; ja: string }; id: string; data: Record<string, unknown> }> = []
  const errors: Array<{ provider_id: string; gateway_name: { en: string; ja: string }; message: string }> = []
  for (const holder of (customer.account_holders ?? []) as Row[]) {
    if (!holder?.provider_id) continue
    let gateway_name: { en: string; ja: string }
    try {
      const { displayName, capabilities } = resolveCardProvider(req.scope, holder.provider_id).definition
      if (!capabilities.savedCards) continue // its account holder only names the customer (請求管理ロボ)
      gateway_name = { en: displayName.en, ja: displayName.ja }
    } catch {
      continue // another plugin's provider
    }
    try {
      const methods = await payment.listPaymentMethods({ provider_id: holder.provider_id, context: { account_holder: holder as never } })
      for (const m of methods) payment_methods.push({ provider_id: holder.provider_id, gateway_name, id: m.id, data: (m.data ?? {}) as Record<string, unknown> })
    } catch (e) {
      errors.push({ provider_id: holder.provider_id, gateway_name, message: (e as Error).message })
    }
  }
  res.json({ payment_methods, ...(errors.length ? { errors } : {}) })
}
