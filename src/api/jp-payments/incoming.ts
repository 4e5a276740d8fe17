// What a gateway's request to one of the plugin's routes carried, as core hands it to the gateway:
// the query, the raw body (the gateway decodes its own charset), the headers and the source address.
import type { MedusaRequest } from "@medusajs/framework/http"
import type { IncomingNotification } from "../../core/gateway"

export function incomingOf(req: MedusaRequest): IncomingNotification {
  const query: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.query ?? {})) query[k] = Array.isArray(v) ? String(v[0]) : String(v ?? "")
  const raw = (req as unknown as { rawBody?: Buffer }).rawBody
  return {
    method: req.method,
    query,
    rawBody: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0),
    headers: req.headers,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  }
}
