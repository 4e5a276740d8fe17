// What a gateway's request to one of the plugin's routes carried, as core hands it to the gateway:
// the query, the raw body (the gateway decodes its own charset), the headers and the source address.
// These routes have no body parser (middlewares.ts): the body is read here, whatever its charset.
import type { MedusaRequest } from "@medusajs/framework/http"
import type { IncomingNotification } from "../../core/gateway"

/** Far more than any gateway notification or return; a larger body is cut off and refused. */
const MAX_BODY_BYTES = 256 * 1024

async function rawBodyOf(req: MedusaRequest): Promise<Buffer> {
  const kept = (req as unknown as { rawBody?: Buffer }).rawBody
  if (Buffer.isBuffer(kept)) return kept
  if (!req.readable || req.readableEnded) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as unknown as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return Buffer.alloc(0)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

export async function incomingOf(req: MedusaRequest): Promise<IncomingNotification> {
  const query: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.query ?? {})) query[k] = Array.isArray(v) ? String(v[0]) : String(v ?? "")
  return {
    method: req.method,
    query,
    rawBody: await rawBodyOf(req),
    headers: req.headers,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    peerAddress: req.socket?.remoteAddress,
  }
}
