// 請求管理ロボ's クレジットカード登録状況 webhook (credit_status_issue, POST JSON), registered in its
// Webhook管理画面 as <backend>/jp-payments/card-registration/pp_<gateway>_<id>/webhook. Verified with the
// provider's signatureKey (BillingRoboSignaturekey) and, where set, the notificationIps option; applied
// once per event, answered 200 so that a webhook about a 請求先 this shop does not know is not sent again.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { GatewayError } from "../../../../../core/gateway"
import { customerIdByRef, customerOf, registrationGateway, saveStored, storedOf } from "../../../../store/jp-payments/card-registration/helpers"
import { incomingOf } from "../../../incoming"

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const { id, provider, gateway, registration } = registrationGateway(req.scope, req.params.provider)
  const incoming = await incomingOf(req)
  let event
  try {
    // notificationIps holds here as at every route a gateway calls
    provider.notificationSource(incoming)
    event = gateway.parseWebhook(incoming.rawBody)
  } catch (e) {
    if (e instanceof GatewayError) return void res.status(e.code === "FORBIDDEN_SOURCE" ? 403 : e.kind === "merchant" ? 503 : 401).json({ error: e.message })
    throw e
  }
  if (event.eventName !== registration.statusEvent) return void res.status(200).send("OK")
  const customerId = await customerIdByRef(req.scope, id, event.customerRef)
  if (!customerId) return void res.status(200).send("OK")
  const customer = await customerOf(req.scope, customerId)
  const stored = storedOf(customer, id)
  if (!stored) return void res.status(200).send("OK")
  // Another 決済情報 of the same 請求先 (one the merchant added in the control panel) says nothing of the
  // card the plugin registered: its status must not become this registration's.
  if (event.paymentCode !== null && stored.payment_code && event.paymentCode !== stored.payment_code) return void res.status(200).send("OK")
  const key = [event.id, event.paymentStatus, event.creditStatus, event.creditErrorCode, event.creditUpdateTime].join("|")
  if (stored.events?.includes(key)) return void res.status(200).send("OK")
  const eventId = event.id !== null && /^\d+$/.test(event.id) ? Number(event.id) : null
  await saveStored(req.scope, customerId, id, (current) => {
    const now = current ?? stored
    if (now.events?.includes(key)) return now // a duplicate that arrived alongside
    const events = [...(now.events ?? []), key].slice(-20)
    // Webhooks may arrive out of order: one older than the newest applied changes no status. [?] that
    // `id` grows with time; the public sample shows one event only.
    if (eventId !== null && typeof now.last_event_id === "number" && eventId < now.last_event_id) return { ...now, events }
    return {
      ...now,
      register_status: event.paymentStatus ?? now.register_status,
      registered: event.paymentStatus === null ? now.registered : registration.isRegistered(event.paymentStatus),
      credit_status: event.creditStatus,
      credit_error_code: event.creditErrorCode,
      events,
      last_event_id: eventId ?? now.last_event_id ?? null,
      updated_at: new Date().toISOString(),
    }
  })
  res.status(200).send("OK")
}
