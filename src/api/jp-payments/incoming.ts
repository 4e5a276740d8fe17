// What a gateway's request to one of the plugin's routes carried, as core hands it to the gateway:
// the query, the raw body (the gateway decodes its own charset), the headers and the source address.
// These routes have no body parser (middlewares.ts): the body is read here, whatever its charset.
import type { MedusaRequest } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { IncomingNotification } from "../../core/gateway"

/** Far more than any gateway notification or return; a larger body is cut off and refused. */
const MAX_BODY_BYTES = 256 * 1024

/** The body, or null when it is larger than MAX_BODY_BYTES (the rest is read and dropped, so the answer still reaches the caller). */
function rawBodyOf(req: MedusaRequest): Promise<Buffer | null> {
  const kept = (req as unknown as { rawBody?: Buffer }).rawBody
  if (Buffer.isBuffer(kept)) return Promise.resolve(kept.length > MAX_BODY_BYTES ? null : kept)
  if (!req.readable || req.readableEnded) return Promise.resolve(Buffer.alloc(0))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on("data", (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        // Not destroyed: a destroyed request takes its socket along, and the caller would get no answer.
        over = true
        chunks.length = 0
        resolve(null)
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(over ? null : Buffer.concat(chunks)))
    req.on("error", reject)
  })
}

export async function incomingOf(req: MedusaRequest): Promise<IncomingNotification> {
  const query: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.query ?? {})) query[k] = Array.isArray(v) ? String(v[0]) : String(v ?? "")
  // Addresses first: they are read from the socket, which is gone once a client has sent everything and left.
  const remoteAddress = req.ip ?? req.socket?.remoteAddress
  const peerAddress = req.socket?.remoteAddress
  const rawBody = await rawBodyOf(req)
  if (!rawBody) throw new MedusaError(MedusaError.Types.INVALID_DATA, `the request body is larger than ${MAX_BODY_BYTES / 1024} KiB: refused`)
  return { method: req.method, query, rawBody, headers: req.headers, remoteAddress, peerAddress }
}
