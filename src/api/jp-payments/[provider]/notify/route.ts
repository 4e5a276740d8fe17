// Gateway notifications (ROBOT PAYMENT 決済結果通知, …): /jp-payments/<identifier>_<id>/notify.
// The gateway's own answer (a non-empty `OK` for ROBOT PAYMENT) comes from the provider.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { handleNotification } from "../../../../core/notifications"
import { incomingOf } from "../../incoming"

async function notify(req: MedusaRequest, res: MedusaResponse) {
  const answer = await handleNotification(req.scope, req.params.provider, incomingOf(req))
  res.status(answer.status).type(answer.contentType).send(answer.body)
}

export const GET = notify
export const POST = notify
