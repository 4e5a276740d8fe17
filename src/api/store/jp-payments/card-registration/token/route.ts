// POST {provider_id, token}: registers (or replaces) the logged-in customer's card with a CPToken.js
// token whose 3-D Secure ran with amounts 0 and the em/pn the preparation answered. The token is
// used once and never stored or logged.
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { cardDataRefusal } from "../../../../../core/card-data"
import { asMedusa, customerOf, errorRecord, registrationAnswer, registrationGateway, saveStored, storedOf } from "../helpers"

export async function POST(req: AuthenticatedMedusaRequest<{ provider_id?: string; token?: string }>, res: MedusaResponse) {
  const body = (req.body ?? {}) as { provider_id?: unknown; token?: unknown }
  // The card goes to CPToken.js only; a body that carries it is refused before anything is stored or sent.
  const card = cardDataRefusal(body)
  if (card) throw new MedusaError(MedusaError.Types.INVALID_DATA, card)
  const { id, gateway } = registrationGateway(req.scope, body.provider_id)
  if (typeof body.token !== "string" || !body.token) throw new MedusaError(MedusaError.Types.INVALID_DATA, "token is required: the value CPToken.js put in #tkn")
  const customer = await customerOf(req.scope, req.auth_context.actor_id)
  const stored = storedOf(customer, id)
  if (!stored?.em || !stored.pn) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "prepare the registration first: POST /store/jp-payments/card-registration")
  }
  try {
    const state = await gateway.registerCard(customer.id, body.token, { email: stored.em, phone: stored.pn })
    await saveStored(req.scope, customer.id, id, (current) => ({ ...(current ?? stored), register_status: state.register_status, registered: state.registered, error: null, updated_at: new Date().toISOString() }))
    res.json({ registration: registrationAnswer(state) })
  } catch (e) {
    await saveStored(req.scope, customer.id, id, (current) => ({ ...(current ?? stored), error: errorRecord(e), updated_at: new Date().toISOString() }))
    throw asMedusa(e, id)
  }
}
