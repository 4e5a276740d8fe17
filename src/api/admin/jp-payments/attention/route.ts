// Card payments that need the merchant: an authorization sent without an answer that the gateway
// cannot (or can no longer) be asked about, and payments whose capture, refund or cancel went out
// without an answer (jp.pending). The admin page "card payments that need you" lists them.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { needsAttention } from "../../../../core/reconcile"

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ payments: await needsAttention(req.scope) })
}
