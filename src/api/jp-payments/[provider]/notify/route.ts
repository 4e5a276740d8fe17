// Gateway notifications (ROBOT PAYMENT 決済結果通知, …): /jp-payments/<identifier>_<id>/notify.
// The gateway's own answer (a non-empty `OK` for ROBOT PAYMENT) comes from the provider.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { handleNotification } from "../../../../core/notifications"

async function notify(req: MedusaRequest, res: MedusaResponse) {
  const query: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.query ?? {})) query[k] = Array.isArray(v) ? String(v[0]) : String(v ?? "")
  const raw = (req as unknown as { rawBody?: Buffer }).rawBody
  const answer = await handleNotification(req.scope, req.params.provider, {
    method: req.method,
    query,
    rawBody: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0),
    headers: req.headers,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  })
  res.status(answer.status).type(answer.contentType).send(answer.body)
}

export const GET = notify
export const POST = notify
