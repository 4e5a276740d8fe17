// GET /admin/jp-payments/customers/:id/card-registration — the customer's cards registered at a
// gateway that keeps them itself (請求管理ロボ's 請求先), per provider: codes and statuses as the plugin
// recorded them (webhooks included), refreshed from the gateway; a gateway that cannot answer is
// reported beside what was recorded.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resolveCardProvider } from "../../../../../../core/resolve-provider"
import type { CardRegistration } from "../../../../../../core/card-registration"
import { gatewayNamed } from "../../../../../../gateways"
import { METADATA_KEY, customerOf, registrationGateway, type StoredRegistration } from "../../../../../store/jp-payments/card-registration/helpers"

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const customer = await customerOf(req.scope, req.params.id)
  const all = (customer.metadata?.[METADATA_KEY] ?? {}) as Record<string, StoredRegistration>
  const registrations = []
  for (const [providerId, stored] of Object.entries(all)) {
    let gateway_name: { en: string; ja: string }
    let registration: CardRegistration | undefined
    try {
      const { displayName, name } = resolveCardProvider(req.scope, providerId).definition
      gateway_name = { en: displayName.en, ja: displayName.ja }
      registration = gatewayNamed(name)?.cardRegistration
    } catch {
      continue // a provider no longer configured
    }
    let live: { register_status: number | null } | null = null
    let fetch_error: string | null = null
    try {
      live = await registrationGateway(req.scope, providerId).gateway.registration(customer.id)
    } catch (e) {
      fetch_error = (e as Error).message
    }
    const register_status = live?.register_status ?? stored.register_status ?? null
    registrations.push({
      provider_id: providerId,
      gateway_name,
      billing_code: stored.billing_code,
      register_status,
      register_status_text: registration?.registerStatusText(register_status) ?? null,
      registered: register_status !== null && registration?.isRegistered(register_status) === true,
      credit_status: stored.credit_status ?? null,
      credit_status_text: registration?.creditStatusText(stored.credit_status ?? null) ?? null,
      credit_error_code: stored.credit_error_code ?? null,
      // 請求管理ロボ's API answers no card brand or number: nothing masked to show.
      card: null,
      error: stored.error ?? null,
      fetch_error,
      updated_at: stored.updated_at,
    })
  }
  res.json({ registrations })
}
