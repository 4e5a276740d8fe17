// The shopper's way back from 3-D Secure or a gateway's payment page: /jp-payments/return/<orderCode>
// (the URL every gateway is given as its return / term_url). GET or POST, as the gateway sends it.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { handleReturn } from "../../../../core/returns"
import { incomingOf } from "../../incoming"

async function back(req: MedusaRequest, res: MedusaResponse) {
  const answer = await handleReturn(req.scope, req.params.code, incomingOf(req))
  // The return page must not be cached, nor leak the order code to the storefront's analytics.
  res.set({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" })
  if (answer.location) res.location(answer.location)
  res.status(answer.status).type(answer.contentType).send(answer.body)
}

export const GET = back
export const POST = back
