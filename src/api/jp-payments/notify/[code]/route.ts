// Per-payment notifications: /jp-payments/notify/<orderCode>, the webhook URL sent with each request
// to gateways that take one (PaymentOptions). The gateway verifies the request's signature.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { handleNotificationForOrder } from "../../../../core/notifications"
import { incomingOf } from "../../incoming"

async function notify(req: MedusaRequest, res: MedusaResponse) {
  const answer = await handleNotificationForOrder(req.scope, req.params.code, incomingOf(req))
  res.status(answer.status).type(answer.contentType).send(answer.body)
}

export const GET = notify
export const POST = notify
