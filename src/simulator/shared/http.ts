/**
 * HTTP plumbing the simulators share: writing a whole answer, reading a whole request body and
 * starting to listen. Where the simulators differ on purpose (the Cache-Control they send, whether
 * an answer carries a Content-Length, JSON pretty printing, how large a body may be and what is
 * said when it is larger), the difference is a parameter each simulator sets where it is used.
 *
 * Like the simulators themselves, it imports nothing from src/core or src/gateways.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { AddressInfo, Server } from "node:net"

export type Headers = Record<string, string>

export interface AnswerOptions {
  /** Content-Type of sendJson. */
  jsonContentType: string
  /** JSON.stringify's `space` for sendJson (default: none, one line). */
  jsonIndent?: number
  /** Cache-Control of every answer (default "no-store"); `headers` may still override it. */
  cacheControl?: string
  /** Whether answers carry a Content-Length (default true); without one, Node sends the body chunked. */
  contentLength?: boolean
}

export type Send = (res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers?: Headers) => void
export type SendJson = (res: ServerResponse, status: number, data: unknown, headers?: Headers) => void

/**
 * `send` writes a whole answer (a string body as UTF-8); it does nothing once the answer is ended or
 * its socket destroyed (e.g. after a reset fault). `sendJson` sends `data` as JSON.
 */
export function answers(o: AnswerOptions): { send: Send; sendJson: SendJson } {
  const cacheControl = o.cacheControl ?? "no-store"
  const contentLength = o.contentLength ?? true
  const send: Send = (res, status, contentType, body, headers = {}) => {
    if (res.writableEnded || res.destroyed) return
    const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body
    res.writeHead(status, {
      "Content-Type": contentType,
      ...(contentLength ? { "Content-Length": String(buf.length) } : {}),
      "Cache-Control": cacheControl,
      ...headers,
    })
    res.end(buf)
  }
  const sendJson: SendJson = (res, status, data, headers = {}) => send(res, status, o.jsonContentType, JSON.stringify(data, null, o.jsonIndent), headers)
  return { send, sendJson }
}

/** A request body read as JSON; null when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"))
  } catch {
    return null
  }
}

export interface BodyLimit {
  bytes: number
  /** The error a larger body is refused with (the request is then destroyed). */
  tooLarge: () => Error
}

/** The whole request body; with `limit`, a body larger than `limit.bytes` rejects with `limit.tooLarge()`. */
export function readBody(req: IncomingMessage, limit?: BodyLimit): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (c: Buffer) => {
      size += c.length
      if (limit && size > limit.bytes) {
        reject(limit.tooLarge())
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })
}

/** Listens on `port` (0: a free one) and `host`; rejects when the server cannot (e.g. the port is taken). */
export async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  return server.address() as AddressInfo
}

/**
 * A close() for `server`: `before` (e.g. stopping outgoing notices), then no new connections and
 * every open one dropped; resolves when the server has closed. Calling it again gives the same promise.
 */
export function closeOnce(server: { close(cb: () => void): unknown; closeAllConnections(): void }, before: () => void = () => undefined): () => Promise<void> {
  let closed: Promise<void> | undefined
  return () =>
    (closed ??= new Promise<void>((resolve) => {
      before()
      server.close(() => resolve())
      server.closeAllConnections()
    }))
}
