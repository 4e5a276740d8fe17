// Card payments that need the merchant: sent without an answer, and the gateway cannot (or can no
// longer) be asked. The admin page "card payments that need you" lists them.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { needsAttention } from "../../../../core/reconcile"

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ payments: await needsAttention(req.scope) })
}
