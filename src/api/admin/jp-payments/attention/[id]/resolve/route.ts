// The merchant checked a payment in the gateway's control panel: it is no longer listed nor asked about.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { markResolved } from "../../../../../../core/reconcile"

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const id = req.params.id
  if (!(await markResolved(req.scope, id))) throw new MedusaError(MedusaError.Types.NOT_FOUND, `no card payment session ${id}`)
  res.json({ id, resolved: true })
}
