/**
 * HTTP plumbing the simulators share: a server that hands /__sim to the control router and the rest
 * to the gateway, writing a whole answer, reading a whole request body. Where the simulators differ
 * on purpose (the Cache-Control they send, whether an answer carries a Content-Length, JSON pretty
 * printing, how large a body may be and what is said when it is larger), the difference is a
 * parameter each simulator sets where it is used.
 *
 * Like the simulators themselves, it imports nothing from src/core or src/gateways.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http"
import { createServer as createHttpsServer, type ServerOptions as TlsOptions } from "node:https"
import type { AddressInfo, Server } from "node:net"
import { CONTROL_PREFIX, type ControlRouter } from "./control"
import type { StateFile } from "./state-file"

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

export interface ServeOptions {
  /** 0 (default): any free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Serve HTTPS with these options (PAYGENT's mutual TLS); default plain HTTP. */
  tls?: TlsOptions
  /** Requests under /__sim/ go here, before `handle` (and so before any fault) sees them. */
  control: ControlRouter
  /** Everything else: the gateway. `url` is the request's URL (use its path and query only). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
  /** The answer to a request whose handling threw; the error is logged first. */
  internalError(res: ServerResponse, e: unknown): void
  log: (line: string) => void
  /** Runs first on close: stop outgoing calls (kickbacks, notices). */
  beforeClose?: () => void
  /** Written after every request (when what the simulator keeps changed) and on close. */
  stateFile?: StateFile
}

export interface Listening {
  /** e.g. "http://127.0.0.1:8900", no trailing slash. */
  url: string
  /** Stops listening and drops every open connection; calling it again gives the same promise. */
  close(): Promise<void>
}

export async function serve(o: ServeOptions): Promise<Listening> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://simulator.invalid")
    const handled = url.pathname.startsWith(CONTROL_PREFIX) ? o.control(req, res, url) : o.handle(req, res, url)
    handled
      .catch((e: unknown) => {
        o.log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`)
        if (!res.headersSent) o.internalError(res, e)
      })
      .finally(() => saveState(o))
  }
  const server = o.tls ? createHttpsServer(o.tls, onRequest) : createHttpServer(onRequest)
  server.keepAliveTimeout = 5000
  const host = o.host ?? "127.0.0.1"
  const addr = await listen(server, o.port ?? 0, host)
  const urlHost = addr.family === "IPv6" || host.includes(":") ? `[${addr.address}]` : host
  const before = () => {
    o.beforeClose?.()
    saveState(o)
  }
  return { url: `${o.tls ? "https" : "http"}://${urlHost}:${addr.port}`, close: closeOnce(server, before) }
}

/** A state file that cannot be written is a warning on stderr, never a failed answer. */
function saveState(o: ServeOptions): void {
  try {
    o.stateFile?.write()
  } catch (e) {
    process.emitWarning(`simulator state file not written: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** Listens on `port` (0: a free one) and `host`; rejects when the server cannot (e.g. the port is taken). */
async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
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
function closeOnce(server: { close(cb: () => void): unknown; closeAllConnections(): void }, before: () => void = () => undefined): () => Promise<void> {
  let closed: Promise<void> | undefined
  return () =>
    (closed ??= new Promise<void>((resolve) => {
      before()
      server.close(() => resolve())
      server.closeAllConnections()
    }))
}
