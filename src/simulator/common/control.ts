/**
 * The /__sim control router, the same in every simulator: what a test or a developer with curl uses
 * to see what the simulator received and to steer it.
 *
 *   GET    /__sim/requests   requests() as JSON
 *   GET    /__sim/faults     the faults still queued, with `remaining`
 *   POST   /__sim/faults     a fault as JSON → 201 {ok, faults}; 400 {error} when the gateway does not know it
 *   DELETE /__sim/faults     clearFaults() → {ok}
 *   GET    /__sim/clock      {now} (simulated time, ISO 8601)
 *   POST   /__sim/clock      {"advanceMs": n} → {ok, now}
 *
 * plus each simulator's own routes (its transactions, notices …). /__sim is never faulted: the
 * server hands it here before a gateway handler, and so a fault, sees the request.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { InvalidFault } from "./faults"
import { answers, parseJson, readBody } from "./http"
import type { Simulator } from "./simulator"

export const CONTROL_PREFIX = "/__sim/"

export interface ControlQuery {
  url: URL
  /** The request body read as JSON (null when empty or not JSON). */
  body: unknown
}

/** What an extra route may answer instead of JSON data: an HTML page (e.g. a demo shop). */
export class ControlPage {
  constructor(readonly html: string) {}
}

/** A simulator's own routes, keyed "GET /__sim/transactions"; a route answers JSON data (200) or a ControlPage. */
export type ControlRoutes = Record<string, (q: ControlQuery) => unknown>

type Answer = [status: number, data: unknown]

const { send, sendJson } = answers({ jsonContentType: "application/json; charset=utf-8", jsonIndent: 2 })
const BODY_LIMIT = { bytes: 1024 * 1024, tooLarge: () => new Error("control request larger than 1 MB") }

export type ControlRouter = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>

export function controlRouter(sim: Omit<Simulator, "url" | "close">, extra: ControlRoutes = {}): ControlRouter {
  const common: Record<string, (q: ControlQuery) => Answer | Promise<Answer>> = {
    "GET /__sim/requests": () => [200, sim.requests()],
    "GET /__sim/faults": () => [200, sim.faults()],
    "POST /__sim/faults": ({ body }) => {
      try {
        sim.inject(body)
      } catch (e) {
        if (e instanceof InvalidFault) return [400, { error: e.message }]
        throw e
      }
      return [201, { ok: true, faults: sim.faults() }]
    },
    "DELETE /__sim/faults": () => {
      sim.clearFaults()
      return [200, { ok: true }]
    },
    "GET /__sim/clock": () => [200, { now: sim.now().toISOString() }],
    "POST /__sim/clock": async ({ body }) => {
      const ms = body !== null && typeof body === "object" ? (body as { advanceMs?: unknown }).advanceMs : undefined
      if (typeof ms !== "number" || !Number.isFinite(ms)) return [400, { error: "advanceMs must be a number of milliseconds" }]
      await sim.advanceClock(ms)
      return [200, { ok: true, now: sim.now().toISOString() }]
    },
  }
  for (const route of Object.keys(extra)) {
    if (route in common) throw new Error(`${route} is a common control route`)
    if (!/^[A-Z]+ \/__sim\/\S+$/.test(route)) throw new Error(`control route ${route} must be "METHOD /__sim/…"`)
  }

  return async (req, res, url) => {
    const route = `${req.method} ${url.pathname}`
    const body = await readBody(req, BODY_LIMIT)
    const q: ControlQuery = { url, body: body.length ? parseJson(body) : null }
    if (Object.prototype.hasOwnProperty.call(common, route)) {
      const [status, data] = await common[route](q)
      return sendJson(res, status, data)
    }
    if (Object.prototype.hasOwnProperty.call(extra, route)) {
      const out = await extra[route](q)
      return out instanceof ControlPage ? send(res, 200, "text/html; charset=utf-8", out.html) : sendJson(res, 200, out)
    }
    sendJson(res, 404, { error: `unknown control endpoint ${route}` })
  }
}
