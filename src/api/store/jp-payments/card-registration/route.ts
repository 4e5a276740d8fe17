// The logged-in customer's card registered at the gateway (請求管理ロボ: the card its 請求先 is billed on).
//   GET  ?provider_id=  the registration as the gateway has it now, with what webhooks said since
//   POST {provider_id, address_id?}  creates or updates the 請求先 from the customer and their address,
//        and answers the public values the browser needs: aid, script URLs, and the em/pn that
//        ThreeDSAdapter.authenticate must repeat (amounts 0). Then POST ./token with the token.
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { cardDataRefusal } from "../../../../core/card-data"
import { asMedusa, customerOf, errorRecord, registrationAnswer, registrationCustomer, registrationGateway, saveStored, storedOf } from "./helpers"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { id, gateway } = registrationGateway(req.scope, req.query.provider_id)
  const customer = await customerOf(req.scope, req.auth_context.actor_id)
  const stored = storedOf(customer, id)
  let state
  try {
    state = await gateway.registration(customer.id)
  } catch (e) {
    throw asMedusa(e, id)
  }
  res.json({ registration: { ...registrationAnswer(state), credit_status: stored?.credit_status ?? null, credit_error_code: stored?.credit_error_code ?? null, error: stored?.error ?? null } })
}

export async function POST(req: AuthenticatedMedusaRequest<{ provider_id?: string; address_id?: string }>, res: MedusaResponse) {
  const body = (req.body ?? {}) as { provider_id?: unknown; address_id?: unknown }
  // The card goes to CPToken.js only (POST ./token takes its token): a body carrying it is refused.
  const card = cardDataRefusal(body)
  if (card) throw new MedusaError(MedusaError.Types.INVALID_DATA, card)
  const { id, gateway } = registrationGateway(req.scope, body.provider_id)
  const customer = await customerOf(req.scope, req.auth_context.actor_id)
  const input = registrationCustomer(customer, body.address_id)
  const previous = storedOf(customer, id)
  try {
    const { state, browser, payer } = await gateway.prepareRegistration(input)
    await saveStored(req.scope, customer.id, id, (current) => ({
      ...(current ?? {}),
      billing_code: state.customer_ref,
      payment_code: state.payment_code,
      register_status: state.register_status,
      registered: state.registered,
      em: payer.email,
      pn: payer.phone,
      error: null,
      updated_at: new Date().toISOString(),
    }))
    res.json({ registration: registrationAnswer(state), browser })
  } catch (e) {
    if (previous) await saveStored(req.scope, customer.id, id, (current) => ({ ...(current ?? previous), error: errorRecord(e), updated_at: new Date().toISOString() }))
    throw asMedusa(e, id)
  }
}
